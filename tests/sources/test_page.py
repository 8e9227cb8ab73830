"""The sources page: only for signed-in users; lists each source's last run, items seen and failures; adds sources."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from qala.sources import SourceSpec, watch
from qala.store import schema
from qala.store.db import transaction

PASSWORD = "long enough password 42"


@pytest.fixture
def client(tmp_path):
    from qala.api import create_app
    from qala.auth import add_user
    from qala.config import Settings
    from qala.store.db import open_store

    url = f"sqlite:///{tmp_path / 'qala.sqlite3'}"
    engine = open_store(url)
    with transaction(engine) as session:
        add_user(session, username="analyst", password=PASSWORD)
    with TestClient(create_app(Settings(database_url=url, secret_key="k"), engine=engine)) as c:
        c.engine = engine
        yield c


def csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def sign_in(client) -> None:
    r = client.post("/login", data={"username": "analyst", "password": PASSWORD, "csrf": csrf(client.get("/login").text)},
                    follow_redirects=False)
    assert r.status_code == 303


def test_the_page_needs_a_signed_in_user(client):
    r = client.get("/sources", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    assert "/sources" not in client.get("/").text  # no link in the menu either
    r = client.post("/sources", data={"name": "x", "url": "https://a.kz/rss", "kind": "feed"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")


def test_sources_are_listed_with_last_run_items_and_failures(client, site, fetcher):
    site.page("/ru/news/500", "akimat.html")
    site.page("/kk/news/501", "akimat-kk.html")
    site.route("/rss", f"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>a</title><link>{site.base}/ru/news/500</link></item>
<item><title>b</title><link>{site.base}/kk/news/501</link></item>
<item><title>c</title><link>{site.base}/ru/news/gone</link></item></channel></rss>""",
               headers={"Content-Type": "application/rss+xml"})
    watch(client.engine, [SourceSpec("Акимат <RSS>", site.url("/rss"), "feed")], once=True, fetcher=fetcher,
          progress=lambda line: None)
    sign_in(client)
    html = client.get("/sources").text
    assert "Акимат &lt;RSS&gt;" in html and "<RSS>" not in html
    row = re.search(r'<tr id="source-\d+">(.*?)</tr>', html, re.DOTALL).group(1)
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", row, re.DOTALL)]
    assert cells[1] == "лента RSS/Atom"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", cells[2])
    assert cells[3:5] == ["3", "1"]
    assert f"{site.base}/ru/news/gone: expected a page, got HTTP 404" in html  # the failed item
    assert "Тоғыз айдың қорытындысы" in html  # the Kazakh page, not read yet
    assert 'href="/sources"' in html
    unread = re.search(r'<a href="/documents/(\d+)">Тоғыз', html).group(1)
    assert client.get(f"/documents/{unread}").status_code == 200


def test_a_source_is_added_and_bad_input_keeps_the_form(client):
    sign_in(client)
    token = csrf(client.get("/sources").text)
    form = {"csrf": token, "name": "Новости области", "url": "https://region.example/news", "kind": "list",
            "pattern": ""}
    r = client.post("/sources", data=form)
    assert r.status_code == 422
    assert "expected a link pattern for a list page" in r.text and 'value="Новости области"' in r.text
    r = client.post("/sources", data={**form, "pattern": r"/news/\d+"}, follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, "/sources?added=1")
    with transaction(client.engine) as session:
        row = session.scalar(select(schema.WatchedSource))
        assert (row.name, row.kind, row.pattern, row.last_run) == ("Новости области", "list", r"/news/\d+", None)
    assert "ещё не обходился" in client.get("/sources").text
    r = client.post("/sources", data={**form, "pattern": r"/news/\d+"})
    assert r.status_code == 422 and "already exists" in r.text
    r = client.post("/sources", data={**form, "csrf": "forged", "name": "Другой"})
    assert r.status_code == 403

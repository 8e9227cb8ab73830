"""Pages through TestClient: escaping, forms with CSRF, hostile input kept and explained."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from qala.api import create_app
from qala.config import Settings
from qala.store import schema
from qala.store.db import transaction
from web.webtools import factories


@pytest.fixture
def client(tmp_path):
    """Pages over SQLite only: the queries under them run on PostgreSQL too in tests/api."""
    from qala.store.db import open_store

    url = f"sqlite:///{tmp_path / 'qala.sqlite3'}"
    engine = open_store(url)
    ids = factories.seed_store(engine)
    with TestClient(create_app(Settings(database_url=url, secret_key="k"), engine=engine)) as c:
        c.ids = ids
        yield c


def csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def login(client) -> None:
    token = csrf(client.get("/login").text)
    r = client.post("/login", data={"username": "analyst", "password": factories.PASSWORD, "csrf": token},
                    follow_redirects=False)
    assert r.status_code == 303


def test_script_in_a_document_shows_as_text(client):
    html = client.get(f"/documents/{client.ids['doc1']}").text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "<script>alert(" not in html


PAGES = ["/", "/territories/710000000", "/persons", "/instructions", "/documents", "/documents?q=Алматы",
         "/add", "/login"]


def test_pages_render(client):
    for path in PAGES:
        r = client.get(path)
        assert (path, r.status_code) == (path, 200)
        assert r.headers["content-type"].startswith("text/html")
        assert '<html lang="ru">' in r.text


def test_every_figure_on_the_territory_page_links_to_a_span(client):
    html = client.get("/").text
    links = re.findall(r'class="figure[^"]*" href="/documents/(\d+)#fact-(\d+)"', html)
    assert links
    with transaction(client.app.state.engine) as session:
        for doc_id, fact_id in links:
            assert session.get(schema.Fact, int(fact_id)).document_id == int(doc_id)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("published", "31.02.2024'; DROP TABLE documents; --", "2024"),
    ("text", "   \n\t  ", "empty"),
    ("text", "abc\x00def", "binary"),
])
def test_hostile_form_input_gets_a_clear_error_and_keeps_the_form(client, field, value, message):
    login(client)
    page = client.get("/add").text
    form = {"csrf": csrf(page), "text": "Объем промышленного производства вырос на 5%.", "title": "<b>t</b>",
            "published": "2024-01-10", "source": "", "url": ""}
    form[field] = value
    with transaction(client.app.state.engine) as session:
        before = session.query(schema.Document).count()
    r = client.post("/add", data=form)
    assert r.status_code in (400, 413, 422)
    assert 'class="error"' in r.text and message in r.text
    assert "&lt;b&gt;t&lt;/b&gt;" in r.text  # the title typed is still there, escaped
    with transaction(client.app.state.engine) as session:
        assert session.query(schema.Document).count() == before


def test_forms_need_a_user_and_a_csrf_token(client):
    url = f"/instructions/{client.ids['instruction_new']}/status"
    r = client.post(url, data={"status": "done", "csrf": "x"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    login(client)
    r = client.post(url, data={"status": "done", "csrf": "forged"})
    assert r.status_code == 403 and "CSRF" in r.text
    token = csrf(client.get("/instructions").text)
    r = client.post(url, data={"status": "done", "csrf": token, "note": "<i>готово</i>"})
    assert r.status_code == 200
    assert "&lt;i&gt;готово&lt;/i&gt;" in r.text


def test_wrong_password_is_refused(client):
    token = csrf(client.get("/login").text)
    r = client.post("/login", data={"username": "analyst", "password": "nope-nope", "csrf": token})
    assert r.status_code == 401 and "Неверное имя пользователя или пароль" in r.text


def test_login_never_redirects_off_site(client):
    token = csrf(client.get("/login").text)
    r = client.post("/login", data={"username": "analyst", "password": factories.PASSWORD, "csrf": token,
                                    "next": "//evil.example/"}, follow_redirects=False)
    assert r.headers["location"] == "/"


def test_plotly_is_served_locally(client):
    r = client.get("/vendor/plotly.min.js")
    assert r.status_code == 200 and "plotly.js" in r.text[:300]
    assert "cdn" not in client.get("/").text.lower()

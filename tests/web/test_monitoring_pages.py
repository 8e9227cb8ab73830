"""Monitoring on the pages: checks side by side, commitments, the verified toggle, review forms,
the discipline summary."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from qala.api import create_app
from qala.config import Settings
from web.webtools import factories


@pytest.fixture
def client(tmp_path):
    from qala.store.db import open_store

    url = f"sqlite:///{tmp_path / 'qala.sqlite3'}"
    engine = open_store(url)
    ids = factories.seed_monitoring(engine, factories.seed_store(engine))
    with TestClient(create_app(Settings(database_url=url, secret_key="k"), engine=engine)) as c:
        c.ids = ids
        yield c


def login(client) -> str:
    token = factories.csrf_of(client.get("/login").text)
    r = client.post("/login", data={"username": "analyst", "password": factories.PASSWORD, "csrf": token},
                    follow_redirects=False)
    assert r.status_code == 303
    return factories.csrf_of(client.get("/").text)


def section(html: str, name: str) -> str:
    return html[html.index(f'<section class="{name}">'):][:20000].split("</section>")[0]


def test_territory_page_shows_checks_and_commitments(client):
    html = client.get(f"/territories/{factories.ALMATY}").text
    checks = section(html, "checks")
    assert "противоречие" in checks
    assert checks.count('<blockquote class="side"') == 2
    assert f'href="/documents/{client.ids["doc1"]}#fact-{client.ids["fact1.0"]}"' in checks
    assert f'href="/documents/{client.ids["doc3"]}#fact-{client.ids["fact3.0"]}"' in checks
    assert re.search(r'Расхождение: <strong>[\d,]+ млрд тенге \(\d+%\)</strong>', checks)  # the gap, and its share
    assert "(за год)" in checks  # the kind of period compared
    commitments = section(html, "commitments")
    assert "выполнено" in commitments and f'/documents/{client.ids["doc4"]}#fact-{client.ids["fact4.0"]}' in commitments


def test_verified_toggle_limits_checks(client):
    html = client.get(f"/territories/{factories.ALMATY}?verified=1").text
    assert "только проверенные" in html and "<strong>только проверенные</strong>" in html
    assert "противоречие" not in section(html, "checks")
    assert 'id="chart-industrial_output"' not in html  # no verified figures yet: no chart


def _cards(html: str) -> list[str]:
    return re.findall(r'<article class="card indicator" data-code="([^"]+)"', html)


def test_verified_toggle_limits_the_indicator_cards(client):
    url = f"/territories/{factories.ALMATY}"
    assert {"industrial_output", "unemployment_rate"} <= set(_cards(client.get(url).text))
    assert _cards(client.get(url + "?verified=1").text) == []  # nothing confirmed yet
    csrf = login(client)
    doc, fact = client.ids["doc0"], client.ids["fact0.1"]
    f = next(f for f in client.get(f"/api/documents/{doc}").json()["facts"] if f["id"] == fact)
    r = client.post(f"/documents/{doc}/reviews", data={"csrf": csrf, "fact_id": fact, "action": "confirm",
                                                       "span_start": f["span_start"], "span_stop": f["span_stop"]},
                    follow_redirects=False)
    assert r.status_code == 303
    html = client.get(url + "?verified=1").text
    assert _cards(html) == ["unemployment_rate"]  # the confirmed figure's card alone
    card = html[html.index('data-code="unemployment_rate"'):].split("</article>")[0]
    assert "5,2" in card
    assert "industrial_output" in _cards(client.get(url).text)  # the full view is unchanged


def test_document_page_review_forms_only_when_signed_in(client):
    url = f"/documents/{client.ids['doc3']}"
    assert "review-form" not in client.get(url).text
    assert "Войдите, чтобы подтверждать" in client.get(url).text
    login(client)
    html = client.get(url).text
    assert html.count('class="review-form"') == 3
    assert 'name="csrf"' in html
    assert "противоречие" in section(html, "checks")  # checks involving this document's figures


REVIEW_FORMS = [  # (form fields, status, state label or error words)
    ({"action": "confirm"}, 303, "подтверждено"),
    ({"action": "reject"}, 303, "отклонено"),
    ({"action": "correct", "value": "1,1 трлн", "period": "2020"}, 303, "исправлено"),
    ({"action": "correct", "value": "много"}, 422, "expected a number"),
    ({"action": "correct"}, 422, "corrected field"),
    ({"action": "correct", "period": "<script>alert(1)</script>"}, 422, "expected a period"),
    ({"action": "correct", "indicator": "no_such"}, 404, "indicator"),
    ({"action": "launch"}, 422, "expected action"),
]


@pytest.mark.parametrize("fields, status, words", REVIEW_FORMS)
def test_review_form(client, fields, status, words):
    csrf = login(client)
    doc, fact = client.ids["doc3"], client.ids["fact3.0"]
    f = next(f for f in client.get(f"/api/documents/{doc}").json()["facts"] if f["id"] == fact)
    form = {"csrf": csrf, "fact_id": fact, "span_start": f["span_start"], "span_stop": f["span_stop"], **fields}
    r = client.post(f"/documents/{doc}/reviews", data=form, follow_redirects=False)
    assert r.status_code == status
    html = client.get(r.headers["location"]).text if status == 303 else r.text
    item = html[html.index(f'id="review-{fact}"'):].split("</li>")[0]
    if status == 303:
        assert f'<span class="review-state {fields["action"]}">{words}</span>' in item
        assert "analyst" in item  # the item's history
    else:
        assert words in re.search(r'<p class="error">(.*?)</p>', html).group(1)
        assert "<script>alert" not in html
        assert "review-state" not in item


def test_review_form_needs_csrf(client):
    login(client)
    doc = client.ids["doc3"]
    r = client.post(f"/documents/{doc}/reviews", data={"csrf": "forged", "fact_id": 1, "span_start": 0,
                                                       "span_stop": 1, "action": "reject"}, follow_redirects=False)
    assert r.status_code == 403
    assert client.get(f"/api/documents/{doc}/reviews").json()["count"] == 0


def test_instructions_board_has_discipline(client):
    html = client.get("/instructions").text
    table = section(html, "discipline")
    assert "Исполнительская дисциплина" in table
    row = re.search(r"<tr><td>акимат</td>(.*?)</tr>", table).group(1)
    assert re.findall(r"<td>(.*?)</td>", row) == ["1", "0", "0", "1", "0", "0", "0%"]


def test_rejecting_a_figure_on_its_page_takes_it_off_the_card(client):
    from web.webtools import card

    doc, fact = client.ids["doc2"], client.ids["fact2.0"]
    assert f"#fact-{fact}\"" in card(client.get("/").text, "industrial_output")
    csrf = login(client)
    f = next(f for f in client.get(f"/api/documents/{doc}").json()["facts"] if f["id"] == fact)
    r = client.post(f"/documents/{doc}/reviews", data={"csrf": csrf, "fact_id": fact, "action": "reject",
                                                       "span_start": f["span_start"], "span_stop": f["span_stop"]},
                    follow_redirects=False)
    assert r.status_code == 303
    shown = card(client.get("/").text, "industrial_output")
    assert f"#fact-{fact}\"" not in shown and "1,2 трлн" not in shown
    # 2020 is now the latest period: doc1 and doc3 disagree on it, and the card says so
    assert "1,3 трлн тенге" in shown and "разные данные: 1,05–1,3 трлн тенге" in shown
    assert re.search(r'<a href="#check-\d+"', shown)


def test_verified_toggle_shows_checks_once_both_figures_are_confirmed(client, monkeypatch):
    from qala.monitor import checks as monitor_checks
    from web.webtools import DISAGREEING, KARAGANDA, add_documents

    ids = add_documents(client.app.state.engine, DISAGREEING, prefix="krg")
    url = f"/territories/{KARAGANDA}"
    assert "противоречие" in section(client.get(url).text, "checks")
    csrf = login(client)
    for n in ("0", "1"):
        doc, fact = ids[f"krg{n}"], ids[f"krg{n}.0"]
        f = next(f for f in client.get(f"/api/documents/{doc}").json()["facts"] if f["id"] == fact)
        client.post(f"/documents/{doc}/reviews", data={"csrf": csrf, "fact_id": fact, "action": "confirm",
                                                       "span_start": f["span_start"], "span_stop": f["span_stop"]})
        client.get(url)  # the derived tables are rebuilt on this read
        with monkeypatch.context() as patched:  # (undo() would also drop the conftest's own patches)
            patched.setattr(monitor_checks, "list_checks", lambda *a, **k: pytest.fail("loaded every check"))
            verified = section(client.get(url + "?verified=1").text, "checks")
        assert ("противоречие" in verified) == (n == "1")  # only when both sides are verified


def test_document_metadata_form(client):
    doc = client.ids["doc3"]
    assert 'class="metadata-form"' not in client.get(f"/documents/{doc}").text  # signed-in users only
    csrf = login(client)
    r = client.post(f"/documents/{doc}/metadata", data={"csrf": csrf, "title": "Итоги года по региону",
                                                         "source": "gov.kz"}, follow_redirects=False)
    assert r.status_code == 303
    html = client.get(r.headers["location"]).text
    assert "<h1>Итоги года по региону</h1>" in html and "gov.kz" in html
    trail = client.get(f"/api/documents/{doc}/reviews").json()
    assert {(x["item_kind"], x["field"], x["user"]) for x in trail["data"]} >= {
        ("document", "title", "analyst"), ("document", "source", "analyst")}
    bad = client.post(f"/documents/{doc}/metadata", data={"csrf": csrf, "url": "javascript:alert(1)//"})
    assert bad.status_code == 422 and "url" in re.search(r'<p class="error">(.*?)</p>', bad.text).group(1)
    assert 'href="javascript' not in bad.text
    forged = client.post(f"/documents/{doc}/metadata", data={"csrf": "forged", "title": "x"},
                         follow_redirects=False)
    assert forged.status_code == 403

"""The JSON API over a seeded store: lists as {data, count}, filters, series, errors, writes."""

from __future__ import annotations

import base64

from api.factories import ALMATY, PASSWORD, csrf_of


def test_facts_filtered_by_territory_indicator_period(client):
    r = client.get("/api/facts", params={"territory": ALMATY, "indicator": "industrial_output"})
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 3
    assert [f["period"] for f in body["data"]] == ["2021", "2020", "2019"]
    assert {f["territory_kato"] for f in body["data"]} == {ALMATY}
    one = client.get("/api/facts", params={"territory": ALMATY, "period": "2020"}).json()
    assert sorted(f["value"] for f in one["data"]) == [1.052e12]


FACT_COUNTS = [  # (query, count)
    ({}, 6),
    ({"territory": "Алматы"}, 5),
    ({"indicator": "housing_commissioned"}, 1),
    ({"period": "2019-2020"}, 3),
    ({"limit": 2}, 6),
    ({"indicator": "no_such_indicator"}, 0),
]


def test_facts_counts(client):
    for params, count in FACT_COUNTS:
        body = client.get("/api/facts", params=params).json()
        assert (params, body["count"]) == (params, count)
        assert len(body["data"]) == min(count, params.get("limit", 100))


def test_series_one_point_per_year_in_order(client):
    body = client.get("/api/series", params={"territory": ALMATY, "indicator": "industrial_output"}).json()
    assert body["granularity"] == "year"
    assert [(p["period"], p["value"]) for p in body["data"] if p["kind"] == "reported"] == [
        ("2019", 850e9), ("2020", 1.052e12), ("2021", 1.2e12)]


def test_document_detail_has_items_with_spans(client, seeded):
    body = client.get(f"/api/documents/{seeded['doc1']}").json()
    text = body["text"]
    fact = next(f for f in body["facts"] if f["indicator"] == "industrial_output")
    assert text[fact["span_start"]:fact["span_stop"]] == "1,052 трлн тенге"
    person = body["persons"][0]
    assert text[person["span_start"]:person["span_stop"]] == "Аскар Мамин"
    assert person["posts"] == ["Премьер-Министр"]
    assert body["programs"][0]["name"].startswith("Комплексный план")
    assert [p["name"] for p in body["meetings"][0]["participants"]] == ["Аскар Мамин", "Бакытжан Сагинтаев"]


def test_lists(client):
    assert client.get("/api/documents").json()["count"] == 3
    persons = client.get("/api/persons").json()
    assert [(p["person"], p["title"]) for p in persons["data"]] == [("Аскар Мамин", "Премьер-Министр")]
    assert client.get("/api/programs").json()["data"][0]["mentions"] == 1
    assert client.get("/api/meetings").json()["count"] == 1
    assert client.get("/api/territories").json()["data"][0]["kato"] == ALMATY


def test_instructions_board_marks_overdue(client, seeded):
    overdue = client.get("/api/instructions", params={"status": "overdue"}).json()
    assert [i["id"] for i in overdue["data"]] == [seeded["instruction_overdue"]]
    assert overdue["data"][0]["board"] == "overdue"
    fresh = client.get("/api/instructions", params={"status": "new"}).json()
    assert [i["id"] for i in fresh["data"]] == [seeded["instruction_new"]]


SEARCHES = [("промышленного", 3), ("Мамин", 1), ("Астане", 1), ("нетакогослова", 0),
            # other forms of the same words find the same documents
            ("промышленный", 3), ("Астана", 1), ("Астаной", 1)]


def test_search(client):
    from qala.language_forms import word_forms

    for q, expected in SEARCHES:
        body = client.get("/api/search", params={"q": q}).json()
        assert (q, body["count"]) == (q, expected)
        if expected:
            snippet = body["data"][0]["snippet"].lower()
            assert any(form in snippet for form in word_forms(q)), (q, snippet)


ERRORS = [  # (path, status, part of the message)
    ("/api/documents/999", 404, "expected an existing document id, got 999"),
    ("/api/facts?period=someday", 422, "expected a period"),
    ("/api/facts?limit=100000", 422, "invalid limit"),
    ("/api/series?territory=750000000&indicator=nope", 404, "indicator"),
    ("/api/nothing-here", 404, "Not Found"),
]


def test_error_shape(client):
    for path, status, needle in ERRORS:
        r = client.get(path)
        assert (path, r.status_code) == (path, status)
        body = r.json()
        assert set(body) == {"ok", "error", "status"}
        assert body["ok"] is False and body["status"] == status and needle in body["error"]


def test_html_errors_render_a_page(client):
    r = client.get("/documents/999")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert "Не найдено" in r.text


def test_status_change_needs_a_user(client, seeded):
    url = f"/api/instructions/{seeded['instruction_new']}/status"
    r = client.post(url, json={"status": "done"})
    assert r.status_code == 401 and r.json()["ok"] is False
    bad = "Basic " + base64.b64encode(b"analyst:wrong-password").decode()
    assert client.post(url, json={"status": "done"}, headers={"Authorization": bad}).status_code == 401


def test_status_change_keeps_history(client, seeded):
    url = f"/api/instructions/{seeded['instruction_new']}/status"
    auth = {"Authorization": "Basic " + base64.b64encode(f"analyst:{PASSWORD}".encode()).decode()}
    assert client.post(url, json={"status": "in_progress"}, headers=auth).status_code == 200
    body = client.post(url, json={"status": "done", "note": "сделано"}, headers=auth).json()
    assert body["status"] == "done" and body["board"] == "done"
    assert [(h["status"], h["changed_by"]) for h in body["history"]] == [
        ("in_progress", "analyst"), ("done", "analyst")]
    assert client.post(url, json={"status": "lost"}, headers=auth).status_code == 422


def test_session_cookie_write_needs_csrf_header(signed_in, seeded):
    url = f"/api/instructions/{seeded['instruction_new']}/status"
    assert signed_in.post(url, json={"status": "done"}).status_code == 403
    token = csrf_of(signed_in.get("/add").text)
    assert signed_in.post(url, json={"status": "done"}, headers={"X-CSRF-Token": token}).status_code == 200


def test_public_read_off_requires_sign_in(engine, db_url, seeded):
    from fastapi.testclient import TestClient

    from qala.api import create_app
    from qala.config import Settings

    app = create_app(Settings(database_url=db_url, public_read=False, secret_key="k"), engine=engine)
    with TestClient(app) as c:
        assert c.get("/api/facts").status_code == 401
        assert c.get("/", follow_redirects=False).headers["location"].startswith("/login")
        auth = {"Authorization": "Basic " + base64.b64encode(f"analyst:{PASSWORD}".encode()).decode()}
        assert c.get("/api/facts", headers=auth).status_code == 200


def test_openapi_lists_every_resource(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for p in ("/api/documents", "/api/documents/{document_id}", "/api/facts", "/api/series", "/api/persons",
              "/api/instructions", "/api/instructions/{instruction_id}/status", "/api/programs",
              "/api/meetings", "/api/search"):
        assert p in paths


# ================================================================ the territory cards read figures as reviewed

BASIC = {"Authorization": "Basic " + base64.b64encode(f"analyst:{PASSWORD}".encode()).decode()}


def _review(client, fact: dict, action: str, **extra) -> None:
    body = {"document_id": fact["document_id"], "item_kind": "fact", "span_start": fact["span_start"],
            "span_stop": fact["span_stop"], "action": action, **extra}
    r = client.post("/api/reviews", json=body, headers=BASIC)
    assert r.status_code == 201, r.text


def _fact(client, document_id: int, fact_id: int) -> dict:
    return next(f for f in client.get(f"/api/documents/{document_id}").json()["facts"] if f["id"] == fact_id)


def _chart(html: str, code: str) -> list[dict]:
    """The reported points of an indicator's chart on a territory page."""
    import json
    import re

    charts = json.loads(re.search(r'<script type="application/json" id="chart-data">(.*?)</script>', html,
                                  re.DOTALL).group(1))
    return [p for p in charts[code] if p["kind"] == "reported"]


def test_rejected_figure_is_not_the_latest_value(client, seeded):
    from web.webtools import card

    before = card(client.get("/").text, "industrial_output")
    assert "1,2 трлн тенге" in before and f'#fact-{seeded["fact2.0"]}"' in before
    _review(client, _fact(client, seeded["doc2"], seeded["fact2.0"]), "reject")
    html = client.get("/").text
    after = card(html, "industrial_output")
    assert "1,2 трлн тенге" not in after and f'#fact-{seeded["fact2.0"]}"' not in after
    assert "1,05 трлн тенге" in after and f'/documents/{seeded["doc1"]}#fact-{seeded["fact1.0"]}"' in after
    assert "Период: 2020" in after
    assert [p["y"] for p in _chart(html, "industrial_output")] == [850e9, 1.052e12]


def test_corrected_figure_shows_its_corrected_value(client, seeded):
    from web.webtools import card

    _review(client, _fact(client, seeded["doc2"], seeded["fact2.0"]), "correct", after={"value": 1.25e12})
    html = client.get("/").text
    assert "1,25 трлн тенге" in card(html, "industrial_output")
    assert _chart(html, "industrial_output")[-1]["y"] == 1.25e12


def test_disagreeing_reports_show_their_range_on_the_card(client, engine):
    from web.webtools import DISAGREEING, KARAGANDA, add_documents, card

    ids = add_documents(engine, DISAGREEING, prefix="krg")
    html = client.get(f"/territories/{KARAGANDA}").text
    found = card(html, "industrial_output")
    # the card shows the monitor's merged point: the larger report, linked to its sentence, and the range
    assert f'href="/documents/{ids["krg1"]}#fact-{ids["krg1.0"]}"' in found and "4,4 трлн тенге" in found
    assert "разные данные: 4,1–4,4 трлн тенге" in found
    check_id = client.get("/api/checks", params={"territory": KARAGANDA, "kind": "contradiction"}).json()["data"][0]["id"]
    assert f'href="#check-{check_id}"' in found and f'id="check-{check_id}"' in html
    point = client.get("/api/series", params={"territory": KARAGANDA, "indicator": "industrial_output"}).json()
    last = [p for p in point["data"] if p["kind"] == "reported"][-1]
    assert (last["value"], last["value_min"], last["value_max"]) == (4.4e12, 4.1e12, 4.4e12)
    # one report rejected: they no longer disagree
    _review(client, _fact(client, ids["krg1"], ids["krg1.0"]), "reject")
    found = card(client.get(f"/territories/{KARAGANDA}").text, "industrial_output")
    assert "разные данные" not in found and "4,1 трлн тенге" in found


def test_card_before_the_monitor_ran_and_after_a_review_it_has_not_seen(engine, seeded):
    """No series points yet: the card merges the period's reports itself. Series points built, then a
    review the rebuild has not seen: the stale point is not shown."""
    from web.webtools import DISAGREEING, KARAGANDA, add_documents

    from qala.monitor.recompute import recompute_all
    from qala.monitor.review import review
    from qala.store import dashboard
    from qala.store.db import transaction
    from qala.store.schema import Fact

    ids = add_documents(engine, DISAGREEING, prefix="krg")

    def cards() -> dict:
        with transaction(engine) as session:
            terr = dashboard.find_territory(session, KARAGANDA)["id"]
            return {c["code"]: c for c in dashboard.key_indicators(session, territory_id=terr)}

    fallback = cards()["industrial_output"]
    assert (fallback["computed"], fallback["latest"]["value"], fallback["latest"]["id"]) == (False, 4.4e12, ids["krg1.0"])
    assert (fallback["range"]["low"], fallback["range"]["high"], fallback["n_documents"]) == (4.1e12, 4.4e12, 2)
    assert [p["value"] for p in fallback["series"]] == [3.5e12, 4.4e12]  # the larger report of 2022, as merged
    recompute_all(engine)
    merged = cards()["industrial_output"]
    assert (merged["computed"], merged["latest"]["value"], merged["range"]["high"]) == (True, 4.4e12, 4.4e12)
    assert (merged["range"]["period_start"], merged["range"]["period_end"]) == ("2022-01-01", "2022-12-31")
    with transaction(engine) as session:
        fact = session.get(Fact, ids["krg1.0"])
        span = (fact.span_start, fact.span_stop)
    review(engine, ids["krg1"], "fact", span, None, "reject", None, "analyst")  # no rebuild after it
    stale = cards()["industrial_output"]
    assert (stale["computed"], stale["latest"]["value"], stale["range"]) == (False, 4.1e12, None)


def test_verified_checks_are_filtered_in_the_query(client, engine, monkeypatch):
    from web.webtools import DISAGREEING, KARAGANDA, add_documents

    from qala.monitor import checks as monitor_checks

    ids = add_documents(engine, DISAGREEING, prefix="krg")
    params = {"territory": KARAGANDA, "verified": "true"}
    assert client.get("/api/checks", params={"territory": KARAGANDA}).json()["count"] == 1
    _review(client, _fact(client, ids["krg0"], ids["krg0.0"]), "confirm")
    client.get("/api/checks")  # the rebuild after the review happens here, before list_checks is barred

    def barred(*args, **kwargs):
        raise AssertionError("verified checks must not load every check to filter them")

    monkeypatch.setattr(monitor_checks, "list_checks", barred)
    assert client.get("/api/checks", params=params).json()["count"] == 0  # one side not verified yet
    _review(client, _fact(client, ids["krg1"], ids["krg1.0"]), "confirm")
    body = client.get("/api/checks", params=params).json()
    assert body["count"] == 1
    check = body["data"][0]
    assert (check["kind_label"], {check["fact"]["fact_id"], check["other"]["fact_id"]}) == (
        "противоречие", {ids["krg0.0"], ids["krg1.0"]})
    assert "4,1 трлн тенге" in check["fact"]["sentence"] + check["other"]["sentence"]
    assert client.get("/api/checks", params={**params, "kind": "bogus"}).status_code == 422

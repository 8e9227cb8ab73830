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


SEARCHES = [("промышленного", 3), ("Мамин", 1), ("Астане", 1), ("нетакогослова", 0)]


def test_search(client):
    for q, expected in SEARCHES:
        body = client.get("/api/search", params={"q": q}).json()
        assert (q, body["count"]) == (q, expected)
        if expected:
            assert q.lower() in body["data"][0]["snippet"].lower()


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

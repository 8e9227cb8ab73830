"""Lists a page at a time (`next` cursors, counts that say when they are estimates) and derived
tables rebuilt off the request path (a read made while a rebuild is pending answers at once, with
the note "обновляется"), on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import time

import pytest

from api.factories import ALMATY, seed_monitoring
from qala.api import monitoring
from qala.monitor.recompute import Rebuilder, recompute_all

LISTS = ["/api/facts", "/api/facts?territory=750000000", "/api/documents", "/api/instructions", "/api/persons",
         "/api/programs", "/api/meetings", "/api/search?q=промышленного", "/api/checks", "/api/commitments"]


def walk(client, path: str, limit: int) -> list[int]:
    """Every row's id, following `next` one page of `limit` at a time."""
    sep = "&" if "?" in path else "?"
    ids, cursor, pages = [], None, 0
    while True:
        r = client.get(f"{path}{sep}limit={limit}" + (f"&cursor={cursor}" if cursor else ""))
        assert r.status_code == 200, r.text
        body = r.json()
        assert {"data", "count", "next"} <= set(body)
        ids += [row["id"] for row in body["data"]]
        cursor, pages = body["next"], pages + 1
        if cursor is None or pages > 100:
            return ids


@pytest.mark.parametrize("path", LISTS)
def test_every_list_walks_by_cursor_to_what_one_page_holds(client, engine, seeded, path):
    seed_monitoring(engine, seeded)
    recompute_all(engine)
    sep = "&" if "?" in path else "?"
    whole = client.get(f"{path}{sep}limit=500").json()
    assert whole["next"] is None and whole["count"] == len(whole["data"]) and not whole.get("count_estimated")
    ids = [row["id"] for row in whole["data"]]
    assert walk(client, path, 1) == ids
    assert walk(client, path, 2) == ids
    if len(ids) > 1:
        first = client.get(f"{path}{sep}limit=1").json()
        assert first["count"] == len(ids) and first["next"]


def test_a_fact_by_id_is_one_row_of_the_list(client, seeded):
    listed = client.get("/api/facts?territory=" + ALMATY + "&limit=1").json()["data"][0]
    assert client.get(f"/api/facts/{listed['id']}").json() == listed
    missing = client.get("/api/facts/999999")
    assert missing.status_code == 404 and "fact" in missing.json()["error"]


@pytest.mark.parametrize("query, message", [
    ("cursor=bm90IGEgY3Vyc29y", "cursor from a previous page"),
    ("offset=20000", "offset"),
    ("count=approximately", "count"),
])
def test_bad_paging_is_one_clear_line(client, seeded, query, message):
    r = client.get(f"/api/facts?{query}")
    assert r.status_code == 422 and message in r.json()["error"] and "\n" not in r.json()["error"]


def test_a_count_past_the_exact_bound_is_marked_as_an_estimate(client, seeded, monkeypatch):
    from qala.store import queries

    monkeypatch.setattr(queries, "COUNT_EXACT_UP_TO", 1)
    body = client.get("/api/facts?limit=1").json()
    assert body["count_estimated"] is True and body["count"] >= 2 and body["next"]
    exact = client.get("/api/facts?limit=1&count=exact").json()
    assert exact["count_estimated"] is False and exact["count"] == len(client.get("/api/facts").json()["data"])


def test_a_search_for_a_letter_without_a_name_is_answered(client, seeded):
    r = client.get("/api/search", params={"q": "\U00017000"})
    assert r.status_code == 200 and r.json()["data"] == []


def points(body: dict) -> list:
    """What a list holds from the derived tables (a series point's sources are read from the facts)."""
    return [{k: v for k, v in row.items() if k not in ("sources", "n_sources")} for row in body["data"]]


class SlowRebuild:
    """A rebuild that waits until the test lets it go (and counts how often it ran)."""

    def __init__(self) -> None:
        self.go, self.started, self.runs = threading.Event(), threading.Event(), 0

    def __call__(self, engine) -> None:
        self.started.set()
        assert self.go.wait(60)
        recompute_all(engine)
        self.runs += 1


@pytest.fixture
def slow(client, monkeypatch):
    monkeypatch.setattr(monitoring, "WAIT_AT_LEAST", 0.0)
    monkeypatch.setattr(monitoring, "STAMP_SECONDS", 0.0)  # the store's stamp read on every request
    rebuild = SlowRebuild()
    client.app.state.rebuilder = Rebuilder(client.app.state.engine, rebuild, pause=0)
    yield rebuild
    rebuild.go.set()
    client.app.state.rebuilder.wait(60)


@pytest.mark.parametrize("path", ["/api/checks", "/api/commitments",
                                  "/api/series?territory=750000000&indicator=industrial_output"])
def test_a_read_while_a_rebuild_is_pending_answers_at_once_with_the_note(client, engine, seeded, slow, path):
    recompute_all(engine)  # a complete rebuild to serve
    before = client.get(path).json()
    seed_monitoring(engine, seeded)  # the store changes: the next read asks for a rebuild
    t0 = time.perf_counter()
    during = client.get(path).json()
    seconds = time.perf_counter() - t0
    assert slow.started.wait(10)
    assert seconds < 5 and during["rebuilding"] is True and during["note"] == "обновляется"
    assert during["rebuilt_at"] is not None and points(during) == points(before)  # the last complete rebuild
    slow.go.set()
    assert client.app.state.rebuilder.wait(60)
    after = client.get(path).json()
    assert after["rebuilding"] is False and after["note"] is None and slow.runs == 1


def test_the_territory_page_shows_the_note_while_a_rebuild_is_pending(client, engine, seeded, slow):
    recompute_all(engine)
    assert "обновляется" not in client.get("/").text
    seed_monitoring(engine, seeded)
    t0 = time.perf_counter()
    page = client.get("/")
    assert page.status_code == 200 and time.perf_counter() - t0 < 5
    assert slow.started.wait(10) and "обновляется" in page.text
    slow.go.set()
    assert client.app.state.rebuilder.wait(60)
    for _ in range(100):  # the page itself is built anew in the background, the last one served meanwhile
        if "обновляется" not in client.get("/").text:
            break
        time.sleep(0.1)
    else:
        pytest.fail("the note stayed after the rebuild")


def test_a_review_through_the_api_asks_for_a_rebuild_in_the_background(client, engine, seeded, slow):
    import base64

    from api.factories import PASSWORD

    recompute_all(engine)
    fact = client.get("/api/facts?territory=" + ALMATY + "&limit=1").json()["data"][0]
    token = base64.b64encode(f"analyst:{PASSWORD}".encode()).decode()
    r = client.post("/api/reviews", headers={"Authorization": f"Basic {token}"},
                    json={"document_id": fact["document_id"], "item_kind": "fact", "span_start": fact["span_start"],
                          "span_stop": fact["span_stop"], "action": "confirm"})
    assert r.status_code == 201, r.text
    assert slow.started.wait(10)  # asked for by the write itself, not run inside it
    slow.go.set()
    assert client.app.state.rebuilder.wait(60) and slow.runs == 1


def test_the_server_does_not_rebuild_a_store_its_last_rebuild_was_made_from(client, engine, seeded, slow):
    recompute_all(engine)
    client.get("/api/checks")
    assert not slow.started.wait(0.5) and not client.app.state.rebuilder.pending


def test_the_rebuild_runs_in_a_child_process_when_given_the_store(engine, db_url, seeded):
    from qala.monitor.recompute import last_rebuild

    worker = Rebuilder(engine, url=db_url, pause=0)
    worker.request()
    assert worker.wait(120) and worker.last_error is None and last_rebuild(engine) is not None


def test_a_series_point_lists_its_first_reports_and_counts_them_all(client, engine, seeded):
    seed_monitoring(engine, seeded)
    recompute_all(engine)
    path = "/api/series?territory=750000000&indicator=industrial_output"
    full = client.get(path + "&sources=1000&implied=all").json()["data"]
    capped = client.get(path + "&sources=1").json()["data"]
    assert any(p["n_sources"] > 1 for p in full)
    by_period = {(p["period"], p["kind"]): p for p in full}
    for p in capped:
        whole = by_period[(p["period"], p["kind"])]
        assert p["n_sources"] == whole["n_sources"] == len(whole["sources"])
        assert p["sources"] == whole["sources"][:1]

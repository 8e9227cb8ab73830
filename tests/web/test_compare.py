"""Regions side by side (/compare, /api/compare) and the справка download route, through TestClient."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from qala.api import create_app
from qala.config import Settings
from web.webtools import DISAGREEING, KARAGANDA, add_documents, factories

ASTANA, SHYMKENT = factories.ASTANA, "790000000"
# Written for these tests: Astana's 2021 output, and a district of Karaganda region with its own figure.
MORE = [("2022-02-02", ("Итоги года в столице\n\nЗа 2021 год промышленность Астаны выпустила продукции на "
         "0,9 трлн тенге."), [("industrial_output", ASTANA, "2021", 0.9e12, "KZT", None, "0,9 трлн тенге")])]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from qala.store.db import open_store

    url = f"sqlite:///{tmp_path_factory.mktemp('compare') / 'qala.sqlite3'}"
    engine = open_store(url)
    ids = factories.seed_store(engine)
    ids.update(add_documents(engine, DISAGREEING, prefix="kar"))
    ids.update(add_documents(engine, MORE, prefix="ast"))
    with TestClient(create_app(Settings(database_url=url, secret_key="k"), engine=engine)) as c:
        c.ids = ids
        yield c


def test_regions_ranked_with_gaps(client):
    r = client.get("/api/compare", params={"indicator": "industrial_output", "period": "2021"})
    assert r.status_code == 200
    body = r.json()
    assert [(x["rank"], x["kato"], x["value"]) for x in body["rows"]] == [
        (1, KARAGANDA, 3.5e12), (2, factories.ALMATY, 1.2e12), (3, ASTANA, 0.9e12)]
    assert body["granularity"] == "year" and body["unit"] == "KZT" and body["period"] == "2021"
    gaps = {g["kato"] for g in body["gaps"]}
    assert SHYMKENT in gaps and KARAGANDA not in gaps and len(gaps) + 3 == 20  # every region: ranked or a gap
    assert body["rows"][0]["document_id"] == client.ids["kar0"]


def test_without_a_period_the_latest_year_with_most_regions(client):
    body = client.get("/api/compare", params={"indicator": "industrial_output"}).json()
    assert body["period"] == "2021" and "2022" in body["periods"]


def test_a_regions_units_are_compared_with_within(client):
    body = client.get("/api/compare", params={"indicator": "industrial_output", "within": KARAGANDA}).json()
    assert body["within"]["kato"] == KARAGANDA and body["rows"] == []
    assert body["gaps"] and all(g["kato"].startswith("35") for g in body["gaps"])


def test_the_page_shows_ranked_regions_the_kind_of_period_and_gaps(client):
    html = client.get("/compare", params={"indicator": "industrial_output", "period": "2021"}).text
    table = html[html.index('class="table compare"'):]
    table = table[:table.index("</table>")]
    assert table.index(KARAGANDA) < table.index(factories.ALMATY) < table.index(ASTANA)
    assert table.count('class="ranked"') == 3
    assert "Вид периода: год" in html and 'id="compare-chart"' in html and "/static/js/compare.js" in html
    assert 'class="gap" data-kato="790000000"' in html
    assert 'href="/compare"' in html  # in the navigation


def test_the_territory_page_links_to_the_briefing_and_the_comparison(client):
    html = client.get(f"/territories/{factories.ALMATY}").text
    assert f'href="/territories/{factories.ALMATY}/brief?format=pdf"' in html
    assert "/compare?indicator=industrial_output&amp;period=2021" in html


HOSTILE = ["' OR 1=1 --", "%", "_", "\x00", "a\x00b", "../../etc/passwd", "<script>alert(1)</script>", "9" * 39,
           "2024-13", "2024-01..2023-01", "ЖЖЖ" * 13, "\u202e", " ", "-1", "1e309"]


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("field", ["indicator", "period", "within"])
def test_hostile_query_strings_never_500(client, field, value):
    params = {"indicator": "industrial_output", field: value}
    for path in ("/api/compare", "/compare"):
        r = client.get(path, params=params)
        assert r.status_code < 500, (path, field, value, r.text[:200])
        if r.status_code == 200 and path == "/api/compare":
            assert isinstance(r.json()["rows"], list)
    assert client.get("/api/compare", params={"indicator": "industrial_output", field: "x" * 200}).status_code == 422


@pytest.mark.parametrize("value", ["exe", "\x00", "pdf'--", "x" * 50])
def test_brief_route_refuses_bad_formats(client, value):
    assert 400 <= client.get(f"/territories/{factories.ALMATY}/brief", params={"format": value}).status_code < 500


def test_brief_downloads(client):
    r = client.get(f"/territories/{factories.ALMATY}/brief", params={"format": "md"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/markdown")
    assert "attachment" in r.headers["content-disposition"] and ".md" in r.headers["content-disposition"]
    assert "# Справка о социально-экономическом развитии: Алматы" in r.text
    html = client.get(f"/territories/{factories.ALMATY}/brief", params={"format": "html"}).text
    assert f'href="http://testserver/documents/{client.ids["doc2"]}#fact-' in html  # each source links to its page
    assert client.get("/territories/Нигдеград/brief").status_code == 404

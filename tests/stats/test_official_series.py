"""Official series beside the reported ones: /api/series and `qala series` return both, marked."""

from __future__ import annotations

import datetime as dt
import json

from fastapi.testclient import TestClient

from qala.api import create_app
from qala.config import Settings
from qala.ingest.batch import ingest_paths
from qala.stats.importer import import_file

RELEASE = """Алматы, 4 февраля 2021 года. На заседании акимата подвели итоги года.
По словам акима города, уровень безработицы в Алматы в 2020 году составил 5,2%.
"""
TABLE = """Уровень безработицы, %
Регион,2019,2020
г.Алматы,5.4,5.6
г.Шымкент,5.0,5.1
"""
REVISED = TABLE.replace("5.4,5.6", "5.4,5.5")


def _store(engine, tmp_path):
    release = tmp_path / "almaty-2021-02-04.txt"
    release.write_text(RELEASE, encoding="utf-8")
    ingest_paths(engine, [str(release)])
    (tmp_path / "a.csv").write_text(TABLE, encoding="utf-8")
    (tmp_path / "b.csv").write_text(REVISED, encoding="utf-8")
    assert import_file(engine, tmp_path / "a.csv", vintage=dt.date(2021, 3, 1)).added == 4
    assert import_file(engine, tmp_path / "b.csv", vintage=dt.date(2021, 9, 1)).added == 1


def test_api_series_holds_reported_and_official_points(engine, db_url, tmp_path):
    _store(engine, tmp_path)
    app = create_app(Settings(database_url=db_url, secret_key="test-secret"), engine=engine)
    with TestClient(app) as client:
        body = client.get("/api/series", params={"territory": "750000000", "indicator": "unemployment_rate"}).json()
    points = body["data"]
    reported = [(p["period"], p["value"]) for p in points if p["source_kind"] == "reported"]
    official = [(p["period"], p["value"]) for p in points if p["source_kind"] == "official"]
    assert reported == [("2020", 5.2)]
    assert official == [("2019", 5.4), ("2020", 5.5)]  # the revised vintage
    revised = next(p for p in points if p["source_kind"] == "official" and p["period"] == "2020")
    assert revised["kind"] == "official" and revised["official"]["vintage"] == "2021-09-01"
    assert [v["value"] for v in revised["official"]["history"]] == [5.6, 5.5]


def test_cli_series_lists_official_points(engine, db_url, tmp_path):
    from typer.testing import CliRunner

    from qala.cli import create_app as cli

    _store(engine, tmp_path)
    result = CliRunner().invoke(cli(), ["series", "--territory", "750000000", "--indicator", "unemployment_rate",
                                        "--json", "--db", db_url])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert {(r["period"], r["source_kind"]) for r in rows} == {("2020", "reported"), ("2019", "official"),
                                                               ("2020", "official")}


def test_export_marks_the_source_kind(engine, tmp_path):
    import csv
    import io

    from qala.store.export import export_facts

    _store(engine, tmp_path)
    out = io.BytesIO()
    export_facts(engine, "csv", out, official=True, territory="750000000")
    rows = list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8"))))
    kinds = sorted((r["source_kind"], r["period"], r["value"]) for r in rows if r["indicator"] == "unemployment_rate")
    assert kinds == [("official", "2019", "5.4"), ("official", "2020", "5.5"), ("reported", "2020", "5.2")]
    plain = io.BytesIO()
    export_facts(engine, "csv", plain)
    assert {r["source_kind"] for r in csv.DictReader(io.StringIO(plain.getvalue().decode("utf-8")))} == {"reported"}


def test_territory_page_draws_the_official_line_with_press_points(engine, db_url, tmp_path):
    import re

    _store(engine, tmp_path)
    app = create_app(Settings(database_url=db_url, secret_key="test-secret"), engine=engine)
    with TestClient(app) as client:
        html = client.get("/territories/750000000").text
    assert "Официальная статистика" in html and 'id="chart-official-unemployment_rate"' in html
    charts = json.loads(re.search(r'id="chart-data">(.*?)</script>', html, re.DOTALL).group(1))
    points = charts["official-unemployment_rate"]
    official = [p for p in points if p["kind"] == "official"]
    press = [p for p in points if p["kind"] == "reported"]
    assert [p["y"] for p in official] == [5.4, 5.5] and "Бюро национальной статистики" in official[0]["label"]
    assert [p["y"] for p in press] == [5.2] and "пресс-релиз 2021-02-04" in press[0]["label"]
    assert press[0]["url"].startswith("/documents/")

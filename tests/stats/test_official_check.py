"""The "reported vs official" check on press releases written for the project, ingested as any
release is, against a small official table imported with qala stats."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from qala.ingest.batch import ingest_paths
from qala.monitor.checks import list_checks
from qala.monitor.recompute import recompute_all
from qala.stats.importer import import_file

OFFICIAL = """indicator,territory,period,value,unit,source_repo
Уровень безработицы,г.Алматы,2020,5.5,%,bureau/labour-table
Уровень безработицы,г.Алматы,2021,4.9,%,bureau/labour-table
"Численность населения на начало года (всё население, всего)",г.Алматы,2021,1916822,человек,bureau/demography
"""

DISAGREES = """Алматы, 4 февраля 2021 года. На заседании акимата подвели итоги года.
По словам акима города, уровень безработицы в Алматы в 2020 году составил 4,2%.
"""

AGREES = """Алматы, 4 февраля 2021 года. На заседании акимата подвели итоги года.
По словам акима города, уровень безработицы в Алматы в 2020 году составил 5,5%.
Численность населения города на 1 января 2021 года составила 1,9 млн человек.
"""


def _store(engine, tmp_path: Path, release: str) -> None:
    path = tmp_path / "almaty-2021-02-04.txt"
    path.write_text(release, encoding="utf-8")
    ingest_paths(engine, [str(path)])
    table = tmp_path / "official.csv"
    table.write_text(OFFICIAL, encoding="utf-8")
    report = import_file(engine, table, vintage=dt.date(2021, 6, 1))
    assert report.added == 3 and not report.unmatched
    recompute_all(engine)


def test_a_figure_official_statistics_disagree_with_is_flagged(engine, tmp_path):
    _store(engine, tmp_path, DISAGREES)
    found = list_checks(engine, kind="official_mismatch")
    assert len(found) == 1
    check = found[0]
    assert (check["value"], check["expected"]) == (4.2, 5.5)
    assert check["period_start"] == "2020-01-01" and check["unit"] == "%"
    assert "4,2%" in check["fact"]["sentence"]
    assert check["official"]["reference"] == "bureau/labour-table"
    assert check["official"]["vintage"] == "2021-06-01"
    assert "5,5" in check["message"] and "bureau/labour-table" in check["message"]


def test_figures_that_agree_within_rounding_raise_nothing(engine, tmp_path):
    _store(engine, tmp_path, AGREES)  # 5,5% exactly; "1,9 млн" covers the official 1 916 822
    assert list_checks(engine, kind="official_mismatch") == []


@pytest.mark.parametrize("written, flagged", [(5.5, False), (5.46, False), (5.6, True), (4.9, True)])
def test_tolerance_is_the_written_rounding(written, flagged):
    from qala.monitor.official import agrees

    assert agrees(written, 5.5) is not flagged


PLAN = """Алматы, 4 февраля 2020 года. На расширенном заседании акимата обсудили планы на год.
Аким города поставил задачу снизить уровень безработицы в Алматы до 4,5% в 2021 году.
"""


def test_a_commitment_is_judged_against_the_official_outcome(engine, tmp_path):
    from qala.monitor.commitments import list_commitments

    path = tmp_path / "almaty-2020-02-04.txt"
    path.write_text(PLAN, encoding="utf-8")
    ingest_paths(engine, [str(path)])
    table = tmp_path / "official.csv"
    table.write_text(OFFICIAL, encoding="utf-8")
    import_file(engine, table, vintage=dt.date(2022, 3, 1))
    recompute_all(engine)
    (plan,) = list_commitments(engine)
    assert (plan["target"], plan["direction"], plan["status"]) == (4.5, "down", "no_data")  # no press outcome
    official = plan["official"]
    assert (official["value"], official["period_end"], official["status"]) == (4.9, "2021-12-31", "failed")
    assert official["reference"] == "bureau/labour-table"


def test_the_territory_page_shows_the_sentence_beside_the_official_value(engine, db_url, tmp_path):
    from fastapi.testclient import TestClient

    from qala.api import create_app
    from qala.config import Settings

    _store(engine, tmp_path, DISAGREES)
    app = create_app(Settings(database_url=db_url, secret_key="test-secret"), engine=engine)
    with TestClient(app) as client:
        html = client.get("/territories/750000000").text
    assert "расходится с официальной статистикой" in html
    assert "4,2%" in html and "bureau/labour-table" in html and "данные на 2021-06-01" in html

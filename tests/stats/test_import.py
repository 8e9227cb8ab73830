"""qala.stats: official tables in three shapes, matched, stored with vintages; bad input listed
or refused in one line, never half-imported. Tables here are written for the project."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import text

from qala.stats.importer import import_file
from qala.stats.names import gazetteer
from qala.stats.periods import read_period

TIDY = """indicator,territory,period,value,unit
Уровень безработицы,г.Алматы,2020,5.5,%
Уровень безработицы,Г.АСТАНА,2020-Q2,4.9,%
Уровень безработицы,город Нур-Султан,2021,4.8,%
Уровень безработицы,Южно-Казахстанская,2017,4.6,%
Уровень безработицы,Almaty region,2019,4.7,%
"""


def _write(tmp_path: Path, name: str, body: str | bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(body if isinstance(body, bytes) else body.encode("utf-8"))
    return p


def _values(engine) -> list[tuple]:
    from sqlalchemy import select

    from qala.store.schema import OfficialValue as V

    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(
            select(V.kato, V.indicator_code, V.period_kind, V.period_start, V.value, V.unit, V.vintage)
            .order_by(V.kato, V.period_start, V.vintage))]


def _count(engine, table: str = "official_values") -> int:
    with engine.connect() as conn:
        return conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar()


def test_spellings_of_one_territory_reach_one_code():
    g = gazetteer()
    for name in ("г.Астана", "Г.АСТАНА", "город Нур-Султан", "Нұр-Сұлтан қаласы", "Astana", "г. Астана 2)"):
        assert g.match(name).place.code == "710000000", name
    assert g.match("Южно-Казахстанская").place.code == "510000000"
    assert g.match("Шығыс Қазақстан").place.code == "630000000"
    assert g.match("Атлантида").place is None
    assert "ambiguous" in g.match("Жамбыл ауданы").reason
    assert g.match("Жамбыл ауданы", within="310000000").place.code == "314000000"


def test_period_kinds():
    assert read_period("2020").kind == "year"
    assert read_period("II квартал 2021").kind == "quarter"
    ytd = read_period("2021-Q3", cumulative=True)
    assert (ytd.kind, ytd.start, ytd.end) == ("ytd", dt.date(2021, 1, 1), dt.date(2021, 9, 30))
    assert read_period("01.01.2022").kind == "date"
    assert read_period("весной") is None


def test_tidy_table_imports_and_a_second_import_adds_nothing(engine, tmp_path):
    path = _write(tmp_path, "tidy.csv", TIDY)
    report = import_file(engine, path, vintage=dt.date(2024, 1, 10))
    assert (report.shape, report.rows_read, report.added, report.unmatched) == ("tidy", 5, 5, [])
    rows = _values(engine)
    assert ("750000000", "unemployment_rate", "year", dt.date(2020, 1, 1), 5.5, "%", dt.date(2024, 1, 10)) in rows
    assert {r[0] for r in rows} == {"750000000", "710000000", "510000000", "190000000"}
    again = import_file(engine, path, vintage=dt.date(2024, 1, 10))
    assert again.already == report.import_id and _count(engine) == 5
    later = import_file(engine, path, vintage=dt.date(2024, 3, 1))  # same values, a new vintage: nothing new
    assert (later.added, later.unchanged) == (0, 5) and _count(engine) == 5


def test_revised_vintage_keeps_the_old_value_as_history(engine, tmp_path):
    import_file(engine, _write(tmp_path, "a.csv", TIDY), vintage=dt.date(2024, 1, 10))
    revised = TIDY.replace("г.Алматы,2020,5.5", "г.Алматы,2020,5.3")
    report = import_file(engine, _write(tmp_path, "b.csv", revised), vintage=dt.date(2024, 5, 1))
    assert (report.added, report.unchanged) == (1, 4)
    almaty = [r for r in _values(engine) if r[0] == "750000000"]
    assert [(r[4], r[6]) for r in almaty] == [(5.5, dt.date(2024, 1, 10)), (5.3, dt.date(2024, 5, 1))]


def test_wide_table_with_units_in_the_title(engine, tmp_path):
    body = ("Валовой региональный продукт на душу населения, тыс. тенге\n"
            "Регион;2021;2022\n"
            "Республика Казахстан;5 180,2;6 110,4\n"
            "г.Шымкент;2 600,1;-\n")
    report = import_file(engine, _write(tmp_path, "wide.csv", body), vintage=dt.date(2024, 1, 1))
    assert (report.shape, report.added, report.unmatched) == ("wide", 3, [])
    rows = _values(engine)
    assert ("790000000", "grp_per_capita", "year", dt.date(2021, 1, 1), pytest.approx(2600100.0), "KZT",
            dt.date(2024, 1, 1)) in rows


def test_taldau_answer(engine, tmp_path):
    answer = {"indexName": "Среднедушевые номинальные денежные доходы населения", "measureName": "тенге",
              "data": [{"terms": [1, 2], "termNames": ["Г.АЛМАТЫ", "Всего"],
                        "periods": [{"name": "2019 год", "date": "31.12.2019", "value": 151200},
                                    {"name": "2020 год", "date": "31.12.2020", "value": "160 300,5"}]},
                       {"terms": [3], "termNames": ["ОБЛАСТЬ НАРНИЯ"],
                        "periods": [{"name": "2020 год", "date": "31.12.2020", "value": 1}]}]}
    report = import_file(engine, _write(tmp_path, "taldau.json", json.dumps(answer, ensure_ascii=False)))
    assert (report.shape, report.added) == ("taldau", 2)
    assert report.unmatched == [(2, "unknown territory 'ОБЛАСТЬ НАРНИЯ'")]
    assert {r[4] for r in _values(engine)} == {151200.0, 160300.5}


def test_bad_rows_are_listed_and_the_rest_imported(engine, tmp_path):
    body = TIDY + ("Уровень безработицы,Костанайская,2020,пять,%\n"       # text in a number cell
                   "Уровень безработицы,Атлантида,2020,4.1,%\n"           # unknown region
                   "Уровень безработицы,г.Алматы,2020,5.5,%\n"            # a duplicate row
                   "Уровень безработицы,Павлодарская,2020,4.8,%\n"
                   "Уровень безработицы,Павлодарская,2020,4.9,%\n"        # the same period, another value
                   "Индекс счастья,г.Алматы,2020,7,%\n")                  # not in the catalogue
    report = import_file(engine, _write(tmp_path, "bad.csv", body))
    reasons = dict(report.unmatched)
    assert "not a number" in reasons[7] and "unknown territory" in reasons[8]
    assert "contradict" in reasons[10] and "contradict" in reasons[11]
    assert "not in the catalogue" in reasons[12]
    assert report.duplicates == [(9, 2)]
    assert report.added == 5 and _count(engine) == 5


@pytest.mark.parametrize("name, body, message", [
    ("header.csv", "region,year,amount\nг.Алматы,2020,5\n", "wrong header"),
    ("broken.json", '[{"termNames": ["г.Алматы"], "periods": [', "not JSON"),
    ("notaldau.json", '{"rows": 1}', "not a Taldau answer"),
    ("noname.json", '[{"termNames": ["г.Алматы"], "periods": []}]', "--indicator"),
    ("binary.csv", b"\x00\x01\x02indicator", "binary"),
    ("empty.csv", "", "empty file"),
])
def test_unreadable_files_are_refused_in_one_line(engine, tmp_path, name, body, message):
    report = import_file(engine, _write(tmp_path, name, body))
    assert report.error and message in report.error and "\n" not in report.error
    assert _count(engine) == 0 and _count(engine, "official_imports") == 0


def test_a_50_mb_file_is_refused_before_it_is_read(engine, tmp_path):
    path = tmp_path / "huge.csv"
    with path.open("wb") as f:
        f.write(TIDY.encode())
        f.truncate(50 * 2**20)  # sparse: 50 MB without writing them
    report = import_file(engine, path)
    assert report.error.startswith("file is 50.0 MB") and _count(engine) == 0


def test_a_50_mb_cell_allowed_by_size_is_listed_not_raised(engine, tmp_path):
    path = tmp_path / "cell.csv"
    path.write_text("indicator,territory,period,value,unit\nУровень безработицы,г.Алматы,2020,"
                    + "9" * (50 * 2**20) + ",%\n", encoding="utf-8")
    report = import_file(engine, path, max_bytes=None)
    assert report.error is not None and "CSV" in report.error  # the csv module's field limit, in one line
    assert _count(engine) == 0


def test_cli_reports_matched_and_unmatched(tmp_path):
    from typer.testing import CliRunner

    from qala.cli import create_app

    path = _write(tmp_path, "t.csv", TIDY + "Уровень безработицы,Атлантида,2020,4.1,%\n")
    db = f"sqlite:///{tmp_path / 'q.sqlite3'}"
    result = CliRunner().invoke(create_app(), ["stats", "import", str(path), "--db", db, "--vintage", "2024-01-01"])
    assert result.exit_code == 0, result.output
    assert "6 rows, matched 5 (83.3%), added 5" in result.output
    assert "row 7: unknown territory 'Атлантида'" in result.output
    bad = CliRunner().invoke(create_app(), ["stats", "import", str(path), "--db", db, "--vintage", "soon"])
    assert bad.exit_code == 1 and "Traceback" not in bad.output


def test_xlsx_tidy_and_wide(engine, tmp_path):
    from openpyxl import Workbook

    tidy = Workbook()
    sheet = tidy.active
    sheet.append(["Показатель", "Регион", "Период", "Значение", "Единица измерения"])
    sheet.append(["Уровень безработицы", "Шымкент қаласы", "2021-Q4", 4.6, "%"])
    sheet.append(["Уровень безработицы", "Нарния", "2021-Q4", 4.6, "%"])
    tidy.save(tmp_path / "tidy.xlsx")
    wide = Workbook()
    sheet = wide.active
    sheet.append(["Численность населения на начало года (всё население, всего)"])
    sheet.append(["Единица измерения: человек"])
    sheet.append(["Территория", 2021, 2022])
    sheet.append(["ЖАМБЫЛСКАЯ ОБЛАСТЬ", 1139033, 1213040])
    wide.save(tmp_path / "wide.xlsx")
    first = import_file(engine, tmp_path / "tidy.xlsx", vintage=dt.date(2024, 1, 1))
    assert (first.shape, first.added, first.unmatched) == ("tidy", 1, [(3, "unknown territory 'Нарния'")])
    second = import_file(engine, tmp_path / "wide.xlsx", vintage=dt.date(2024, 1, 1))
    assert (second.shape, second.added) == ("wide", 2)
    rows = _values(engine)
    assert ("790000000", "unemployment_rate", "quarter", dt.date(2021, 10, 1), 4.6, "%", dt.date(2024, 1, 1)) in rows
    assert ("310000000", "population", "date", dt.date(2022, 1, 1), 1213040.0, "count", dt.date(2024, 1, 1)) in rows


def test_a_broken_xlsx_is_refused(engine, tmp_path):
    report = import_file(engine, _write(tmp_path, "broken.xlsx", b"PK\x03\x04 not really a workbook"))
    assert report.error.startswith("unreadable XLSX") and _count(engine) == 0


def test_a_write_that_fails_half_way_leaves_nothing(engine, tmp_path, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from qala.stats import importer

    real = importer.write_values

    def fail_after_some(conn, rows):
        real(conn, list(rows)[:2])  # two rows in, then the store gives up
        raise OperationalError("INSERT", {}, Exception("disk I/O error"))

    monkeypatch.setattr(importer, "write_values", fail_after_some)
    report = import_file(engine, _write(tmp_path, "tidy.csv", TIDY))
    assert report.error == "the store refused the rows, nothing imported: disk I/O error"
    assert _count(engine) == 0 and _count(engine, "official_imports") == 0


def test_a_heading_is_settled_by_the_towns_listed_under_it(engine, tmp_path):
    body = ("Численность населения на 1 января 2023 года по областям, городам и районам (всё население, всего), человек\n"
            "Атауы,2023\n"
            "Алматы,1 500 000\n"            # in a Kazakh bulletin: the region, told by the town under it
            "Қонаев қ.ә.,70 000\n"
            "Жамбыл ауданы,140 000\n"       # three regions have one: the one being listed
            "Алматы қаласы,2 200 000\n"
            "Алматы,9\n")                   # nothing under it: stays ambiguous
    report = import_file(engine, _write(tmp_path, "bulletin.csv", body), vintage=dt.date(2024, 1, 1))
    assert report.shape == "wide"
    assert [r for r, _ in report.unmatched] == [7] and "ambiguous" in report.unmatched[0][1]
    got = {r[0]: r[4] for r in _values(engine)}
    assert got == {"190000000": 1500000.0, "191000000": 70000.0, "194200000": 140000.0, "750000000": 2200000.0}

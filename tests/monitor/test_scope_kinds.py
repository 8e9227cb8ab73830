"""Scope, kinds of period and checks a reader agrees with (issue 12, items 3, 5 and 6): a figure of
one plant stays out of its region's series and checks; a series holds one kind of period; two
figures of one document are never a contradiction, and a contradiction shows both sentences and
the size of the gap. The reports are written for these tests."""

from __future__ import annotations

import pytest

from qala.api.monitoring import merged_series
from qala.monitor.checks import list_checks
from qala.monitor.recompute import recompute_all
from qala.monitor.series import series_for
from tests.monitor.factories import Rows

REGION = "Жамбылская область"
JOBS = "jobs_created"
OUTPUT = "industrial_output"


def _points(engine, rows: Rows, indicator: str = JOBS):
    return series_for(engine, territory_id=rows.territory(REGION), indicator_id=rows.indicator(indicator))


def test_a_plants_figure_is_not_a_point_of_its_region_nor_a_contradiction(engine):
    rows = Rows(engine)
    rows.report("В области за полугодие создано 3 400 рабочих мест.", "2025-07-20",
                {"territory": REGION, "indicator": JOBS, "period": "2025-01..2025-06", "value": 3400, "unit": "count"})
    rows.report("Новый сахарный завод дал 1 500 рабочих мест.", "2025-08-02",
                {"territory": REGION, "indicator": JOBS, "period": "2025-01..2025-06", "value": 1500, "unit": "count",
                 "scope": "object", "scope_name": "сахарный завод"})
    recompute_all(engine)
    (point,) = [p for p in _points(engine, rows) if p.kind == "reported"]
    assert (point.value, point.n_documents) == (3400, 1)
    assert [s.value for s in point.sources] == [3400]
    assert list_checks(engine) == []


def test_the_same_figures_both_of_the_region_are_a_contradiction(engine):
    """The control for the test above: without the scope the two reports do disagree."""
    rows = Rows(engine)
    first = rows.report("В области за полугодие создано 3 400 рабочих мест.", "2025-07-20",
                        {"territory": REGION, "indicator": JOBS, "period": "2025-01..2025-06", "value": 3400,
                         "unit": "count"})
    second = rows.report("За первое полугодие в регионе открыто 1 500 рабочих мест.", "2025-08-02",
                         {"territory": REGION, "indicator": JOBS, "period": "2025-01..2025-06", "value": 1500,
                          "unit": "count"})
    recompute_all(engine)
    (check,) = list_checks(engine)
    assert check["kind"] == "contradiction"
    assert {check["fact"]["document_id"], check["other"]["document_id"]} == {first, second}
    sentences = {check["fact"]["sentence"], check["other"]["sentence"]}
    assert sentences == {"В области за полугодие создано 3 400 рабочих мест.",
                         "За первое полугодие в регионе открыто 1 500 рабочих мест."}
    gap = check["gap"]
    assert abs(gap["absolute"]) == 1900 and not gap["points"]
    assert abs(gap["relative"]) == pytest.approx(1900 / (check["expected"]), abs=1e-4)
    assert check["period_kind"] == "half"
    assert "разница 1,9 тыс." in check["message"]


def test_two_figures_of_one_document_are_never_a_contradiction(engine):
    rows = Rows(engine)
    doc = rows.document("В районе построено 120 домов. Отдельно сообщается о 45 домах.", "2024-02-01")
    for value, span in ((120, (0, 29)), (45, (30, 62))):
        rows.fact(doc, REGION, "houses_built", "2023", value, "count", span=span)
    recompute_all(engine)
    assert list_checks(engine) == []


def test_a_third_document_agreeing_with_one_figure_of_a_document_raises_nothing_against_it(engine):
    """A text that gives both 120 and 45 speaks of two things; another text's 120 backs the first."""
    rows = Rows(engine)
    doc = rows.document("В районе построено 120 домов, из них 45 для молодых семей.", "2024-02-01")
    rows.fact(doc, REGION, "houses_built", "2023", 120, "count", span=(0, 28))
    rows.fact(doc, REGION, "houses_built", "2023", 45, "count", span=(30, 57))
    rows.report("Итог года: 120 новых домов в районе.", "2024-02-10",
                {"territory": REGION, "indicator": "houses_built", "period": "2023", "value": 120, "unit": "count"})
    recompute_all(engine)
    assert list_checks(engine) == []


def test_a_contradiction_of_rates_gives_its_gap_in_points(engine):
    rows = Rows(engine)
    for text, day, pct in (("Выпуск вырос на 4,1%.", "2024-02-01", 4.1), ("Рост выпуска составил 6,3%.", "2024-03-01", 6.3)):
        rows.report(text, day, {"territory": REGION, "indicator": OUTPUT, "period": "2023", "value": None,
                                "change": ("percent", pct, "up")})
    recompute_all(engine)
    (check,) = list_checks(engine)
    assert check["gap"]["points"] and abs(check["gap"]["absolute"]) == pytest.approx(2.2)
    assert check["gap"]["relative"] is None
    assert "п.п." in check["message"]


def test_each_point_has_its_kind_and_year_on_year_pairs_like_with_like(engine):
    rows = Rows(engine)
    for text, day, period, value in (
            ("За январь-сентябрь выпуск составил 500 млрд тенге.", "2023-10-15", "2023-01..2023-09", 500e9),
            ("За январь-сентябрь выпуск составил 400 млрд тенге.", "2022-10-15", "2022-01..2022-09", 400e9),
            ("За 2022 год выпуск составил 560 млрд тенге.", "2023-02-01", "2022", 560e9)):
        rows.report(text, day, {"territory": REGION, "indicator": OUTPUT, "period": period, "value": value})
    recompute_all(engine)
    points = {p.period: p for p in _points(engine, rows, OUTPUT) if p.kind == "reported"}
    assert {k: p.period_kind for k, p in points.items()} == {
        "2022-01..2022-09": "ytd", "2023-01..2023-09": "ytd", "2022": "year"}
    assert points["2023-01..2023-09"].yoy_percent == pytest.approx(25.0)  # against January–September 2022
    assert points["2022"].yoy_percent is None  # no whole year 2021; never against a nine months' sum
    assert list_checks(engine) == []  # 500 for nine months and 560 for a year are not one figure


def test_a_chart_series_never_joins_a_sum_since_january_to_whole_years(engine):
    rows = Rows(engine)
    for text, day, period, value in (
            ("Итог 2021 года: 700 млрд тенге.", "2022-02-01", "2021", 700e9),
            ("Итог 2022 года: 760 млрд тенге.", "2023-02-01", "2022", 760e9),
            ("За январь-август 2023 года: 520 млрд тенге.", "2023-09-10", "2023-01..2023-08", 520e9),
            ("За январь-октябрь 2023 года: 640 млрд тенге.", "2023-11-10", "2023-01..2023-10", 640e9)):
        rows.report(text, day, {"territory": REGION, "indicator": OUTPUT, "period": period, "value": value})
    recompute_all(engine)
    merged = merged_series(engine, territory_id=rows.territory(REGION), indicator_id=rows.indicator(OUTPUT))
    assert merged["period_kind"] == "year"
    assert [p["period"] for p in merged["points"]] == ["2021", "2022"]
    ytd = merged_series(engine, territory_id=rows.territory(REGION), indicator_id=rows.indicator(OUTPUT),
                        granularity="range")
    assert ytd["period_kind"] == "ytd" and {p["period_kind"] for p in ytd["points"]} == {"ytd"}


def test_a_plants_plan_stays_a_commitment_but_the_regions_figure_is_not_its_evidence(engine):
    from qala.monitor.commitments import list_commitments

    rows = Rows(engine)
    rows.report("Новый завод к концу года создаст 900 рабочих мест.", "2024-03-01",
                {"territory": REGION, "indicator": JOBS, "period": "2024", "value": 900, "unit": "count",
                 "scope": "object", "scope_name": "завод"})
    rows.report("В области по итогам года создано 5 200 рабочих мест.", "2025-01-20",
                {"territory": REGION, "indicator": JOBS, "period": "2024", "value": 5200, "unit": "count"})
    recompute_all(engine, today=__import__("datetime").date(2025, 3, 1))
    (plan,) = list_commitments(engine)
    assert (plan["target"], plan["status"], plan["actual"]) == (900, "no_data", None)
    assert list_checks(engine) == []

"""Series: one point per period whatever the number of reports; implied bases; year-on-year change."""

from __future__ import annotations

import pytest

from qala.monitor.recompute import recompute_all
from qala.monitor.series import series_for, undated_for
from tests.monitor.factories import Rows

ALMATY = "Алматы"
OUTPUT = "industrial_output"


def _points(engine, rows: Rows, **kw):
    return series_for(engine, territory_id=rows.territory(ALMATY), indicator_id=rows.indicator(OUTPUT), **kw)


def test_a_figure_reported_twice_is_one_point_with_both_sources(engine):
    rows = Rows(engine)
    first = rows.report("Промышленность города дала 1,052 трлн тенге за прошлый год.", "2021-02-04",
                        {"territory": ALMATY, "indicator": OUTPUT, "period": "2020", "value": 1.052e12})
    second = rows.report("Объём промышленного производства в 2020 году составил 1,052 трлн.", "2021-03-10",
                         {"territory": ALMATY, "indicator": OUTPUT, "period": "2020", "value": 1.052e12})
    recompute_all(engine)
    (point,) = _points(engine, rows)
    assert (point.period, point.value, point.n_documents) == ("2020", 1.052e12, 2)
    assert sorted(s.document_id for s in point.sources) == sorted([first, second])


def test_a_near_duplicate_does_not_add_a_source(engine):
    rows = Rows(engine)
    original = rows.report("Инвестиции выросли до 971,2 млрд тенге.", "2021-02-04",
                           {"territory": ALMATY, "indicator": OUTPUT, "period": "2020", "value": 971.2e9})
    rows.report("Инвестиции выросли до 971,2 млрд тенге!", "2021-02-05",
                {"territory": ALMATY, "indicator": OUTPUT, "period": "2020", "value": 971.2e9}, near_duplicate_of=original)
    recompute_all(engine)
    (point,) = _points(engine, rows)
    assert point.n_documents == 1
    assert [s.document_id for s in point.sources] == [original]


def test_the_base_implied_by_a_change_is_kept_and_linked(engine):
    rows = Rows(engine)
    rows.report("Объём производства достиг 1,052 трлн тенге, рост на 4,6%.", "2021-02-04",
                {"territory": ALMATY, "indicator": OUTPUT, "period": "2020", "value": 1.052e12,
                     "change": ("percent", 4.6, "up")})
    recompute_all(engine)
    points = _points(engine, rows)
    implied = [p for p in points if p.kind == "implied"]
    assert len(implied) == 1
    assert implied[0].period == "2019"
    assert implied[0].value == pytest.approx(1.0057e12, rel=1e-3)
    assert implied[0].fact_id == next(p.fact_id for p in points if p.kind == "reported")


@pytest.mark.parametrize("change, expected", [
    (("index", 117.2, "up"), 971.2e9 / 1.172),
    (("percent", 10.3, "down"), 971.2e9 / 0.897),
    (("times", 2, "up"), 971.2e9 / 2),
    (("absolute", 100e9, "up"), 871.2e9),
])
def test_each_change_kind_implies_its_base(engine, change, expected):
    rows = Rows(engine)
    rows.report("Показатель за 2020 год.", "2021-02-04",
                {"territory": ALMATY, "indicator": OUTPUT, "period": "2020", "value": 971.2e9, "change": change})
    recompute_all(engine)
    (implied,) = [p for p in _points(engine, rows) if p.kind == "implied"]
    assert implied.value == pytest.approx(expected)


def test_year_on_year_change_where_the_data_allow(engine):
    rows = Rows(engine)
    for period, value in (("2018", 800e9), ("2019", 1000e9), ("2021", 1100e9),
                          ("2020-01..2020-06", 500e9), ("2021-01..2021-06", 600e9)):
        rows.report(f"Итоги {period}.", "2022-02-01", {"territory": ALMATY, "indicator": OUTPUT, "period": period,
                                                          "value": value})
    recompute_all(engine)
    yoy = {p.period: p.yoy_percent for p in _points(engine, rows)}
    assert yoy == {"2018": None, "2019": 25.0, "2021": None, "2020-01..2020-06": None, "2021-01..2021-06": 20.0}


def test_a_change_of_a_month_range_has_its_base_a_year_earlier(engine):
    rows = Rows(engine)
    rows.report("За январь-февраль 2020 года 84,4 тыс. кв. м, плюс 6,7%.", "2020-03-20",
                {"territory": ALMATY, "indicator": OUTPUT, "period": "2020-01..2020-02", "value": 84400, "unit": "m2",
                     "change": ("percent", 6.7, "up")})
    recompute_all(engine)
    (implied,) = [p for p in _points(engine, rows) if p.kind == "implied"]
    assert (implied.period, implied.period_end.isoformat()) == ("2019-01..2019-02", "2019-02-28")


def test_a_figure_without_a_period_is_no_point_but_stays_listed(engine):
    """A value with no period cannot be placed in time: left out of the series (and of checks),
    listed by undated_for instead, and never breaks reading the series."""
    rows = Rows(engine)
    rows.report("Промышленность дала 1,052 трлн тенге за 2020 год.", "2021-02-04",
                {"territory": ALMATY, "indicator": OUTPUT, "period": "2020", "value": 1.052e12})
    undated = rows.report("Промышленность дала 2,3 трлн тенге.", "2021-03-01",
                          {"territory": ALMATY, "indicator": OUTPUT, "period": None, "value": 2.3e12})
    result = recompute_all(engine)
    points = _points(engine, rows)
    assert [(p.period, p.value, [s.value for s in p.sources]) for p in points] == [("2020", 1.052e12, [1.052e12])]
    assert result["checks"]["contradiction"] == 0
    listed = undated_for(engine, territory_id=rows.territory(ALMATY), indicator_id=rows.indicator(OUTPUT))
    assert [(s.document_id, s.value) for s in listed] == [(undated, 2.3e12)]
    assert undated_for(engine, territory_id=rows.territory(ALMATY), indicator_id=rows.indicator(OUTPUT),
                       unit="m2") == []

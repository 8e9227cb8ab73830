"""Claim checks on small reports written for them: each check fires where it should and only there."""

from __future__ import annotations

import pytest

from qala.monitor.checks import list_checks
from qala.monitor.recompute import recompute_all
from tests.monitor.factories import Rows

CITY = "Шымкент"


def _kinds(engine) -> list[str]:
    return sorted(c["kind"] for c in list_checks(engine))


# (first report, second report, expected check kinds): each report is (value, unit, change)
CONTRADICTIONS = [
    ((854e9, "KZT", None), (1.056e12, "KZT", None), ["contradiction"]),     # 854 млрд vs 1,056 трлн
    ((2.396e6, "m2", None), (2.4e6, "m2", None), []),                        # 2,396 млн is 2,4 млн rounded
    ((43.2e9, "KZT", None), (43e9, "KZT", None), []),                        # 43 млрд covers 43,2
    ((1.5e12, "KZT", None), (1.53e12, "KZT", None), []),                     # 1,5 трлн covers 1,53
    ((1.5e12, "KZT", None), (1.58e12, "KZT", None), ["contradiction"]),      # but not 1,58
    ((None, "m2", ("percent", 41.4, "down")), (None, "m2", ("percent", 34.6, "down")), ["contradiction"]),
    ((None, "KZT", ("percent", 5.1, "up")), (None, "KZT", ("percent", 5, "up")), []),    # 5% covers 5,1%
    ((None, "%", ("index", 106.7, "up")), (None, "%", ("percent", 6.7, "up")), []),      # same change, two ways
    ((None, "%", ("index", 106.7, "up")), (None, "%", ("percent", 7.7, "up")), ["contradiction"]),
    ((425e9, "KZT", None), (425e9, "m2", None), []),                           # different units: not comparable
]


@pytest.mark.parametrize("first, second, expected", CONTRADICTIONS)
def test_contradictions_respect_written_precision(engine, first, second, expected):
    rows = Rows(engine)
    for (value, unit, change), day in ((first, "2019-02-01"), (second, "2019-03-01")):
        rows.report("Отчёт о показателе города.", day,
                    {"territory": CITY, "indicator": "investment", "period": "2018", "value": value, "unit": unit, "change": change})
    recompute_all(engine)
    assert _kinds(engine) == expected


def test_a_contradiction_shows_both_sentences(engine):
    rows = Rows(engine)
    a = rows.report("Инвестиции в основной капитал составили 854 млрд тенге.", "2019-01-20",
                    {"territory": CITY, "indicator": "investment", "period": "2018", "value": 854e9})
    b = rows.report("Город привлёк 1,056 трлн тенге инвестиций.", "2019-02-20",
                    {"territory": CITY, "indicator": "investment", "period": "2018", "value": 1.056e12})
    rows.report("Инвестиции города за год: 854 млрд тенге.", "2019-03-20",
                {"territory": CITY, "indicator": "investment", "period": "2018", "value": 854e9})
    recompute_all(engine)
    (check,) = list_checks(engine, kind="contradiction")
    assert check["fact"]["document_id"] == b and check["other"]["document_id"] == a  # two reports back 854
    assert check["fact"]["sentence"] == "Город привлёк 1,056 трлн тенге инвестиций."
    assert "854" in check["other"]["sentence"]
    assert check["territory"] == CITY and check["period_start"] == "2018-01-01"


# (unit, level reported for 2019, level and change reported for 2020, expected)
MISMATCHES = [
    ("KZT", 1.006e12, (1.052e12, ("percent", 4.6, "up")), []),           # 1,052 / 1,046 = 1,0057 трлн
    ("KZT", 1.2e12, (1.052e12, ("percent", 4.6, "up")), ["change_mismatch"]),
    ("KZT", 900e9, (1.052e12, ("index", 116.9, "up")), []),
    ("KZT", 800e9, (1.052e12, ("index", 116.9, "up")), []),    # real growth, nominal levels: prices explain it
    ("KZT", 700e9, (1.052e12, ("index", 116.9, "up")), ["change_mismatch"]),   # but not this much
    ("m2", 800e3, (1.052e6, ("index", 116.9, "up")), ["change_mismatch"]),    # square metres have no prices
    ("m2", 1.001e6, (1.052e6, ("percent", 4.6, "down")), ["change_mismatch"]),  # a fall cannot end above its base
    ("m2", 1.0e6, (1.052e6, ("percent", 4.6, "down")), []),   # "1 млн" is written too coarsely to tell
    ("m2", 1.001e6, (None, ("percent", 5.2, "up")), []),      # change only: checked with the 2020 level
    ("m2", 1.001e6, (None, ("percent", 25, "up")), ["change_mismatch"]),
]


@pytest.mark.parametrize("unit, base, current, expected", MISMATCHES)
def test_a_change_must_fit_the_stored_base(engine, unit, base, current, expected):
    rows = Rows(engine)
    rows.report("За 2019 год объём составил столько-то.", "2020-02-01",
                {"territory": CITY, "indicator": "industrial_output", "period": "2019", "value": base, "unit": unit})
    value, change = current
    if value is None:  # a separate report gives the 2020 level
        rows.report("Объём 2020 года.", "2021-01-15",
                    {"territory": CITY, "indicator": "industrial_output", "period": "2020", "value": 1.052e6, "unit": unit})
    for day in ("2021-02-01", "2021-02-03"):   # the same claim twice: one check
        rows.report("За 2020 год объём и его рост.", day, {"territory": CITY, "indicator": "industrial_output",
                                                               "period": "2020", "value": value, "unit": None if value is None
                                                               else unit, "change": change})
    recompute_all(engine)
    assert _kinds(engine) == expected


@pytest.mark.parametrize("part, whole, expected", [
    (700e9, 1.052e12, []),
    (1.2e12, 1.052e12, ["part_whole"]),
    (1.05e12, 1.052e12, []),   # 1,05 трлн may be 1,052 rounded: not above
])
def test_a_part_above_its_whole(engine, part, whole, expected):
    rows = Rows(engine)
    rows.indicator("manufacturing_output", parent="industrial_output")
    rows.report("Промышленность в целом.", "2021-02-01",
                {"territory": CITY, "indicator": "industrial_output", "period": "2020", "value": whole})
    rows.report("Обрабатывающая промышленность.", "2021-02-02",
                {"territory": CITY, "indicator": "manufacturing_output", "period": "2020", "value": part})
    recompute_all(engine)
    assert _kinds(engine) == expected
    if expected:
        (check,) = list_checks(engine)
        assert check["other_indicator_id"] == rows.indicator("industrial_output")


HISTORY = [520e9, 545e9, 560e9, 610e9, 640e9, 700e9]


@pytest.mark.parametrize("latest, expected", [
    (735e9, []),
    (735e12, ["outlier"]),   # млрд read as трлн: a thousand times the history
    (7.2e9, ["outlier"]),
])
def test_a_figure_far_outside_the_history(engine, latest, expected):
    rows = Rows(engine)
    for year, value in zip(range(2014, 2020), HISTORY, strict=True):
        rows.report(f"Итоги {year} года.", f"{year + 1}-02-01",
                    {"territory": CITY, "indicator": "construction", "period": str(year), "value": value})
    rows.report("Итоги 2020 года.", "2021-02-01",
                {"territory": CITY, "indicator": "construction", "period": "2020", "value": latest})
    recompute_all(engine)
    assert _kinds(engine) == expected


def test_no_outlier_with_too_short_a_history(engine):
    rows = Rows(engine)
    for year, value in ((2018, 500e9), (2019, 520e9), (2020, 500e12)):
        rows.report("Итоги года.", f"{year + 1}-02-01",
                    {"territory": CITY, "indicator": "construction", "period": str(year), "value": value})
    recompute_all(engine)
    assert _kinds(engine) == []


def test_checks_are_rebuilt_not_accumulated(engine):
    rows = Rows(engine)
    for value in (854e9, 1.056e12):
        rows.report("Инвестиции.", "2019-02-01", {"territory": CITY, "indicator": "investment", "period": "2018",
                                                     "value": value})
    recompute_all(engine)
    recompute_all(engine)
    assert _kinds(engine) == ["contradiction"]


def test_two_figures_of_one_clause_are_not_a_contradiction(engine):
    rows = Rows(engine)
    sentence = "Производство выросло на 4,6%, а выпуск фармацевтики увеличился в 5 раз."
    rows.report(sentence, "2021-02-04",
                {"territory": CITY, "indicator": "industrial_output", "period": "2020", "value": None,
                 "change": ("percent", 4.6, "up")},
                {"territory": CITY, "indicator": "industrial_output", "period": "2020", "value": None,
                 "change": ("times", 5, "up")})
    recompute_all(engine)
    assert _kinds(engine) == []

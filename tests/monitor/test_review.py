"""Review overlay: confirm, correct, reject, kept with before/after, applied when reading facts."""

from __future__ import annotations

import pytest

from qala.errors import InvalidInput, NotFound
from qala.monitor.checks import list_checks
from qala.monitor.recompute import recompute_all
from qala.monitor.review import review, reviews_of
from qala.monitor.series import series_for
from tests.monitor.factories import Rows

CITY = "Алматы"
S1 = "Инвестиции в основной капитал составили 854 млрд тенге."
S2 = "Инвестиции города достигли 1,056 трлн тенге."


@pytest.fixture
def two_reports(engine):
    rows = Rows(engine)
    a = rows.report(S1, "2019-01-20", {"territory": CITY, "indicator": "investment", "period": "2018", "value": 854e9})
    b = rows.report(S2, "2019-02-20", {"territory": CITY, "indicator": "investment", "period": "2018", "value": 1.056e12})
    return rows, a, b


def _values(engine, rows: Rows) -> list[float]:
    (p,) = series_for(engine, territory_id=rows.territory(CITY), indicator_id=rows.indicator("investment"))
    return sorted(s.value for s in p.sources)


def test_reject_hides_a_fact_and_the_contradiction_goes(engine, two_reports):
    rows, _a, b = two_reports
    recompute_all(engine)
    assert len(list_checks(engine)) == 1
    review(engine, b, "fact", (0, len(S2)), None, "reject", None, "analyst")
    recompute_all(engine)
    assert list_checks(engine) == []
    assert _values(engine, rows) == [854e9]


def test_correct_uses_the_new_value_and_keeps_before_and_after(engine, two_reports):
    rows, _a, b = two_reports
    review(engine, b, "fact", (0, len(S2)), "value", "correct", {"value": 856e9}, "analyst")
    recompute_all(engine)
    assert [c["kind"] for c in list_checks(engine)] == ["contradiction"]  # 854 and 856 млрд still differ
    assert _values(engine, rows) == [854e9, 856e9]
    (trail,) = reviews_of(engine, b)
    assert (trail["action"], trail["user"], trail["before"]["value"], trail["after"]) == \
        ("correct", "analyst", 1.056e12, {"value": 856e9})


def test_verified_only_keeps_confirmed_and_corrected_facts(engine, two_reports):
    rows, a, _b = two_reports
    review(engine, a, "fact", (0, len(S1)), None, "confirm", None, "analyst")
    recompute_all(engine, verified_only=True)
    assert list_checks(engine) == []
    (p,) = series_for(engine, territory_id=rows.territory(CITY), indicator_id=rows.indicator("investment"),
                      verified_only=True)
    assert [s.document_id for s in p.sources] == [a]


def test_a_later_confirm_undoes_a_reject(engine, two_reports):
    _rows, _a, b = two_reports
    review(engine, b, "fact", (0, len(S2)), None, "reject", None, "first")
    review(engine, b, "fact", (0, len(S2)), None, "confirm", None, "second")
    recompute_all(engine)
    assert len(list_checks(engine)) == 1
    assert [r["user"] for r in reviews_of(engine, b)] == ["first", "second"]


@pytest.mark.parametrize("args, error", [
    ({"action": "delete"}, InvalidInput),
    ({"action": "correct", "field": "value", "after": None}, InvalidInput),
    ({"action": "correct", "field": "value", "after": {"value": "много"}}, InvalidInput),
    ({"action": "correct", "field": "colour", "after": {"colour": 1}}, InvalidInput),
    ({"action": "correct", "field": "period", "after": {"period": "в прошлом году"}}, InvalidInput),
    ({"span": (5, 9)}, NotFound),
    ({"user": ""}, InvalidInput),
])
def test_bad_reviews_are_refused(engine, two_reports, args, error):
    _rows, a, _b = two_reports
    call = {"document_id": a, "item_kind": "fact", "span": (0, len(S1)), "field": None, "action": "confirm", "after": None,
                "user": "analyst"} | args
    with pytest.raises(error):
        review(engine, **call)

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


SHARED = "Инвестиции выросли до 854 млрд тенге, а ввод жилья составил 1,2 млн кв. м."


@pytest.fixture
def shared_span(engine):
    """One sentence read as two facts on the same span (two indicators of one city and year)."""
    rows = Rows(engine)
    doc = rows.report(SHARED, "2019-01-20",
                      {"territory": CITY, "indicator": "investment", "period": "2018", "value": 854e9},
                      {"territory": CITY, "indicator": "housing", "period": "2018", "value": 1.2e6, "unit": "m2"})
    return rows, doc


def _visible(engine, rows: Rows) -> dict[str, list[float]]:
    out = {}
    for code in ("investment", "housing"):
        points = series_for(engine, territory_id=rows.territory(CITY), indicator_id=rows.indicator(code))
        out[code] = [s.value for p in points if p.kind == "reported" for s in p.sources]
    return out


@pytest.mark.parametrize("match, rejected, kept", [
    ({"value": 854e9}, "investment", "housing"),
    ({"value": 1.2e6}, "housing", "investment"),
    ({"indicator_text": "housing"}, "housing", "investment"),
    (None, "investment", "housing"),  # no match: the span's first fact, never both
])
def test_a_review_on_a_shared_span_names_exactly_one_fact(engine, shared_span, match, rejected, kept):
    rows, doc = shared_span
    review(engine, doc, "fact", (0, len(SHARED)), None, "reject", None, "analyst", match=match)
    recompute_all(engine)
    visible = _visible(engine, rows)
    assert visible[rejected] == []
    assert len(visible[kept]) == 1
    (trail,) = reviews_of(engine, doc)
    assert trail["before"]["shared_span"] == 2


def test_a_correction_on_a_shared_span_changes_only_its_fact(engine, shared_span):
    rows, doc = shared_span
    review(engine, doc, "fact", (0, len(SHARED)), "value", "correct", {"value": 1.3e6}, "analyst",
           match={"value": 1.2e6})
    recompute_all(engine)
    assert _visible(engine, rows) == {"investment": [854e9], "housing": [1.3e6]}


def test_a_match_that_names_no_fact_of_the_span_is_refused(engine, shared_span):
    _rows, doc = shared_span
    with pytest.raises(NotFound, match="matching"):
        review(engine, doc, "fact", (0, len(SHARED)), None, "reject", None, "analyst", match={"value": 5.0})


def test_a_review_stored_without_shared_span_still_names_one_fact(engine, shared_span):
    """Reviews written before the span count was kept carry only the fact's own state."""
    from sqlalchemy import update

    from qala.store.db import transaction
    from qala.store.schema import Review

    rows, doc = shared_span
    review(engine, doc, "fact", (0, len(SHARED)), None, "reject", None, "analyst", match={"value": 1.2e6})
    with transaction(engine) as s:
        (r,) = s.query(Review).all()
        before = dict(r.before)
        before.pop("shared_span")
        s.execute(update(Review).where(Review.id == r.id).values(before=before))
    recompute_all(engine)
    assert _visible(engine, rows) == {"investment": [854e9], "housing": []}


def test_fact_lists_show_figures_as_reviewed_unless_asked_for_the_extraction(engine, two_reports):
    """/api/facts, `qala facts` and exports read list_facts: a rejected figure is gone from them, a
    corrected one shows the analyst's value, each row says how it was reviewed."""
    from qala.store.queries import count_facts, list_facts

    _rows, a, b = two_reports
    review(engine, a, "fact", (0, len(S1)), "value", "correct", {"value": 855e9}, "analyst")
    review(engine, b, "fact", (0, len(S2)), None, "reject", None, "analyst")
    reviewed = list_facts(engine)
    assert [(r["document_id"], r["value"], r["review_status"]) for r in reviewed] == [(a, 855e9, "corrected")]
    assert count_facts(engine) == 1
    extracted = {r["document_id"]: (r["value"], r["review_status"])
                 for r in list_facts(engine, reviewed=False)}
    assert extracted == {a: (854e9, "corrected"), b: (1.056e12, "rejected")}
    review(engine, b, "fact", (0, len(S2)), None, "confirm", None, "second")  # the later decision stands
    assert {r["document_id"]: r["review_status"] for r in list_facts(engine)} == \
        {a: "corrected", b: "verified"}

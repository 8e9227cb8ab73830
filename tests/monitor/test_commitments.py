"""Commitments: plans found from period vs publication date, and every status rule."""

from __future__ import annotations

import datetime as dt

import pytest

from qala.monitor.checks import list_checks
from qala.monitor.commitments import list_commitments
from qala.monitor.recompute import recompute_all
from tests.monitor.factories import Rows

CITY = "Астана"
PROJECTS = "investment_projects_launched"
PLAN = "В текущем году планируется запустить 92 инвестиционных проекта."


def _plan(rows: Rows, period: str = "2021", value: float = 92, text: str = PLAN, published: str = "2021-02-04") -> int:
    return rows.report(text, published, {"territory": CITY, "indicator": PROJECTS, "period": period, "value": value,
                                             "unit": "count", "obj": "проект"})


def _outcome(rows: Rows, value: float, published: str, period: str = "2021") -> int:
    return rows.report("По итогам года запущено столько-то проектов.", published,
                       {"territory": CITY, "indicator": PROJECTS, "period": period, "value": value, "unit": "count",
                            "obj": "проект"})


@pytest.mark.parametrize("text, period, published, tracked", [
    (PLAN, "2021", "2021-02-04", True),                                     # under way, phrased as a plan
    ("В 2021 году запущено 92 проекта.", "2021", "2021-02-04", False),      # under way, a report
    ("На 2022-2024 годы 201 проект.", "2022-2024", "2021-02-04", True),     # wholly in the future
    ("В 2020 году планировалось запустить 92 проекта.", "2020", "2021-02-04", False),  # already over
    ("На 2021-2023 годы собран пул из 150 проектов.", "2021-2023", "2021-02-04", True),  # under way: a pool
])
def test_what_becomes_a_commitment(engine, text, period, published, tracked):
    rows = Rows(engine)
    _plan(rows, period=period, text=text, published=published)
    recompute_all(engine, today=dt.date(2021, 3, 1))
    assert len(list_commitments(engine)) == (1 if tracked else 0)


# (later reports: [(value, published, period)], today, expected status)
STATUS_RULES = [
    ([], "2021-06-01", "in_progress"),
    ([], "2022-03-01", "no_data"),
    ([(95, "2022-01-20", "2021")], "2022-03-01", "done"),
    ([(92, "2022-01-20", "2021")], "2022-03-01", "done"),
    ([(91, "2022-01-20", "2021")], "2022-03-01", "partial"),
    ([(60, "2022-01-20", "2021")], "2022-03-01", "partial"),
    ([(30, "2022-01-20", "2021")], "2022-03-01", "failed"),
    ([(40, "2021-07-10", "2021-01..2021-06")], "2021-08-01", "in_progress"),   # progress only
    ([(40, "2021-07-10", "2021-01..2021-06")], "2022-03-01", "no_data"),       # no final figure ever came
    ([(60, "2021-12-10", "2021")], "2021-12-20", "in_progress"),              # short, but the year is not over
    ([(60, "2021-12-10", "2021"), (93, "2022-01-25", "2021")], "2022-03-01", "done"),  # the latest report decides
    ([(95, "2022-01-20", "2020")], "2022-03-01", "no_data"),                  # another period is no evidence
]


@pytest.mark.parametrize("reports, today, expected", STATUS_RULES)
def test_status_rules(engine, reports, today, expected):
    rows = Rows(engine)
    _plan(rows)
    docs = [_outcome(rows, value, published, period) for value, published, period in reports]
    recompute_all(engine, today=dt.date.fromisoformat(today))
    (c,) = list_commitments(engine)
    assert c["status"] == expected
    assert {e["document_id"] for e in c["evidence"]} == {d for d, (_, _, p) in zip(docs, reports, strict=True)
                                                         if p.startswith("2021")}


def test_status_history_is_kept_across_rebuilds(engine):
    rows = Rows(engine)
    _plan(rows)
    recompute_all(engine, today=dt.date(2021, 6, 1))
    recompute_all(engine, today=dt.date(2021, 9, 1))   # unchanged: no new history entry
    doc = _outcome(rows, 95, "2022-01-20")
    recompute_all(engine, today=dt.date(2022, 2, 1))
    (c,) = list_commitments(engine)
    assert [(h["status"], h["label"], h["as_of"]) for h in c["history"]] == [
        ("in_progress", "в работе", "2021-06-01"), ("done", "выполнено", "2022-02-01")]
    assert c["history"][-1]["evidence_document_id"] == doc
    assert (c["status_label"], c["actual"], c["target"]) == ("выполнено", 95, 92)


def test_a_target_is_not_a_reported_figure(engine):
    rows = Rows(engine)
    _plan(rows)
    _outcome(rows, 60, "2022-01-20")
    recompute_all(engine, today=dt.date(2022, 3, 1))
    assert list_checks(engine) == []


def test_a_plan_without_a_canonical_indicator_is_still_tracked(engine):
    rows = Rows(engine)
    doc = rows.document("До 2035 года в столице построят 164 школы.", "2023-12-22")
    rows.fact(doc, CITY, None, "2023-2035", 164, "count", obj="школа", span=(0, 42))
    recompute_all(engine, today=dt.date(2024, 1, 10))
    (c,) = list_commitments(engine)
    assert (c["status"], c["indicator"], c["object"], c["target"]) == ("in_progress", None, "школа", 164)

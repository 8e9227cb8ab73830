"""Ceilings: plans that ask for less ("снизить ... до", "не более") are met by a figure at or below
the target, and judged against the figure they started from when they are missed."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from qala.monitor.commitments import _baseline, _months, direction_of, list_commitments, status_of
from qala.monitor.frame import Facts
from qala.monitor.recompute import recompute_all
from tests.monitor.factories import Rows

CITY, OTHER = "Караганда", "Павлодар"
JOBLESS = "unemployed_count"
CEILING = "Ожидается, что к концу 2024 года число безработных в городе снизят до 20 тысяч человек."
UNDERWAY = "В текущем году количество безработных планируется сократить до 20 тысяч человек."


@pytest.mark.parametrize("clause, expected", [
    ("снизить число безработных до 20 тысяч человек к 2025 году", "down"),
    ("количество аварийных домов сократят до 150", "down"),
    ("к 2026 году число ДТП снизится до 900", "down"),
    ("предусмотрено уменьшение очереди на жильё до 3 тысяч семей", "down"),
    ("поставлена задача по снижению выбросов до 40 тыс. тонн", "down"),
    ("намечено сокращение очереди в детсады до 1 200 детей к 2027 году", "down"),
    ("объём выбросов составит не более 40 тыс. тонн", "down"),
    ("расходы на содержание не должны превышать 5 млрд тенге", "down"),
    ("задолженность по зарплате не превысит 100 млн тенге", "down"),
    ("до 2030 года в районе построят 10 школ", "up"),
    ("в текущем году планируется ввести 92 проекта", "up"),
    ("будет создано не менее 300 рабочих мест", "up"),
    ("число туристов не снизится и составит 2 млн человек", "up"),
    ("число безработных снизилось, а в этом году откроют 5 тысяч рабочих мест", "up"),  # past: a report
    ("в рамках программы сокращения бедности намерены реализовать проекты на 18 трлн сумов", "up"),
    ("по плану снижения аварийности до 2030 года построят 40 переходов", "up"),   # "до 2030 года" is no level
    ("", "up"),
])
def test_direction_of_a_clause(clause, expected):
    assert direction_of(clause) == expected


def _ceiling(rows: Rows, text: str = CEILING, published: str = "2023-02-01", value: float = 20000) -> int:
    return rows.report(text, published, {"territory": CITY, "indicator": JOBLESS, "period": "2024", "value": value,
                                         "unit": "person"})


def _figure(rows: Rows, value: float, published: str, period: str = "2024", territory: str = CITY) -> int:
    return rows.report("Численность безработных составила столько-то человек.", published,
                       {"territory": territory, "indicator": JOBLESS, "period": period, "value": value,
                        "unit": "person"})


# (figures before the plan: [(value, published, period, territory)], final figure for 2024 or None,
#  today, expected status)
CEILING_RULES = [
    ([(25000, "2023-01-20", "2022", CITY)], 19500, "2025-03-01", "done"),            # below the ceiling
    ([(25000, "2023-01-20", "2022", CITY)], 20000, "2025-03-01", "done"),            # exactly at it
    ([(25000, "2023-01-20", "2022", CITY)], 23000, "2025-03-01", "partial"),         # missed, but fewer than before
    ([(25000, "2023-01-20", "2022", CITY)], 25000, "2025-03-01", "failed"),          # missed, no better
    ([(25000, "2023-01-20", "2022", CITY)], 27000, "2025-03-01", "failed"),          # missed, worse
    ([], 23000, "2025-03-01", "failed"),                                              # missed, nothing to compare
    ([(25000, "2023-01-20", "2022", OTHER)], 23000, "2025-03-01", "failed"),         # another city is no baseline
    ([(25000, "2023-01-20", "2022-01..2022-06", CITY)], 23000, "2025-03-01", "failed"),  # nor a half year
    ([(25000, "2023-03-15", "2022", CITY)], 23000, "2025-03-01", "failed"),          # nor a figure told after the plan
    # the latest period before the plan is the baseline, not the latest publication
    ([(22000, "2023-01-20", "2022", CITY), (26000, "2023-01-25", "2021", CITY)], 23000, "2025-03-01", "failed"),
    ([(26000, "2023-01-20", "2021", CITY), (24000, "2023-01-25", "2022", CITY)], 23000, "2025-03-01", "partial"),
    ([(25000, "2023-01-20", "2022", CITY)], None, "2024-06-01", "in_progress"),
    ([(25000, "2023-01-20", "2022", CITY)], None, "2025-03-01", "no_data"),
]


@pytest.mark.parametrize("before, final, today, expected", CEILING_RULES)
def test_ceiling_status_rules(engine, before, final, today, expected):
    rows = Rows(engine)
    for value, published, period, territory in before:
        _figure(rows, value, published, period, territory)
    _ceiling(rows)
    if final is not None:
        _figure(rows, final, "2025-01-25")
    recompute_all(engine, today=dt.date.fromisoformat(today))
    (c,) = list_commitments(engine)
    assert (c["status"], c["target"], c["actual"], c["direction"]) == (expected, 20000, final, "down")


def test_a_ceiling_short_of_its_target_while_the_year_runs_is_in_progress(engine):
    rows = Rows(engine)
    _figure(rows, 25000, "2024-01-20", "2023")
    _ceiling(rows, UNDERWAY, "2024-02-01")            # a period under way: the clause was read for plan words
    _figure(rows, 23000, "2024-12-20")
    recompute_all(engine, today=dt.date(2024, 12, 25))
    assert [c["status"] for c in list_commitments(engine)] == ["in_progress"]
    recompute_all(engine, today=dt.date(2025, 2, 1))
    (c,) = list_commitments(engine)
    assert [h["status"] for h in c["history"]] == ["in_progress", "partial"]


def test_a_floor_keeps_its_rules_whatever_came_before(engine):
    rows = Rows(engine)
    schools = {"territory": CITY, "indicator": "schools_built", "period": "2024", "unit": "count", "obj": "школа"}
    rows.report("В прошлом году построили 3 школы.", "2023-01-20", {**schools, "period": "2022", "value": 3})
    rows.report("В 2024 году в городе построят 10 школ.", "2023-02-01", {**schools, "value": 10})
    outcome = rows.report("Построено столько-то школ.", "2025-01-25", {**schools, "value": 4})
    recompute_all(engine, today=dt.date(2025, 3, 1))
    (c,) = list_commitments(engine)
    assert (c["status"], c["actual"], c["direction"]) == ("failed", 4, "up")  # 4 of 10: under PARTIAL_SHARE
    revised = rows.report("Уточнённые данные: построено больше школ.", "2025-02-10", {**schools, "value": 12})
    recompute_all(engine, today=dt.date(2025, 3, 1))
    (c,) = list_commitments(engine)
    assert (c["status"], c["actual"]) == ("done", 12)
    assert [e["document_id"] for e in c["evidence"]] == [outcome, revised]


def test_the_sentence_before_a_plan_does_not_turn_it(engine):
    rows = Rows(engine)
    text = "Безработица в городе снизилась. В 2024 году в городе построят 10 школ."
    doc = rows.document(text, "2023-02-01")
    rows.fact(doc, CITY, "schools_built", "2024", 10, "count", span=(text.index("В 2024"), len(text)), obj="школа")
    rows.report("Построено столько-то школ.", "2025-01-25",
                {"territory": CITY, "indicator": "schools_built", "period": "2024", "value": 12, "unit": "count"})
    recompute_all(engine, today=dt.date(2025, 3, 1))
    assert [c["status"] for c in list_commitments(engine)] == ["done"]


@pytest.mark.parametrize("final, baseline, expected", [
    (20000.0, None, "done"),
    (21000.0, None, "done"),      # "21 тыс." may be 20,5 тыс.: within its rounding of the ceiling 20,6 тыс.
    (21300.0, 30000.0, "partial"),
    (21300.0, 21300.0, "failed"),
    (21300.0, None, "failed"),
])
def test_status_of_a_ceiling(final, baseline, expected):
    got = status_of(20600, dt.date(2024, 12, 31), final, dt.date(2025, 1, 25), dt.date(2025, 3, 1), "down", baseline)
    assert got == expected


def test_status_of_a_floor_ignores_the_baseline():
    args = (92, dt.date(2021, 12, 31), 95, dt.date(2022, 1, 20), dt.date(2022, 3, 1))
    assert status_of(*args) == status_of(*args, "up", 200) == "done"
    assert status_of(*args, "down") == "failed"


def _brute_baselines(facts: Facts, plans: dict, direction: list[str]) -> list[float | None]:
    """The baseline rule read literally: every candidate of every ceiling compared in turn."""
    out: list[float | None] = []
    for k, way in enumerate(direction):
        best = None
        for r in range(len(facts)):
            same = all(facts[c][r] == plans[c][k] for c in ("territory_id", "indicator_id", "unit"))
            length = _months(facts["period_start"][r:r + 1], facts["period_end"][r:r + 1])[0]
            if (way == "down" and same and facts["plan"][r] == 0 and facts["territorial"][r]
                    and not np.isnan(facts["value"][r])
                    and length == _months(plans["period_start"][k:k + 1], plans["period_end"][k:k + 1])[0]
                    and facts["period_end"][r] <= facts["published"][r] <= plans["announced"][k]
                    and facts["period_start"][r] < plans["period_start"][k]):
                order = (facts["period_end"][r], facts["published"][r], facts["fact_id"][r])
                if best is None or order > best[0]:
                    best = (order, float(facts["value"][r]))
        out.append(best[1] if best else None)
    return out


@pytest.mark.parametrize("seed", range(5))
def test_the_baseline_join_agrees_with_the_rule_read_literally(seed):
    rng = np.random.default_rng(seed)
    day = np.datetime64("2018-01-01", "D")

    def periods(n: int) -> tuple[np.ndarray, np.ndarray]:
        year, quarter, whole = rng.integers(2018, 2025, n), rng.integers(0, 4, n), rng.random(n) < 0.6
        start = np.array([f"{y}-{1 + 3 * q:02d}-01" if not w else f"{y}-01-01"
                          for y, q, w in zip(year, quarter, whole)], dtype="datetime64[D]")
        end = np.where(whole, (start.astype("datetime64[Y]") + 1).astype("datetime64[D]"),
                       (start.astype("datetime64[M]") + 3).astype("datetime64[D]")) - 1
        return start, end
    n, m = 300, 40
    start, end = periods(n)
    facts = Facts({"fact_id": np.arange(1, n + 1), "plan": (rng.random(n) < 0.1).astype(np.int8),
                   "territorial": rng.random(n) < 0.9,  # a figure of one plant or project is no baseline
                   "territory_id": rng.integers(-1, 3, n), "indicator_id": rng.integers(0, 2, n),
                   "unit": rng.choice(np.array(["person", "house", None], dtype=object), n),
                   "value": np.where(rng.random(n) < 0.05, np.nan, rng.integers(1, 10_000, n).astype(float)),
                   "period_start": start, "period_end": end,
                   "published": day + rng.integers(0, 8 * 365, n).astype("timedelta64[D]")})
    start, end = periods(m)
    plans = {"key": np.arange(m).astype(str).astype(object), "territory_id": rng.integers(0, 3, m),
             "indicator_id": rng.integers(0, 2, m), "unit": rng.choice(np.array(["person", "house"], dtype=object), m),
             "period_start": start, "period_end": end,   # announced before the period is over, up to 3 years
             "announced": end - rng.integers(1, 3 * 365, m).astype("timedelta64[D]")}
    code_of = {u: c for c, u in enumerate(facts.codes("unit")[1].tolist())}  # as detect gives them: the facts' codes
    plans["unit_code"] = np.array([code_of.get(u, -2) for u in plans["unit"]], dtype=np.int64)
    direction = rng.choice(np.array(["up", "down"], dtype=object), m).tolist()
    got = [None if np.isnan(v) else float(v) for v in _baseline(facts, plans, direction)]
    assert got == _brute_baselines(facts, plans, direction)
    assert sum(v is not None for v in got) >= 3   # the draw has ceilings with a baseline to find


def test_a_rate_given_in_percent_is_a_target_for_an_indicator_measured_in_percent(engine):
    """"снизить безработицу до 4,5%" is a ceiling on a level; a growth of 5% or a share of an
    indicator measured in tenge is no target."""
    rows = Rows(engine)
    rows.indicator("unemployment_rate", family="percent")
    rate = {"territory": CITY, "indicator": "unemployment_rate", "unit": "%"}
    rows.report("В 2023 году безработица составила 4,9%.", "2024-01-20", {**rate, "period": "2023", "value": 4.9})
    rows.report("В 2025 году уровень безработицы планируется снизить до 4,5%.", "2024-02-01",
                {**rate, "period": "2025", "value": 4.5})
    rows.report("В 2025 году промышленность вырастет на 5%.", "2024-02-01",
                {"territory": CITY, "indicator": "industry", "period": "2025", "value": None, "unit": "%",
                 "change": ("percent", 5.0, "up")})
    rows.report("В 2025 году доля отрасли составит 30%.", "2024-02-01",
                {"territory": CITY, "indicator": "industry", "period": "2025", "value": 30.0, "unit": "%"})
    rows.report("Безработица в 2025 году составила 4,4%.", "2026-01-25", {**rate, "period": "2025", "value": 4.4})
    recompute_all(engine, today=dt.date(2026, 3, 1))
    (c,) = list_commitments(engine)
    assert (c["target"], c["unit"], c["direction"], c["status"], c["actual"]) == (4.5, "%", "down", "done", 4.4)

"""Reading the facts into columns: what goes in comes out, on both databases."""

from __future__ import annotations

import datetime as dt

import numpy as np

from qala.monitor import frame
from qala.monitor.review import review
from tests.monitor.factories import Rows


def _read(engine, **kw):
    with engine.begin() as conn:
        return frame.read_facts(conn, **kw)


def test_values_dates_and_text_come_back_exactly(engine):
    rows = Rows(engine)
    doc = rows.document("Отчёт о вводе жилья в городе.", "2022-03-15", url="https://example.kz/a")
    awkward = 0.1 + 0.2  # no short decimal spelling reads back as this double
    rows.fact(doc, "Город", "housing", "2021", awkward, "m2", change=("percent", 12.5, "down", "2019"),
              obj="квартир,\nдомов\x1fи\x1eобщежитий", approx="about")
    rows.fact(doc, None, None, "2021-01..2021-09", None, None, change=("index", 104.2, None))
    rows.fact(doc, "Город", "housing", None, 5.0, "m2")  # no period: left out
    facts = _read(engine)
    assert len(facts) == 2
    first = int(np.argmin(facts["fact_id"]))
    assert facts["value"][first] == awkward
    assert facts["unit"][first] == "m2" and facts["approx"][first] == "about"
    assert facts["change_kind"][first] == "percent" and facts["change_direction"][first] == "down"
    assert facts["period_start"][first] == np.datetime64("2021-01-01")
    assert facts["period_end"][first] == np.datetime64("2021-12-31")
    assert facts["published"][first] == np.datetime64("2022-03-15")
    # the stated base year 2019 puts the base two years back
    assert facts["base_years"][first] == 2
    assert facts["base_start"][first] == np.datetime64("2019-01-01")
    assert facts["base_end"][first] == np.datetime64("2019-12-31")
    assert "квартир" in facts["object"][first] and "общежитий" in facts["object"][first]
    other = 1 - first
    assert facts["territory_id"][other] == -1 and facts["indicator_id"][other] == -1
    assert np.isnan(facts["value"][other]) and facts["unit"][other] is None
    assert facts["period_end"][other] == np.datetime64("2021-09-30")
    assert facts["base_start"][other] == np.datetime64("2020-01-01")
    assert facts["base_end"][other] == np.datetime64("2020-09-30")


def test_reviews_are_applied_when_reading(engine):
    rows = Rows(engine)
    doc = rows.document("Промышленность выросла. Инвестиции выросли.", "2022-02-01")
    kept = rows.fact(doc, "Город", "industrial_output", "2021", 100.0, "KZT", span=(0, 23))
    gone = rows.fact(doc, "Город", "investment", "2021", 50.0, "KZT", span=(24, 43))
    review(engine, doc, "fact", (0, 23), "value", "correct", {"value": 120.0}, "analyst")
    review(engine, doc, "fact", (24, 43), None, "reject", None, "analyst")
    facts = _read(engine)
    assert facts["fact_id"].tolist() == [kept]
    assert facts["value"].tolist() == [120.0]
    verified = _read(engine, verified_only=True)
    assert verified["fact_id"].tolist() == [kept]
    assert gone not in facts["fact_id"].tolist()


def test_a_period_given_by_review_brings_a_fact_in(engine):
    rows = Rows(engine)
    doc = rows.document("Построено 12 школ.", "2022-02-01")
    rows.fact(doc, "Город", "schools", None, 12.0, "count", span=(0, 18))
    assert len(_read(engine)) == 0
    review(engine, doc, "fact", (0, 18), "period", "correct", {"period": "2021"}, "analyst")
    facts = _read(engine)
    assert len(facts) == 1 and facts["period_start"][0] == np.datetime64("2021-01-01")


def test_years_back_keeps_the_day_within_the_month():
    dates = np.array(["2020-02-29", "2021-03-31", "2024-12-31"], dtype="datetime64[D]")
    back = frame.years_back(dates, np.array([1, 1, 4]))
    assert back.tolist() == [dt.date(2019, 2, 28), dt.date(2020, 3, 31), dt.date(2020, 12, 31)]
    ends = frame.end_years_back(np.array(["2021-02-28"], dtype="datetime64[D]"), np.array([1]))
    assert ends.tolist() == [dt.date(2020, 2, 29)]  # a month's last day stays its last day


def test_a_read_split_over_two_connections_gives_the_same_columns(engine, monkeypatch):
    """On PostgreSQL a large read goes to two connections sharing the transaction's snapshot."""
    from qala.monitor import pgread

    rows = Rows(engine)
    for k in range(6):
        doc = rows.document(f"Сводка номер {k} о жилье.", f"2022-0{k + 1}-10")
        for year in (2019, 2020, 2021):
            rows.fact(doc, "Город", "housing", str(year), 1000.5 * (k + 1) + year, "m2")
    whole = _read(engine)
    monkeypatch.setattr(pgread, "PARALLEL_FROM", 0)
    monkeypatch.setattr(pgread, "_estimate", lambda conn: 1)
    halves: list[int] = []
    inner = pgread._in_snapshot
    monkeypatch.setattr(pgread, "_in_snapshot", lambda *a: halves.append(a[-1]) or inner(*a))
    split = _read(engine, fresh=True)
    assert sorted(halves) == ([0, 1] if engine.dialect.name == "postgresql" else [])
    order_w, order_s = np.argsort(whole["fact_id"]), np.argsort(split["fact_id"])
    assert len(whole) == len(split) == 18
    for name in ("fact_id", "value", "period_start", "published", "unit"):
        assert list(whole[name][order_w]) == list(split[name][order_s]), name


def test_text_masks_follow_corrections_and_slices(engine):
    """The kept codes of a text column answer as the column itself does, after a review changed the
    column in place and after the facts were cut down."""
    rows = Rows(engine)
    doc = rows.document("Безработица 4,8%. Жильё 100 тыс. м2. Ещё 5.", "2022-02-01")
    rows.fact(doc, "Город", "unemployment", "2021", 4.8, "%", span=(0, 17))
    rows.fact(doc, "Город", "housing", "2021", 100.0, "m2", span=(18, 36), change=("percent", 3.0, "up"))
    rows.fact(doc, "Город", "housing", "2020", 5.0, None, span=(37, 43))
    review(engine, doc, "fact", (37, 43), "unit", "correct", {"unit": "%"}, "analyst")
    review(engine, doc, "fact", (0, 17), "unit", "correct", {"unit": "m2"}, "analyst")
    facts = _read(engine)
    for part in (facts, facts.take(np.array([2, 0])), facts.take(np.zeros(0, dtype=np.int64))):
        unit = part["unit"]
        assert part.isin("unit", ("%",)).tolist() == [u == "%" for u in unit]
        assert part.not_null("unit").tolist() == [u is not None for u in unit]
        assert part.not_null("change_kind").tolist() == [k is not None for k in part["change_kind"]]
    assert sorted(u for u in facts["unit"]) == ["%", "m2", "m2"]
    facts["unit"] = np.array([None] * len(facts), dtype=object)  # a new column: its codes are worked out anew
    assert not facts.not_null("unit").any()

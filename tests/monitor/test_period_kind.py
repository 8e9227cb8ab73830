"""Kinds of period: a year, a half, a quarter, a month, a sum since January and a stock on a date."""

from __future__ import annotations

import datetime as dt

import pytest

from qala.monitor.period_kind import period_kind
from qala.periods import parse_period


@pytest.mark.parametrize("period, kind", [
    ("2022", "year"),
    ("2022-01..2022-06", "half"),
    ("2022-07..2022-12", "half"),
    ("2022-01..2022-03", "quarter"),   # the first quarter, as the official tables count it
    ("2022-04..2022-06", "quarter"),
    ("2022-05", "month"),
    ("2022-01..2022-09", "ytd"),       # январь-сентябрь: a sum since January, not a small year
    ("2022-01..2022-11", "ytd"),
    ("2022-10-01", "date"),            # на 1 октября: a stock on a day
    ("2021-2025", "range"),
    ("2022-03..2022-08", "range"),
])
def test_each_contract_period_has_its_kind(period, kind):
    p = parse_period(period)
    assert period_kind(p.start, p.end, p.granularity) == kind
    assert period_kind(p.start.isoformat(), p.end.isoformat()) == kind  # ISO text reads the same


def test_unknown_dates_have_no_kind():
    assert period_kind(None, dt.date(2022, 1, 31)) is None


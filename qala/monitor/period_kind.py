"""Kinds of period: which figures may stand in one series, be compared, or share a chart line.

A whole year, a half, a quarter, a month, a sum since January ("январь-ноябрь") and a stock on a
date ("на 1 октября") are different things even for one indicator and territory: a sum for
January–September is not a small year, and a stock on 1 October is not the October flow. A series
is one indicator, one territory and one kind; year-on-year change pairs like with like, and a
chart draws one line per kind.

The kind is read from a period's first and last day (and the granularity qala.periods gives it),
so it needs no column of its own and agrees with the official tables' kinds (qala.stats.periods:
year, quarter, ytd, date), which count the first quarter as a quarter, not as a sum since January.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

YEAR, HALF, QUARTER, MONTH, YTD, DATE, RANGE = "year", "half", "quarter", "month", "ytd", "date", "range"
KINDS = (YEAR, HALF, QUARTER, MONTH, YTD, DATE, RANGE)


def _day(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else value.astype("datetime64[D]").astype(object)
    return dt.date.fromisoformat(str(value)[:10])


def period_kind(start: Any, end: Any, granularity: str | None = None) -> str | None:
    """The kind of a period given by its first and last day (dates, or ISO text; None when either
    is unknown).

    >>> d = dt.date
    >>> period_kind(d(2021, 1, 1), d(2021, 12, 31)), period_kind(d(2021, 1, 1), d(2021, 9, 30))
    ('year', 'ytd')
    >>> period_kind(d(2021, 10, 1), d(2021, 10, 1), "day"), period_kind(d(2021, 4, 1), d(2021, 6, 30))
    ('date', 'quarter')
    """
    start, end = _day(start), _day(end)
    if start is None or end is None:
        return None
    if granularity == "day" or start == end:
        return DATE
    if start.year != end.year:
        return RANGE
    last_day = (end + dt.timedelta(days=1)).day == 1
    if start.day != 1 or not last_day:
        return RANGE
    m1, m2 = start.month, end.month
    if (m1, m2) == (1, 12):
        return YEAR
    if m1 == m2:
        return MONTH
    if m1 in (1, 4, 7, 10) and m2 == m1 + 2:
        return QUARTER
    if (m1, m2) in ((1, 6), (7, 12)):
        return HALF
    if m1 == 1:
        return YTD
    return RANGE


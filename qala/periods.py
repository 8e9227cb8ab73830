"""Periods as the contract writes them ("2020", "2021-2024", "2019-01..2019-08", "2023-06-01")
turned into a start date, an end date and a granularity, so that they compare correctly.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

YEAR = re.compile(r"^(\d{4})$")
YEARS = re.compile(r"^(\d{4})-(\d{4})$")
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
MONTHS = re.compile(r"^(\d{4})-(\d{2})\.\.(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    granularity: str  # year | half | quarter | month | range | day

    @property
    def label(self) -> str:
        return period_label(self)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _months_granularity(m1: int, m2: int, same_year: bool) -> str:
    if not same_year:
        return "range"
    if m1 == m2:
        return "month"
    if m1 in (1, 4, 7, 10) and m2 == m1 + 2:
        return "quarter"
    if (m1, m2) in ((1, 6), (7, 12)):
        return "half"
    if (m1, m2) == (1, 12):
        return "year"
    return "range"


def parse_period(text: str | None) -> Period | None:
    """Parse a contract period; None when absent or unreadable.

    >>> parse_period("2021-2024")
    Period(start=datetime.date(2021, 1, 1), end=datetime.date(2024, 12, 31), granularity='range')
    >>> parse_period("2019-01..2019-08").end
    datetime.date(2019, 8, 31)
    >>> parse_period("2025-07..2025-09").granularity
    'quarter'
    """
    if not text:
        return None
    text = text.strip()
    try:
        if m := YEAR.match(text):
            y = int(m[1])
            return Period(dt.date(y, 1, 1), dt.date(y, 12, 31), "year")
        if m := YEARS.match(text):
            y1, y2 = int(m[1]), int(m[2])
            if y2 < y1:
                return None
            return Period(dt.date(y1, 1, 1), dt.date(y2, 12, 31), "year" if y1 == y2 else "range")
        if m := MONTHS.match(text):
            y1, m1, y2, m2 = (int(g) for g in m.groups())
            start, end = dt.date(y1, m1, 1), _month_end(y2, m2)
            if end < start:
                return None
            return Period(start, end, _months_granularity(m1, m2, y1 == y2))
        if m := MONTH.match(text):
            y, mo = int(m[1]), int(m[2])
            return Period(dt.date(y, mo, 1), _month_end(y, mo), "month")
        if m := DAY.match(text):
            day = dt.date(int(m[1]), int(m[2]), int(m[3]))
            return Period(day, day, "day")
    except ValueError:
        return None
    return None


def period_label(period: Period) -> str:
    """The contract's string for a period (inverse of parse_period)."""
    s, e = period.start, period.end
    if period.granularity == "day":
        return s.isoformat()
    if s.month == 1 and s.day == 1 and e.month == 12 and e.day == 31:
        return str(s.year) if s.year == e.year else f"{s.year}-{e.year}"
    if s.year == e.year and s.month == e.month:
        return f"{s.year}-{s.month:02d}"
    return f"{s.year}-{s.month:02d}..{e.year}-{e.month:02d}"


def previous(period: Period) -> Period | None:
    """The same stretch of time one year earlier (the base of a year-on-year change)."""
    try:
        return Period(period.start.replace(year=period.start.year - 1),
                      _month_end(period.end.year - 1, period.end.month) if period.end.day > 27
                      else period.end.replace(year=period.end.year - 1), period.granularity)
    except ValueError:
        return None

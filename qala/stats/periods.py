"""Periods as official tables write them, read into one of four kinds:

year      a calendar year ("2020", "2020 год")
quarter   one quarter ("2020-Q3", "III квартал 2020", "2020 Q3")
ytd       from the start of the year to the end of a quarter ("январь-сентябрь 2020", "9 месяцев 2020",
          "I полугодие 2020", or "2020-Q3" of an indicator counted "с начала года нарастающим итогом")
date      on a day ("на 1 января 2020", "01.01.2020", "2020-01-01", or a year of a stock "на начало года")

Each also gets the start, end and granularity the press facts use (qala.periods), so the two compare.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from qala.periods import Period, period_label

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
MONTHS = {"январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6, "июл": 7, "август": 8,
          "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12}
YEAR = re.compile(r"^(\d{4})(?:\s*(?:год|года|г\.?|year))?$")
QUARTER = re.compile(r"^(\d{4})\s*[-\s]?\s*[qк]([1-4])$|^([1-4]|i{1,3}|iv)\s*(?:квартал|кв\.?|q|quarter)\s*(\d{4})")
Q_FIRST = re.compile(r"^[qк]([1-4])\s*[-\s]?\s*(\d{4})$")
YTD = re.compile(r"^(?:(?P<months>3|6|9|12)\s*месяц\w*|январ\w*\s*-\s*(?P<to>[а-я]+)|(?P<half>i|1)\s*полугоди\w*)"
                 r"\s*(?P<year>\d{4})")
YTD_CODE = re.compile(r"^(\d{4})-(\d{1,2})m$")  # "2020-9M"
ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
DOTTED_DAY = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
ON_DAY = re.compile(r"^(?:на\s+)?(\d{1,2})\s+([а-я]+)\s+(\d{4})")
KINDS = ("year", "quarter", "ytd", "date")


@dataclass(frozen=True)
class OfficialPeriod:
    kind: str
    start: dt.date
    end: dt.date

    @property
    def granularity(self) -> str:
        if self.kind == "date":
            return "day"
        if self.kind == "year":
            return "year"
        if self.kind == "quarter":
            return "quarter"
        months = self.end.month
        return {3: "quarter", 6: "half", 12: "year"}.get(months, "range")

    @property
    def label(self) -> str:
        """The contract's period string ("2020", "2020-01..2020-09", "2020-01-01")."""
        return period_label(Period(self.start, self.end, self.granularity))


def _quarter_end(year: int, q: int) -> dt.date:
    month = 3 * q
    return (dt.date(year + (month == 12), month % 12 + 1, 1)) - dt.timedelta(days=1)


def _month(word: str) -> int | None:
    for stem, number in MONTHS.items():
        if word.startswith(stem) and (stem != "ма" or word in ("май", "мая")):
            return number
    return None


def read_period(text: str, *, cumulative: bool = False, stock: bool = False) -> OfficialPeriod | None:
    """The period a cell names; ``cumulative``: a quarter counts from the start of the year;
    ``stock``: a year is the stock on its first day. None when unreadable.

    >>> read_period("2020-Q3").end, read_period("2020-Q3", cumulative=True).start
    (datetime.date(2020, 9, 30), datetime.date(2020, 1, 1))
    >>> read_period("январь-сентябрь 2020 года").label, read_period("2023", stock=True).label
    ('2020-01..2020-09', '2023-01-01')
    >>> read_period("III квартал 2021").label, read_period("на 1 января 2022 года").kind
    ('2021-07..2021-09', 'date')
    """
    t = " ".join(str(text).strip().lower().replace("ё", "е").replace("–", "-").replace("—", "-").split())
    t = t.removesuffix(".0") if re.fullmatch(r"\d{4}\.0", t) else t
    try:
        if m := YEAR.match(t):
            y = int(m[1])
            if stock:
                return OfficialPeriod("date", dt.date(y, 1, 1), dt.date(y, 1, 1))
            return OfficialPeriod("year", dt.date(y, 1, 1), dt.date(y, 12, 31))
        if (m := QUARTER.match(t)) or (m2 := Q_FIRST.match(t)):
            if m:
                y, q = (int(m[1]), int(m[2])) if m[1] else (int(m[4]), ROMAN[m[3]])
            else:
                y, q = int(m2[2]), int(m2[1])
            start = dt.date(y, 1, 1) if cumulative else dt.date(y, 3 * q - 2, 1)
            return OfficialPeriod("ytd" if cumulative and q > 1 else "quarter", start, _quarter_end(y, q))
        if m := YTD.match(t):
            y = int(m["year"])
            if m["months"]:
                last = int(m["months"])
            elif m["half"]:
                last = 6
            else:
                last = _month(m["to"]) or 0
            if last not in (3, 6, 9, 12):
                return None
            return OfficialPeriod("ytd", dt.date(y, 1, 1), _quarter_end(y, last // 3))
        if m := YTD_CODE.match(t):
            y, last = int(m[1]), int(m[2])
            if last not in (3, 6, 9, 12):
                return None
            return OfficialPeriod("ytd", dt.date(y, 1, 1), _quarter_end(y, last // 3))
        if m := ISO_DAY.match(t):
            day = dt.date(int(m[1]), int(m[2]), int(m[3]))
            return OfficialPeriod("date", day, day)
        if m := DOTTED_DAY.match(t):
            day = dt.date(int(m[3]), int(m[2]), int(m[1]))
            return OfficialPeriod("date", day, day)
        if (m := ON_DAY.match(t)) and (month := _month(m[2])):
            day = dt.date(int(m[3]), month, int(m[1]))
            return OfficialPeriod("date", day, day)
    except (ValueError, KeyError):
        return None
    return None

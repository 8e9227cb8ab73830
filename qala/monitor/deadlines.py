"""Instruction deadlines: an explicit date, a relative term resolved from the document's date, or none.

>>> import datetime as dt
>>> d = dt.date(2021, 2, 4)
>>> [str(resolve_deadline(t, d)) for t in ("в месячный срок", "до 1 марта", "до конца года",
...  "в двухнедельный срок", "до 15.07.2021", "в течение трех месяцев", "постоянно")]
['2021-03-04', '2021-03-01', '2021-12-31', '2021-02-18', '2021-07-15', '2021-05-04', 'None']
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

MONTHS = {"январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6, "июл": 7, "август": 8,
          "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12}
MONTH_WORD = r"(январ[яь]|феврал[яь]|марта?|апрел[яь]|ма[яй]|июн[яь]|июл[яь]|августа?|сентябр[яь]|октябр[яь]|ноябр[яь]|декабр[яь])"
NUMBER_WORDS = {"одно": 1, "одного": 1, "двух": 2, "дву": 2, "трех": 3, "трёх": 3, "четырех": 4, "четырёх": 4,
                "пяти": 5, "шести": 6, "семи": 7, "десяти": 10, "пятнадцати": 15, "тридцати": 30}
UNIT_DAYS = {"недел": 7, "дн": 1, "сут": 1}
ORDINAL_QUARTER = {"перв": 1, "i": 1, "втор": 2, "ii": 2, "трет": 3, "iii": 3, "четверт": 4, "iv": 4}

ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
NUMERIC = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
DAY_MONTH = re.compile(rf"\b(\d{{1,2}})\s+{MONTH_WORD}(?:\s+(\d{{4}}))?", re.IGNORECASE)
END_OF = re.compile(r"до\s+конца\s+(?:текущего\s+|этого\s+|(\d{4})\s+)?(года|месяца|"
                    r"(\S+)\s+(?:квартала|полугодия))", re.IGNORECASE)
TERM = re.compile(r"\bв\s+(\S*?)(месячный|недельный|дневный|летний)\s+срок", re.IGNORECASE)
WITHIN = re.compile(r"в\s+течение\s+(?:(\d+|\S+)\s+)?(месяц|недел|дн|год|лет)", re.IGNORECASE)


def _add_months(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _count(word: str | None) -> int | None:
    if not word:
        return 1
    word = word.lower().strip("-")
    if word.isdigit():
        return int(word)
    for stem, n in NUMBER_WORDS.items():
        if word.startswith(stem):
            return n
    return None


def _month(word: str) -> int:
    word = word.lower()
    return next(n for stem, n in MONTHS.items() if word.startswith(stem))


def resolve_deadline(phrase: str | None, published: dt.date | None) -> dt.date | None:
    """The date a deadline phrase means, given the instruction document's date (None if unknown)."""
    if not phrase:
        return None
    text = phrase.lower()
    try:
        if m := ISO.search(text):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := NUMERIC.search(text):
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
        if m := DAY_MONTH.search(text):
            year = int(m[3]) if m[3] else (published.year if published else None)
            if year is None:
                return None
            day = dt.date(year, _month(m[2]), int(m[1]))
            if not m[3] and published and day < published:
                day = day.replace(year=year + 1)
            return day
        if published is None:
            return None
        if m := END_OF.search(text):
            year = int(m[1]) if m[1] else published.year
            what = m[2].lower()
            if what == "года":
                return dt.date(year, 12, 31)
            if what == "месяца":
                return dt.date(published.year, published.month, calendar.monthrange(published.year, published.month)[1])
            word = m[3].lower()
            ordinal = next((n for stem, n in sorted(ORDINAL_QUARTER.items(), key=lambda kv: -len(kv[0]))
                            if word == stem or len(stem) > 3 and word.startswith(stem)), None)
            if ordinal is None:
                return None
            last_month = ordinal * 3 if "квартал" in what else ordinal * 6
            if last_month > 12:
                return None
            return dt.date(year, last_month, calendar.monthrange(year, last_month)[1])
        if m := TERM.search(text):
            n = _count(m[1])
            if n is None:
                return None
            if m[2] == "месячный":
                return _add_months(published, n)
            if m[2] == "летний":
                return _add_months(published, 12 * n)
            return published + dt.timedelta(days=n * (7 if m[2] == "недельный" else 1))
        if m := WITHIN.search(text):
            n = _count(m[1])
            if n is None:
                return None
            unit = m[2]
            if unit == "месяц":
                return _add_months(published, n)
            if unit in ("год", "лет"):
                return _add_months(published, 12 * n)
            return published + dt.timedelta(days=n * UNIT_DAYS.get(unit, 1))
    except (ValueError, StopIteration):
        return None
    return None


def find_deadline_phrase(text: str) -> str | None:
    """A deadline phrase inside an instruction's text, when the extractor left it there."""
    for pattern in (TERM, WITHIN, END_OF, re.compile(rf"\bдо\s+\d{{1,2}}\s+{MONTH_WORD}(?:\s+\d{{4}})?",
                                                     re.IGNORECASE), NUMERIC):
        if m := pattern.search(text or ""):
            return m[0]
    return None

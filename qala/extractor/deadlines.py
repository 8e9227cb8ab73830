"""Deadlines of instructions: "до 1 июля", "до 10 декабря т.г.", "в месячный срок", "до конца года".

A deadline with a day and a month becomes an ISO date (the year from the text or the publication
date); any other deadline is kept as written.
"""

from __future__ import annotations

import re

MONTHS = ("январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август", "сентябр", "октябр", "ноябр", "декабр")
MONTH = r"(?:январ[яеь]|феврал[яеь]|марта?|апрел[яеь]|ма[яй]|июн[яеь]|июл[яеь]|августа?|сентябр[яеь]|" \
        r"октябр[яеь]|ноябр[яеь]|декабр[яеь])"
DAY_MONTH = re.compile(rf"(?i)\b(?:до|к|не позднее)\s+(\d{{1,2}})\s+({MONTH})"
                       rf"(?:\s+(\d{{4}})\s*(?:г\.|года)?|\s+т\.\s?г\.|\s+текущего года)?")
DAY_DOTTED = re.compile(r"(?i)\b(?:до|к|не позднее)\s+(\d{1,2})\.(\d{2})\.(\d{4})\s*(?:г\.|года)?")
ON_DAY = re.compile(rf"(?i)\bна\s+[а-я]+,\s+(\d{{1,2}})\s+({MONTH})")  # "на среду, 20 апреля"
TERM = re.compile(
    r"(?i)\b(?:в\s+(?:\w*(?:дневный|недельный|месячный|годичный))\s+срок"
    r"|в\s+течение\s+(?:\w+\s+)?(?:дн[яей]+|недел[иь]|месяц[аев]*|года?|лет)"
    r"|до\s+конца\s+(?:текущего\s+|этого\s+|следующего\s+)?(?:года|месяца|квартала|недели)"
    r"|до\s+(?:начала|конца)\s+\w+(?:\s+сезона)?"
    r"|в\s+срок\s+до\s+\S+(?:\s+\S+)?"
    r"|в\s+кратчайшие\s+сроки"
    r"|до\s+(?:конца\s+)?(?:19|20)\d\d\s+года|к\s+(?:концу\s+)?(?:19|20)\d\d\s+году"
    r"|срок\s+(?:\w+\s+)?(?:дн[яей]+|недел[иь]|месяц[аев]*|года?))")


def find_deadline(text: str, published: str | None = None) -> tuple[str, int, int] | None:
    """The first deadline in ``text``: (value, start, stop).

    >>> find_deadline("до 10 декабря т.г. внести проект", "2021-11-30")[0]
    '2021-12-10'
    >>> find_deadline("в месячный срок подготовить планы")[0]
    'в месячный срок'
    >>> find_deadline("до 2026 года обеспечить сёла водой")[0]
    'до 2026 года'
    """
    year = int(published[:4]) if published and published[:4].isdigit() else None
    found = []
    for m in DAY_MONTH.finditer(text):
        y = int(m.group(3)) if m.group(3) else year
        month = _month(m.group(2))
        found.append((_iso(y, month, int(m.group(1))) or m.group(0), m.start(), m.end()))
        break
    for m in DAY_DOTTED.finditer(text):
        found.append((_iso(int(m.group(3)), int(m.group(2)), int(m.group(1))) or m.group(0), m.start(), m.end()))
        break
    for m in ON_DAY.finditer(text):
        found.append((_iso(year, _month(m.group(2)), int(m.group(1))) or m.group(0), m.start(), m.end()))
        break
    for m in TERM.finditer(text):
        found.append((m.group(0)[:1].lower() + m.group(0)[1:], m.start(), m.end()))
        break
    return min(found, key=lambda f: f[1]) if found else None


def _month(word: str) -> int:
    low = word.lower()
    for n, stem in enumerate(MONTHS, 1):
        if low.startswith(stem) and (stem != "ма" or low[:3] in ("мая", "май")):
            return n
    return 0


def _iso(year: int | None, month: int, day: int) -> str | None:
    if not year or not 1 <= month <= 12 or not 1 <= day <= 31:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"

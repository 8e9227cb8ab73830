"""Period phrases -> the contract's period strings, resolved against the publication date.

"по итогам 2020 года" -> "2020"; "на 2021-2024 годы" -> "2021-2024"; "за январь-август 2019 года"
-> "2019-01..2019-08"; "третьего квартала 2025 года" -> "2025-07..2025-09"; "в текущем году" ->
the published year. Comparison bases ("в сравнении с 2019 годом") are told apart as ``base``,
and dates ("15 марта 2024 года") as ``date``, so that neither is taken for the figure's period.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from qala.periods import parse_period, period_label, previous

# ---------------------------------------------------------------- pieces

MONTH = (r"(?:январ\w*|феврал\w*|март\w*|апрел\w*|ма[йяе]|июн\w*|июл\w*|август\w*|сентябр\w*"
         r"|октябр\w*|ноябр\w*|декабр\w*)")
MONTH_NUMBERS = (("январ", 1), ("феврал", 2), ("март", 3), ("апрел", 4), ("ма", 5), ("июн", 6),
                 ("июл", 7), ("август", 8), ("сентябр", 9), ("октябр", 10), ("ноябр", 11),
                 ("декабр", 12))
YEAR_NUM = r"(?:19|20)\d\d"
# "2020 года", "2020-м году", "2020 г.", and "по итогам 2024-го" with the word "год" left out
YEAR_WORD = (rf"(?P<y>{YEAR_NUM})(?:(?:-?(?:го|м|й))?\s*(?:год\w*|гг?\.?(?![а-яё]))"
             r"|-(?:го|м)(?![а-яё\d]))")
# shift against the published year: текущего года 0, прошлого -1, будущего +1
REL_YEAR = (r"(?P<rel>текущ\w+|эт(?:ом|от|ого)|нынешн\w+|уходящ\w+|прошл\w+|минувш\w+|прошедш\w+"
            r"|будущ\w+|следующ\w+|предстоящ\w+)\s+год\w*|(?P<tg>т\.\s?г\.)")
YEAR_REF = rf"(?:{YEAR_WORD}|{REL_YEAR})"
COUNT_WORDS = {"два": 2, "дву": 2, "тре": 3, "три": 3, "чет": 4, "пят": 5, "шес": 6, "сем": 7,
               "вос": 8, "дев": 9, "дес": 10, "оди": 11}
SMALL_COUNT = r"(?P<n>\d{1,2}|дв\w+|тр\w+|четыр\w+|пят\w+|шест\w+|сем\w+|восьм\w+|восем\w+|девят\w+|десят\w+)"
ORDINAL = {"перв": 1, "1": 1, "i": 1, "втор": 2, "2": 2, "ii": 2, "трет": 3, "3": 3, "iii": 3,
           "четв": 4, "4": 4, "iv": 4}


@dataclass(frozen=True)
class Published:
    year: int | None
    month: int | None

    @classmethod
    def of(cls, published: str | None) -> Published:
        if not published or not published[:4].isdigit():
            return cls(None, None)
        month = int(published[5:7]) if len(published) >= 7 and published[5:7].isdigit() else None
        return cls(int(published[:4]), month)


@dataclass(frozen=True)
class PeriodMention:
    start: int
    stop: int
    kind: str            # period | base | date | prior (a year before the figure's period) | current
    label: str | None    # None when relative and the publication date is unknown
    same_period: bool = False  # a base "аналогичный период ..." (the same months, that year)
    prior: bool = False        # resolved from "годом ранее": not the period later sentences carry
    relative: bool = False     # a base "прошлого года": a year before the figure's period, not the publication
    past: bool = False         # "в прошлом году": a look back, not the period the text goes on about
    carries: bool = True       # the period of the sentences that follow (a target or a span of years is not)
    stock: bool = False        # a day or the start of a year a state is counted on ("на 1 октября")


# ---------------------------------------------------------------- resolving the year

def _year(m: re.Match, pub: Published) -> int | None:
    if m.groupdict().get("y"):
        return int(m["y"])
    if pub.year is None:
        return None
    if m.groupdict().get("tg"):
        return pub.year
    rel = (m.groupdict().get("rel") or "").lower()
    if rel.startswith(("прошл", "минувш")):
        return pub.year - 1
    if rel.startswith("прошедш"):  # "за прошедший год" said in December means the year ending
        return pub.year if (pub.month or 12) >= 11 else pub.year - 1
    if rel.startswith(("будущ", "следующ", "предстоящ")):
        return pub.year + 1
    if rel:
        return pub.year
    return None


def _year_or_published(m: re.Match, pub: Published, last_month: int | None = None) -> int | None:
    """The year written, else the published one; a report on months not yet over when published is
    last year's ("за 10 месяцев" in January)."""
    year = _year(m, pub)
    if year is None and not m.groupdict().get("rel") and pub.year is not None:
        return pub.year - 1 if last_month and pub.month and last_month > pub.month else pub.year
    return year


def _month(word: str) -> int:
    word = word.lower()
    return next(n for stem, n in MONTH_NUMBERS if word.startswith(stem))


def _months(year: int | None, m1: int, m2: int) -> str | None:
    if year is None or not 1 <= m1 <= m2 <= 12:
        return None
    return f"{year}-{m1:02d}" if m1 == m2 else f"{year}-{m1:02d}..{year}-{m2:02d}"


def _count(word: str) -> int | None:
    return int(word) if word.isdigit() else COUNT_WORDS.get(word.lower()[:3])


# ---------------------------------------------------------------- rules: (name, kind, pattern, resolver)

Resolver = Callable[[re.Match, Published], str | None]


def _date(m: re.Match, pub: Published) -> str | None:
    return None


def _relative(m: re.Match, pub: Published) -> str | None:
    return None  # resolved against the figure's own period (resolve_prior, base_label)


def _as_of(m: re.Match, pub: Published) -> str | None:
    """"на 1 октября 2024 года", "по состоянию на 01.10.2024": a state at one day; with no year
    written, the published one (last year's when the month is still to come)."""
    groups = m.groupdict()
    day = int(groups.get("d") or groups.get("d1") or groups["d2"])
    month = int(m["mn"]) if groups.get("mn") else _month(groups.get("m") or groups.get("m1") or groups["m2"])
    year = _year(m, pub)
    if m.groupdict().get("yd"):
        year = int(m["yd"]) + (2000 if len(m["yd"]) == 2 else 0)
    if year is None and pub.year is not None and not m.groupdict().get("rel"):
        year = pub.year if (pub.month or 12) >= month else pub.year - 1
    if year is None or not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    return f"{year}-{month:02d}-{day:02d}"


def _year_end(m: re.Match, pub: Published) -> str | None:
    """"на конец года": the state as the year closes, the year itself."""
    year = _year(m, pub) if m.groupdict().get("y") or m.groupdict().get("rel") else _reported_year(m, pub)
    return str(year) if year else None


def _last_year(m: re.Match, pub: Published) -> str | None:
    return str(pub.year - 1) if pub.year else None


def _base(m: re.Match, pub: Published) -> str | None:
    year = _year(m, pub)
    return str(year) if year else None


def _month_range(m: re.Match, pub: Published) -> str | None:
    return _months(_year_or_published(m, pub, _month(m["m2"])), _month(m["m1"]), _month(m["m2"]))


def _quarters(m: re.Match, pub: Published) -> str | None:
    """"за три квартала", "за I-III кварталы": January to the end of the last quarter counted."""
    last = m.groupdict().get("q2") or m["n"]
    n = ORDINAL.get(last.lower()[:4]) or ORDINAL.get(last.lower()) or _count(last)
    return _months(_year_or_published(m, pub, 3 * n), 1, 3 * n) if n and 1 <= n <= 4 else None


def _quarter(m: re.Match, pub: Published) -> str | None:
    q = ORDINAL.get(m["q"].lower()[:4]) or ORDINAL.get(m["q"].lower().rstrip("-гомй"))
    return _months(_year_or_published(m, pub), 3 * q - 2, 3 * q) if q else None


def _half(m: re.Match, pub: Published) -> str | None:
    if not m["h"]:  # "за полугодие": the first half
        return _months(_year_or_published(m, pub, 6), 1, 6)
    h = ORDINAL.get(m["h"].lower()[:4]) or ORDINAL.get(m["h"].lower().rstrip("-гоме"))
    return _months(_year_or_published(m, pub), 6 * h - 5, 6 * h) if h in (1, 2) else None


def _n_months(m: re.Match, pub: Published) -> str | None:
    n = _count(m["n"])
    return _months(_year_or_published(m, pub, n), 1, n) if n else None


def _one_month(m: re.Match, pub: Published) -> str | None:
    month = _month(m["m"])
    year = _year(m, pub)
    if year is None and pub.year is not None and not m.groupdict().get("rel"):
        year = pub.year if (pub.month or 12) >= month else pub.year - 1
    return _months(year, month, month)


def _year_range(m: re.Match, pub: Published) -> str | None:
    y1, y2 = int(m["y1"]), int(m["y2"])
    return f"{y1}-{y2}" if y1 < y2 else None


def _until(m: re.Match, pub: Published) -> str | None:
    """"к 2030 году" is a target year; "до 2030 года" the years from publication up to it."""
    year = int(m["y"])
    if m["end"] or pub.year is None or pub.year >= year or m.group().lower().startswith("к"):
        return str(year)
    return f"{pub.year}-{year}"


def _since_year(m: re.Match, pub: Published) -> str | None:
    """"С 2023 года дефицит снизился вдвое": a change up to now, so the published year (the year
    written when it is not earlier)."""
    year = int(m["y"])
    return str(pub.year) if pub.year and pub.year > year else str(year)


def _next_years(m: re.Match, pub: Published) -> str | None:
    n = _count(m["n"])
    return f"{pub.year}-{pub.year + n}" if n and pub.year else None


def _year_only(m: re.Match, pub: Published) -> str | None:
    year = _year(m, pub)
    return str(year) if year else None


def _reported_year(m: re.Match, pub: Published) -> str | None:
    """"по итогам года" with no year: the published one, or last year's early in the next."""
    if pub.year is None:
        return None
    return str(pub.year - 1 if pub.month and pub.month <= 2 else pub.year)


def _published_year(m: re.Match, pub: Published) -> str | None:
    return str(pub.year) if pub.year else None


def _year_to_date(m: re.Match, pub: Published) -> str | None:
    """"с начала года": January to the month before publication (the last month with figures);
    said in December, or when the month is unknown, the year; a reporting range already in force
    takes its place (resolve_prior). "С начала 2022 года" said in another year is that year."""
    if m.groupdict().get("y") and int(m["y"]) != pub.year:
        return m["y"]
    if pub.year is None:
        return None
    if pub.month and 2 <= pub.month <= 11:
        return _months(pub.year, 1, pub.month - 1)
    return str(pub.year)


def _last_years(m: re.Match, pub: Published) -> str | None:
    """"за последние два года", "за три года": the years up to the last one reported (the published
    year, or the one before early in the next)."""
    n = _count(m["n"])
    if not n or pub.year is None or n > 30:
        return None
    end = pub.year - 1 if pub.month and pub.month <= 2 else pub.year
    return f"{end - n + 1}-{end}" if n > 1 else str(end)


def _year_start(m: re.Match, pub: Published) -> str | None:
    """"на начало 2024 года": the state as the year opens, its first month."""
    return f"{int(m['y'])}-01"


PAST = re.compile(r"(?:прошл|минувш|предыдущ)", re.IGNORECASE)
BASE_LEAD = (r"(?:(?:по\s+)?сравнени[юи]\s+со?|по\s+отношению\s+к|относительно|против|к\s+уровню|на\s+уровне"
             r"|(?:выше|ниже|больше|меньше)\s+(?:показател\w+|уровн\w+)|чем(?:\s+(?:в|за|на))?)")
# A year before the figure's own period, whatever the publication date: "годом ранее", "год назад".
YEAR_BEFORE = r"(?:годом|год)\s+(?:ранее|раньше|назад)|(?:в|за)\s+предыдущ\w+\s+год\w*"
SAME_PERIOD_BEFORE = rf"(?:в|за)\s+аналогичн\w+\s+период\w*(?:\s+{YEAR_REF})?"
# "по итогам", "по результатам", "итоги", "об итогах": what sums up a period
SUMMING = r"(?:по\s+(?:итогам|результатам)|(?<![а-яё])(?:об\s+)?итог(?:и|ах|ов)?)"
RULES: tuple[tuple[str, str, re.Pattern, Resolver], ...] = tuple(
    (name, kind, re.compile(pattern, re.IGNORECASE), resolver) for name, kind, pattern, resolver in (
        # "на 1 октября 2024 года", "по состоянию на 15 ноября", "на 1 октября": a day of a stock; a day
        # other than the first with neither year nor "по состоянию" is more often a date set for something
        ("AS_OF", "period",
         (rf"(?<![а-яё])(?:(?:по\s+состоянию\s+)?на\s+(?P<d>\d{{1,2}})\s+(?P<m>{MONTH})\s+{YEAR_REF}"
          rf"|по\s+состоянию\s+на\s+(?P<d2>\d{{1,2}})\s+(?P<m2>{MONTH})|на\s+(?P<d1>0?1)\s+(?P<m1>{MONTH}))"),
         _as_of),
        ("AS_OF_DIGITS", "period",
         r"(?<![а-яё])(?:по\s+состоянию\s+)?на\s+(?P<d>\d{1,2})\.(?P<mn>\d{1,2})\.(?P<yd>(?:19|20)?\d\d)(?!\d)(?:\s*(?:года|г\.))?",
         _as_of),
        ("YEAR_END", "period",
         rf"(?<![а-яё])на\s+(?:конец|исход\w*)\s+(?:{YEAR_REF}|года(?![а-яё]))", _year_end),
        ("DATE", "date", rf"\b\d{{1,2}}\s+{MONTH}(?:\s+{YEAR_NUM}(?:\s*(?:года|г\.))?)?", _date),
        ("DATE_DIGITS", "date", r"\b\d{1,2}\.\d{1,2}\.\d{2,4}(?:\s*г\.)?", _date),
        ("BASE_SAME_PERIOD", "base",
         (rf"(?:{BASE_LEAD}|к)\s+(?:аналогичн\w+|соответствующ\w+|т(?:от|ого|ем|ому)\s+же)\s+период\w*"
          rf"(?:\s+{YEAR_REF})?"), _base),
        ("BASE_LAST_YEAR", "base", r"прошлогодн\w+(?:\s+(?:показател|уровн|период)\w*)?", _last_year),
        ("BASE_YEAR", "base",
         rf"(?:{BASE_LEAD}\s+(?:(?:показател\w+|уровн\w+|итог\w+)\s+)?{YEAR_WORD}|(?:{BASE_LEAD}|к)\s+(?P<rel>прошл\w+|предыдущ\w+|минувш\w+)\s+год\w*)",
         _base),
        ("BASE_YEAR_BEFORE", "base", rf"(?:{BASE_LEAD}|к)\s+(?:{YEAR_BEFORE})", _relative),
        ("PRIOR", "prior", rf"{SAME_PERIOD_BEFORE}|{YEAR_BEFORE}", _relative),
        ("MONTH_RANGE", "period",
         rf"(?:с\s+)?(?P<m1>{MONTH})\s*(?:[-–—]|\s+по\s+)\s*(?P<m2>{MONTH})(?:\s+{YEAR_REF})?", _month_range),
        ("QUARTERS", "period",
         (rf"(?<![а-яё])(?:за|в\s+течение)\s+(?:перв\w+\s+)?(?P<n>тр(?:и|[её]х)|дв(?:а|ух)|[23])\s+квартал(?:а|ов)(?![а-яё])"
          rf"(?:\s+{YEAR_REF})?"), _quarters),
        ("QUARTERS_SPAN", "period",
         (rf"(?<![A-Za-z\d])(?P<n>I|1)\s*[-–—]\s*(?P<q2>I{{2,3}}|IV|[2-4])(?:-?(?:м|й|го))?\s+квартал\w*"
          rf"(?:\s+{YEAR_REF})?"), _quarters),
        ("QUARTER", "period",
         (rf"(?P<q>перв\w+|втор\w+|трет\w+|четв[её]рт\w+|[1-4]-?(?:м|го|й)?|I{{1,3}}|IV)\s+квартал\w*"
         rf"(?:\s+{YEAR_REF})?"), _quarter),
        ("HALF", "period",
         rf"(?:(?P<h>перв\w+|втор\w+|[12]-?(?:м|го|е)?|(?<![A-Za-z])I{{1,2}})\s+|(?<=за\s))полугоди\w*(?:\s+{YEAR_REF})?",
         _half),
        ("N_MONTHS", "period",
         rf"(?:{SUMMING}|за)\s+(?:перв\w+\s+)?{SMALL_COUNT}\s+(?:месяц\w*|мес\.)(?:\s+{YEAR_REF})?",
         _n_months),
        ("N_MONTHS_OF_YEAR", "period", rf"{SMALL_COUNT}\s+(?:месяц\w*|мес\.)\s+{YEAR_REF}", _n_months),
        ("ONE_MONTH", "period", rf"(?<![а-яё])(?:в|за)\s+(?P<m>{MONTH})(?:\s+{YEAR_REF})?", _one_month),
        ("SINCE_START", "ytd",
         rf"с\s+начала\s+(?:(?:текущего\s+|этого\s+|нынешнего\s+)?года|{YEAR_WORD})", _year_to_date),
        ("YEAR_START", "period", rf"(?<![а-яё])на\s+начало\s+{YEAR_WORD}", _year_start),
        ("LAST_YEARS", "period",
         (rf"(?<![а-яё])(?:за|в\s+течение)\s+(?:последни[ехм]\s+|прошедши[ехм]\s+){{0,1}}{SMALL_COUNT}"
         r"\s+(?:года|лет)(?![а-яё])"), _last_years),
        ("YEARS_AND", "period",
         rf"(?P<y1>{YEAR_NUM})\s+и\s+(?P<y2>{YEAR_NUM})(?:-?(?:м|х))?\s+год(?:ах|ы)", _year_range),
        ("YEAR_RANGE", "period",
         rf"(?:с\s+)?(?P<y1>{YEAR_NUM})\s*(?:[-–—/]|\s+по\s+)\s*(?P<y2>{YEAR_NUM})(?:-?е)?(?:\s*(?:год\w*|гг\.?))?",
         _year_range),
        ("SINCE_YEAR", "period",
         rf"(?<![а-яё])(?:начиная\s+)?с\s+{YEAR_WORD}(?!\s*(?:[-–—]|по\s|до\s))", _since_year),
        ("UNTIL", "period", rf"(?:до|к)\s+(?P<end>конц\w+\s+)?{YEAR_WORD}", _until),
        ("UNTIL_YEAR_END", "period",
         r"(?<![а-яё])(?:до|к)\s+конц\w*\s+(?:(?:текущего|этого|нынешнего)\s+)?года(?![а-яё])", _published_year),
        ("NEXT_YEARS", "period", rf"ближайш\w+\s+{SMALL_COUNT}\s+(?:лет|год\w*)", _next_years),
        # "в ближайшие годы", "в перспективе": a time named but with no bounds, so no period at all
        ("SOME_YEARS", "period",
         r"(?<![а-яё])(?:в|на)\s+(?:ближайш\w+\s+(?:годы|годах|время)|(?:долгосрочн\w+\s+)?перспектив[еу])(?![а-яё])",
         _date),
        ("YEAR", "period", YEAR_REF, _year_only),
        ("REPORTED_YEAR", "period",
         rf"(?<![а-яё])(?:{SUMMING}|за)\s+(?P<y>{YEAR_NUM})(?=\s*(?:[,;:)]|\.(?!\d)|$|\s+(?:и|был|был\w|состав\w+)\s))",
         _year_only),
        ("WHOLE_YEAR", "current", rf"(?:{SUMMING}|за)\s+года?(?![а-яё])", _reported_year),
        ("NOW", "period",
         (r"на\s+сегодняшний\s+день|на\s+сегодня|на\s+(?:текущий|данный)\s+момент|в\s+настоящее\s+время"
          r"|(?<![а-яё])сейчас(?![а-яё])"),
         _published_year),
    ))


# A target ("к 2030 году", "до конца 2026 года") or a span of several years ("за три года",
# "в 2024-2025 годах") is the period of its own sentence only: the sentences after it report on
# something else, and do not take it.
# "на начало 2024 года": carried to the states counted after it, not to what was done in the year
# ("на 15 сентября обмолочено ..." is a running total, and carries)
STOCK_DAYS = frozenset({"YEAR_START"})
NOT_CARRIED = frozenset({"UNTIL", "UNTIL_YEAR_END", "YEAR_RANGE", "YEARS_AND", "LAST_YEARS", "NEXT_YEARS", "SOME_YEARS"})


AFTER_CHANGE = re.compile(r"(?:%|процент\w*|раза?|п\.\s?п\.|пункт\w*)\s*$", re.IGNORECASE)


def _compares(text: str, m: re.Match, pub: Published) -> bool:
    """"к 2022 году" after a change ("вырос на 5% к 2022 году") or naming a year already past is the
    base of a comparison, not a target."""
    if not m.group().lower().startswith("к") or m["end"]:
        return False
    return AFTER_CHANGE.search(text, max(0, m.start() - 20), m.start()) is not None \
        or (pub.year is not None and int(m["y"]) < pub.year)


SEASON = re.compile(r"сезон\w*|маркетинг\w*|учебн\w*|отопительн\w*", re.IGNORECASE)


def _season(text: str, m: re.Match) -> bool:
    """"2023/2024 маркетинговый год", "отопительный сезон 2024-2025 годов": one season over two years,
    the period of what follows like a year."""
    y1, y2 = m.groupdict().get("y1"), m.groupdict().get("y2")
    if not (y1 and y2 and int(y2) == int(y1) + 1):
        return False
    return "/" in m.group() or SEASON.search(text, max(0, m.start() - 30), m.end() + 30) is not None


def find_periods(text: str, published: str | None) -> list[PeriodMention]:
    """Period, base and date phrases in text, in order; earlier rules claim their words first.

    >>> [(p.kind, p.label) for p in find_periods("По итогам 2020 года выросли, в сравнении с 2019 годом", None)]
    [('period', '2020'), ('base', '2019')]
    >>> [p.label for p in find_periods("в текущем году", "2021-02-04")]
    ['2021']
    """
    pub = Published.of(published)
    taken: list[tuple[int, int]] = []
    out: list[PeriodMention] = []
    for name, kind, pattern, resolve in RULES:
        for m in pattern.finditer(text):
            if any(m.start() < stop and start < m.end() for start, stop in taken):
                continue
            taken.append((m.start(), m.end()))
            if name == "UNTIL" and _compares(text, m, pub):
                kind = "base"
            relative = kind == "base" and (name == "BASE_LAST_YEAR"
                                           or bool(m.groupdict().get("rel") or m.groupdict().get("tg")))
            past = kind == "period" and PAST.match(m.groupdict().get("rel") or "") is not None
            out.append(PeriodMention(m.start(), m.end(), kind, resolve(m, pub),
                                     name in ("BASE_SAME_PERIOD", "BASE_YEAR_BEFORE") or relative, relative=relative,
                                     past=past, carries=name not in NOT_CARRIED or _season(text, m),
                                     stock=name in STOCK_DAYS))
    return sorted(out, key=lambda p: p.start)


def base_label(mention: PeriodMention, period: str | None) -> str | None:
    """The base period of a change: "аналогичный период прошлого года" and "к уровню прошлого года"
    are the fact's own months one year earlier.

    >>> base_label(PeriodMention(0, 0, "base", None, True), "2022-01..2022-03")
    '2021-01..2021-03'
    """
    if not mention.same_period:
        return mention.label
    parsed = parse_period(period)
    if parsed is None:
        return mention.label
    if mention.label and not mention.relative and parsed.start.year - 1 != int(mention.label):
        return mention.label
    earlier = previous(parsed)
    return period_label(earlier) if earlier else mention.label


def is_reporting_range(label: str | None) -> bool:
    """Months from January within one year, short of the whole year: "2024-01..2024-04"."""
    parsed = parse_period(label)
    return (parsed is not None and parsed.start.month == 1 and parsed.start.year == parsed.end.year
            and parsed.end.month < 12)


def resolve_prior(mentions: list[PeriodMention], current: str | None,
                  reporting: str | None = None) -> list[PeriodMention]:
    """"Годом ранее", "за аналогичный период прошлого года": the period a year before the one in
    force (the last period named before it in the line, else ``current``), as a plain period.
    "С начала года" is the reporting range in force (``reporting``, "за январь-апрель"), when it is of
    the same year, else the months up to publication.

    >>> m = resolve_prior([PeriodMention(0, 12, "prior", None)], "2023")
    >>> (m[0].kind, m[0].label)
    ('period', '2022')
    >>> resolve_prior([PeriodMention(0, 14, "ytd", "2024-01..2024-05")], None, "2024-01..2024-04")[0].label
    '2024-01..2024-04'
    """
    out: list[PeriodMention] = []
    for m in mentions:
        if m.kind == "ytd":
            own, told = parse_period(m.label), parse_period(reporting)
            same_year = told is not None and (own is None or own.start.year == told.start.year)
            label = reporting if same_year and is_reporting_range(reporting) else m.label
            out.append(PeriodMention(m.start, m.stop, "period", label))
            current = label
            continue
        if m.kind == "period" and is_reporting_range(m.label):
            reporting = m.label
        if m.kind == "current":  # "по итогам года": the year in force, else the reported one
            parsed = parse_period(current)
            label = str(parsed.start.year) if parsed and parsed.start.year == parsed.end.year else m.label
            # with no period in force, it is the period of what follows ("Аким подвел итоги года. ...")
            out.append(PeriodMention(m.start, m.stop, "period", label, prior=current is not None))
            current = current or label
            continue
        if m.kind != "prior":
            out.append(m)
            if m.kind == "period":
                current = m.label
            continue
        parsed = parse_period(current)
        earlier = previous(parsed) if parsed else None
        out.append(PeriodMention(m.start, m.stop, "period", period_label(earlier) if earlier else None,
                                 prior=True))
    return out


def reference_date(text: str) -> str | None:
    """The month a text of unknown date was most likely written in, from the first reporting range
    it names with its year ("за 9 месяцев 2018 года" -> "2018-10"): the month after the range ends.
    Only used to resolve "в текущем году" and the like; the document's date stays unknown.

    A text that sums up a whole year ("по итогам 2023 года") was most likely written early in the next.

    >>> reference_date("Итоги. За пять месяцев 2024 года ВРП вырос. В этом году ...")
    '2024-06'
    >>> reference_date("По итогам 2023 года ВРП вырос")
    '2024-01'
    >>> reference_date("В 2023 году ВРП вырос") is None
    True
    """
    for m in find_periods(text, None):
        if m.kind == "period" and m.label and is_reporting_range(m.label):
            end = parse_period(m.label).end  # type: ignore[union-attr]
            return f"{end.year}-{end.month + 1:02d}"
    summed = YEAR_SUMMED.search(text)
    return f"{int(summed['y']) + 1}-01" if summed else None


YEAR_SUMMED = re.compile(rf"(?:по\s+итогам|за)\s+(?:всего\s+|прошлого\s+)?{YEAR_WORD}", re.IGNORECASE)


# ---------------------------------------------------------------- the tense of a clause

# Words that put a clause in the future whatever its verb: "будет создано", "должны появиться",
# "планируется построить", "ожидается рост", "предстоит ввести".
FUTURE_WORDS = frozenset({"быть", "должный", "планироваться", "планировать", "ожидаться", "предстоять",
                          "намереваться", "намеренный", "прогнозировать", "прогнозироваться", "предполагаться"})
# An order sets what is still to be done: "поручил ввести три школы", "необходимо построить".
ORDER_WORDS = frozenset({"поручить", "потребовать", "поручение", "поручаться", "необходимо", "нужно", "следует",
                         "надлежит", "обязать"})
TENSE_WORD = re.compile(r"[а-яё]+", re.IGNORECASE)


def clause_tense(text: str, parse_word: Callable[[str], list], prefer: str = "future") -> str | None:
    """"past" when the clause tells of something done ("введено", "составил"), "future" when of
    something to come ("будет создано", "составит", "планируется"), "present" for a state
    ("функционирует", "составляет"), None without a verb. The future wins: "будет" makes a short
    participle a promise (or ``prefer`` another tense, when it is found).
    """
    tenses: set[str] = set()
    for word in TENSE_WORD.findall(text):
        parses = parse_word(word.lower())
        if not parses:
            continue
        parse = parses[0]
        tag = parse.tag
        if parse.normal_form in FUTURE_WORDS and (tag.POS in ("VERB", "ADJS") and "past" not in tag.grammemes) \
                or parse.normal_form in ORDER_WORDS or word.lower() in ORDER_WORDS:
            tenses.add("future")
        elif tag.POS == "VERB" or tag.POS == "PRTS":
            for tense in ("past", "futr", "pres"):
                if tense in tag.grammemes:
                    tenses.add({"futr": "future", "pres": "present"}.get(tense, tense))
    if prefer in tenses:
        return prefer
    for tense in ("future", "past", "present"):
        if tense in tenses:
            return tense
    return None

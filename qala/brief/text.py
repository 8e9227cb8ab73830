"""The briefing's Russian: figures with their units, periods as phrases, and generated sentences.

Numbers go through qala.format (decimal comma, spaced thousands, nouns agreeing with numerals); a
figure keeps up to three decimals in its scale ("1,052 трлн тенге"), so the briefing never shows a
figure rounded away from the store's.
"""

from __future__ import annotations

import datetime as dt

from qala.format import MONTHS, MONTHS_GENITIVE, agree, plain_number, scale_of
from qala.format import value as figure
from qala.web.strings import UNITS

ROMAN = ("I", "II", "III", "IV")
MONTHS_PREPOSITIONAL = ("январе", "феврале", "марте", "апреле", "мае", "июне", "июле", "августе", "сентябре",
                        "октябре", "ноябре", "декабре")

PERIOD_KIND = {"year": "год", "half": "полугодие", "quarter": "квартал", "month": "месяц",
               "ytd": "с начала года", "range": "период", "day": "на дату"}


def amount(value: float | None, unit: str | None, obj: str | None = None, approx: str | None = None) -> str:
    """A figure with its scale, unit and counted object, as the briefing writes it.

    >>> amount(1.052e12, "KZT"), amount(850e9, "KZT"), amount(5.2, "%")
    ('1,052 трлн тенге', '850 млрд тенге', '5,2%')
    >>> amount(201, "count", "инвестиционный проект"), amount(2.1e6, "m2"), amount(22, "count", "школа")
    ('201 инвестиционный проект', '2,1 млн м²', '22 школы')
    """
    written = figure(value, unit, approx, digits=3)
    if value is not None and unit == "count" and obj:
        return f"{written} {agree(5 if scale_of(value, unit) else value, obj)}"  # "2,4 млн рабочих мест"
    return written


def axis_unit(values: list[float], unit: str | None) -> tuple[float, str]:
    """The factor and the label of a chart's value axis: the scale of the largest value and the unit.

    >>> axis_unit([1.0e12, 1.2e12], "KZT")
    (1000000000000.0, 'трлн тенге')
    >>> axis_unit([5.2, 4.9], "%")
    (1.0, '%')
    """
    word = UNITS.get(unit or "", unit or "")
    top = max((abs(v) for v in values), default=0.0)
    scale = None if word == "%" else scale_of(top, unit)
    if scale is None:
        return 1.0, word
    return scale[0], f"{scale[1]} {word}".strip()


def percent(value: float) -> str:
    """A change in percent, one decimal: "4,6%"."""
    return f"{plain_number(round(abs(value), 1), 1)}%"


def period_phrase(start: dt.date, end: dt.date, granularity: str | None) -> str:
    """A period as it follows a verb: "за январь–сентябрь 2024 года", "за 2023 год", "на 1 июля 2024 года".

    >>> period_phrase(dt.date(2024, 1, 1), dt.date(2024, 9, 30), "range")
    'за январь–сентябрь 2024 года'
    >>> period_phrase(dt.date(2023, 1, 1), dt.date(2023, 12, 31), "year")
    'за 2023 год'
    >>> period_phrase(dt.date(2024, 4, 1), dt.date(2024, 6, 30), "quarter")
    'за II квартал 2024 года'
    >>> period_phrase(dt.date(2021, 1, 1), dt.date(2024, 12, 31), "range")
    'за 2021–2024 годы'
    """
    if granularity == "day" or start == end:
        return f"на {end.day} {MONTHS_GENITIVE[end.month - 1]} {end.year} года"
    if start.year != end.year:
        if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
            return f"за {start.year}–{end.year} годы"
        return (f"за период с {MONTHS_GENITIVE[start.month - 1]} {start.year} по "
                f"{MONTHS[end.month - 1]} {end.year} года")
    year = start.year
    if start.month == 1 and end.month == 12:
        return f"за {year} год"
    if start.month == end.month:
        return f"за {MONTHS[start.month - 1]} {year} года"
    if granularity == "quarter" and (start.month - 1) % 3 == 0 and end.month - start.month == 2:
        return f"за {ROMAN[(start.month - 1) // 3]} квартал {year} года"
    if granularity == "half" and start.month in (1, 7) and end.month - start.month == 5:
        return f"за {'первое' if start.month == 1 else 'второе'} полугодие {year} года"
    return f"за {MONTHS[start.month - 1]}–{MONTHS[end.month - 1]} {year} года"


def period_title(start: dt.date, end: dt.date, granularity: str | None) -> str:
    """A period in a table cell: "январь–сентябрь 2024 г.", "2023 г.".

    >>> period_title(dt.date(2024, 1, 1), dt.date(2024, 9, 30), "range")
    'январь–сентябрь 2024 г.'
    >>> period_title(dt.date(2021, 1, 1), dt.date(2024, 12, 31), "range")
    '2021–2024 гг.'
    """
    phrase = period_phrase(start, end, granularity)
    phrase = phrase.removeprefix("за ").removeprefix("на ")
    return phrase.replace(" годы", " гг.").replace(" года", " г.").replace(" год", " г.")


def period_kind(start: dt.date, end: dt.date, granularity: str | None) -> str:
    """The kind of period a figure covers, said plainly.

    >>> period_kind(dt.date(2024, 1, 1), dt.date(2024, 9, 30), "range")
    'с начала года (9 месяцев)'
    >>> period_kind(dt.date(2023, 1, 1), dt.date(2023, 12, 31), "year")
    'год'
    """
    if granularity == "range" and start.year == end.year and start.month == 1 and start.day == 1:
        return f"с начала года ({plain_number(end.month)} {agree(end.month, 'месяц')})"
    return PERIOD_KIND.get(granularity or "range", "период")


def _head(name: str):
    from qala.language_forms import parse_word

    for word in name.replace(",", " ").split():
        p = parse_word(word.lower())
        if p is not None and p.tag.POS == "NOUN":
            return p
    return None


def verb(name: str, plain: str = "составил") -> str:
    """The past-tense verb agreeing with an indicator's name: "Объем ... составил", "Численность ...
    составила", "Инвестиции ... составили".

    >>> verb("Объем промышленного производства"), verb("Численность населения"), verb("Инвестиции в основной капитал")
    ('составил', 'составила', 'составили')
    """
    head = _head(name)
    if head is None:
        return plain
    if head.tag.number == "plur":
        return plain + "и"
    return plain + {"femn": "а", "neut": "о"}.get(head.tag.gender or "masc", "")


def change_clause(value: float, previous: float, unit: str | None) -> tuple[float | None, str]:
    """The change against the year before as a number and a clause: percent for amounts, percentage
    points for rates.

    >>> change_clause(1.1e12, 1.0e12, "KZT")
    (10.0, 'что на 10% больше, чем годом ранее')
    >>> change_clause(4.9, 5.2, "%")
    (-0.3, 'что на 0,3 п.п. меньше, чем годом ранее')
    >>> change_clause(3.0e12, 1.0e12, "KZT")
    (200.0, 'что в 3 раза больше, чем годом ранее')
    """
    if UNITS.get(unit or "", unit) == "%":
        diff = round(value - previous, 1)
        if diff == 0:
            return 0.0, "как и годом ранее"
        return diff, f"что на {plain_number(abs(diff), 1)} п.п. {'больше' if diff > 0 else 'меньше'}, чем годом ранее"
    if not previous:
        return None, ""
    pct = round((value / previous - 1) * 100, 1)
    if pct == 0:
        return 0.0, "на уровне года ранее"
    if value / previous >= 2:
        return pct, f"что в {plain_number(round(value / previous, 1), 1)} раза больше, чем годом ранее"
    return pct, f"что на {percent(pct)} {'больше' if pct > 0 else 'меньше'}, чем годом ранее"


def sentence(name: str, start: dt.date, end: dt.date, granularity: str | None, value_text: str,
             clause: str = "") -> str:
    """One generated sentence about a figure.

    >>> sentence("Объем промышленного производства", dt.date(2024, 1, 1), dt.date(2024, 9, 30), "range",
    ...          "3,2 трлн тенге", "что на 4,6% больше, чем годом ранее")
    'Объем промышленного производства за январь–сентябрь 2024 года составил 3,2 трлн тенге, что на 4,6% больше, чем годом ранее.'
    """
    name = name[:1].upper() + name[1:]
    tail = f", {clause}" if clause else ""
    return f"{name} {period_phrase(start, end, granularity)} {verb(name)} {value_text}{tail}."


def russian_day(day: dt.date) -> str:
    """A date as a Russian reader writes it.

    >>> russian_day(dt.date(2026, 12, 2))
    '2 декабря 2026 г.'
    """
    return f"{day.day} {MONTHS_GENITIVE[day.month - 1]} {day.year} г."


def month_tick(day: dt.date, granularity: str | None) -> str:
    """A chart's axis label for a period ending on `day`: the year, or the month in Russian.

    >>> month_tick(dt.date(2024, 12, 31), "year"), month_tick(dt.date(2024, 3, 31), "month")
    ('2024', 'мар 2024')
    """
    from qala.format import MONTHS_SHORT

    if granularity == "year":
        return str(day.year)
    return f"{MONTHS_SHORT[day.month - 1]} {day.year}"

"""Numbers as written in official Russian texts -> floats.

Digits with a decimal comma and spaces between thousands ("3 291,539"), a scale word after them
(тыс./млн/млрд/трлн and their spelled forms), cardinal number words ("двух", "четыре") and
spelled-out shares ("одну пятую часть" -> 20 %).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from qala.extractor.wordlist import load_pairs

# ---------------------------------------------------------------- patterns

# "3 291,539" | "1 052" | "4,6" | "37298,0" | "4.76"; never a piece of a date, a time, a code
# ("13.04.2022", "06:48", "НФС-3", "топ-5", "2oC") or a range/phone ("74-50-00").
DIGITS = r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?(?!\d)|\d+(?:[.,]\d+)?"
NUMBER = re.compile(
    rf"(?<![\w.,/:\-−–])(?P<sign>[+\-−–](?=\d))?(?P<digits>{DIGITS})"
    r"(?![\d]|[.,:/]\d|[\-‐]\w|[A-Za-zА-Яа-яЁё°])"
)

# "3, 6 миллиарда": a decimal comma with a stray space, told from a list ("3, 6 и 9 проектов") by the
# scale word right after it and by no list before it
SPACED_DECIMAL = re.compile(r"(?<![\d,][ \u00a0])(?P<whole>\d{1,3}),[ \u00a0](?P<part>\d{1,2})(?=[ \u00a0]*"
                            r"(?:тыс|млн|млрд|трлн|миллион|миллиард|триллион))", re.IGNORECASE)

SCALES = (
    (re.compile(r"тыс(?:яч\w*|\.)?(?![а-яё])", re.IGNORECASE), 1e3),        # 35,4 тыс. | 79,7 тысячи
    (re.compile(r"(?:млн|миллион\w*)\.?(?![а-яё])", re.IGNORECASE), 1e6),   # 3 млн | 2,3 миллиона
    (re.compile(r"(?:млрд|миллиард\w*)\.?(?![а-яё])", re.IGNORECASE), 1e9),  # 971,2 млрд
    (re.compile(r"(?:трлн|триллион\w*)\.?(?![а-яё])", re.IGNORECASE), 1e12),  # 1,052 трлн
)
SPACE = re.compile(r"[ \t\u00a0\u202f]*")

WORD = re.compile(r"[А-Яа-яЁё]+")
# Cheap filter before asking pymorphy: the stems every cardinal word starts with.
NUMERAL_STEM = re.compile(
    r"^(?:дв|об|тр|четыр|пят|шест|сем|восем|девят|десят|одиннадц|сорок|девяност|ст|полтор)", re.IGNORECASE)

# "одну пятую (часть)", "две третьих", "одна четверть"
SHARE = re.compile(
    r"(?<![а-яё])(?P<num>одн(?:а|у|ой|ою)|две|двух|три|трёх|трех)\s+"
    r"(?P<den>втор\w*|трет\w*|четверт\w*|пят\w*|шест\w*|седьм\w*|восьм\w*|девят\w*|десят\w*)"
    r"(?:\s+част\w*)?(?![а-яё])", re.IGNORECASE)
SHARE_NUMERATORS = {"одн": 1, "две": 2, "дву": 2, "три": 3, "трё": 3, "тре": 3}
SHARE_DENOMINATORS = {"втор": 2, "трет": 3, "четв": 4, "пят": 5, "шес": 6, "сед": 7, "вос": 8,
                      "дев": 9, "дес": 10}


@dataclass(frozen=True)
class Number:
    """One number in a piece of text: offsets are into that text; value includes the scale."""

    start: int
    stop: int
    value: float
    sign: str | None = None  # "+" or "-" when written before the digits
    scaled: bool = False     # a scale word (тыс., млн, ...) followed
    spelled: bool = False    # written as words ("двух")

    @property
    def is_year_like(self) -> bool:
        return not self.scaled and self.value.is_integer() and 1900 <= self.value <= 2100


# ---------------------------------------------------------------- parsing

def parse_digits(text: str) -> float:
    """Digits as written -> float.

    >>> parse_digits("3 291,539")
    3291.539
    >>> parse_digits("1,052")
    1.052
    """
    cleaned = re.sub(r"[ \u00a0\u202f]", "", text).replace(",", ".")
    return float(cleaned)


def read_scale(text: str, pos: int) -> tuple[float, int]:
    """The multiplier written at text[pos:] (after spaces), and where it stops; (1, pos) if none."""
    at = SPACE.match(text, pos).end()
    for pattern, factor in SCALES:
        m = pattern.match(text, at)
        if m:
            return factor, m.end()
    return 1.0, pos


def _sign(raw: str | None) -> str | None:
    if not raw:
        return None
    return "+" if raw == "+" else "-"


def digit_numbers(text: str) -> list[Number]:
    """Numbers written with digits, with their scale word.

    >>> [n.value for n in digit_numbers("выросли на 4,6% до 1,052 трлн тенге")]
    [4.6, 1052000000000.0]
    >>> digit_numbers("13.04.2022 в 06:48")
    []
    >>> [n.value for n in digit_numbers("выделено 3, 6 миллиарда тенге")]  # a stray space in a decimal
    [3600000000.0]
    """
    out = []
    for m in NUMBER.finditer(text):
        factor, stop = read_scale(text, m.end())
        value = parse_digits(m["digits"]) * factor
        if out and (spaced := SPACED_DECIMAL.match(text, out[-1].start)) and spaced.end() == m.end() \
                and factor != 1.0:
            prev = out.pop()
            start, sign = prev.start, prev.sign
            value = float(f"{spaced['whole']}.{spaced['part']}") * factor
            out.append(Number(start, stop, float(f"{value:.12g}"), sign, True))
            continue
        out.append(Number(m.start(), stop, float(f"{value:.12g}"), _sign(m["sign"]), factor != 1.0))
    return out


def word_numbers(text: str, lemma: Callable[[str], str]) -> list[Number]:
    """Cardinal numbers written as words ("двадцать пять" -> 25), with their scale word."""
    values = _numeral_values()
    out: list[Number] = []
    words = list(WORD.finditer(text))
    i = 0
    while i < len(words):
        w = words[i]
        value = values.get(lemma(w.group()).replace("ё", "е")) if NUMERAL_STEM.match(w.group()) else None
        if value is None:
            i += 1
            continue
        start, stop, total = w.start(), w.end(), value
        while i + 1 < len(words) and text[stop:words[i + 1].start()].isspace():
            nxt = words[i + 1].group()
            more = values.get(lemma(nxt).replace("ё", "е")) if NUMERAL_STEM.match(nxt) else None
            if more is None or more >= total:
                break
            total += more
            stop = words[i + 1].end()
            i += 1
        factor, scale_stop = read_scale(text, stop)
        out.append(Number(start, scale_stop, total * factor, None, factor != 1.0, True))
        i += 1
    return out


def find_numbers(text: str, lemma: Callable[[str], str]) -> list[Number]:
    """All numbers in text, digits and words, in order of position."""
    return sorted(digit_numbers(text) + word_numbers(text, lemma), key=lambda n: n.start)


def find_shares(text: str) -> list[tuple[int, int, float]]:
    """Spelled-out shares as (start, stop, percent).

    >>> find_shares("обеспечивая одну пятую часть ВВП страны")
    [(12, 28, 20.0)]
    """
    out = []
    for m in SHARE.finditer(text):
        num = SHARE_NUMERATORS.get(m["num"].lower()[:3])
        den = SHARE_DENOMINATORS.get(m["den"].lower()[:4]) or SHARE_DENOMINATORS.get(m["den"].lower()[:3])
        if num and den and num < den:
            out.append((m.start(), m.end(), round(100.0 * num / den, 1)))
    return out


MULTIPLE = re.compile(r"(?<![а-яё])в(дво|тро|четверо|пятеро|десятеро)е(?![а-яё])", re.IGNORECASE)
MULTIPLES = {"дво": 2.0, "тро": 3.0, "четверо": 4.0, "пятеро": 5.0, "десятеро": 10.0}


def find_multiples(text: str) -> list[tuple[int, int, float]]:
    """"вдвое", "втрое" as (start, stop, times).

    >>> find_multiples("выросло более чем вдвое")
    [(18, 23, 2.0)]
    """
    return [(m.start(), m.end(), MULTIPLES[m.group(1).lower()]) for m in MULTIPLE.finditer(text)]


FRACTION = re.compile(r"(?<![а-яё])(?:на\s+(треть|четверть|половину)|(наполовину))(?![а-яё])", re.IGNORECASE)
FRACTIONS = {"треть": 33.3, "четверть": 25.0, "половину": 50.0, "наполовину": 50.0}


def find_fractions(text: str) -> list[tuple[int, int, float]]:
    """"на треть", "на четверть", "наполовину" as (start, stop, percent), the span from the fraction word.

    >>> find_fractions("выросло на треть"), find_fractions("сократился наполовину")
    ([(11, 16, 33.3)], [(11, 21, 50.0)])
    """
    out = []
    for m in FRACTION.finditer(text):
        group = 1 if m.group(1) else 2
        out.append((m.start(group), m.end(group), FRACTIONS[m.group(group).lower()]))
    return out


# "треть от этого объема", "более половины выпускников": a share as a noun (not "на треть", a change,
# nor "в первой половине года", a time)
NOUN_SHARE = re.compile(
    r"(?<![а-яё])(?<!\sна\s)(?<!^на\s)(?P<w>треть|трети|третью|четверть|четверти|половин(?:а|ы|у|ой))(?![а-яё])"
    r"(?!\s+(?:год|месяц|дня|века|срока|пути|дистанции|XX|ХХ))", re.IGNORECASE)
NOUN_SHARES = {"тре": 33.33, "чет": 25.0, "пол": 50.0}
TIME_HALF_BEFORE = re.compile(r"(?:перв|втор)\w*\s*$", re.IGNORECASE)


def find_noun_shares(text: str) -> list[tuple[int, int, float]]:
    """Shares named by a noun, as (start, stop, percent).

    >>> find_noun_shares("завезена треть от потребности"), find_noun_shares("во второй половине дня")
    ([(9, 14, 33.33)], [])
    >>> find_noun_shares("выросло на треть")
    []
    """
    return [(m.start(), m.end(), NOUN_SHARES[m["w"].lower()[:3]]) for m in NOUN_SHARE.finditer(text)
            if not TIME_HALF_BEFORE.search(text, 0, m.start())]


@lru_cache(maxsize=1)
def _numeral_values() -> dict[str, float]:
    return {k.replace("ё", "е"): float(v) for k, v in load_pairs("facts_numerals").items()}

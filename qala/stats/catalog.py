"""Official indicator names and units -> indicator codes, variants and the press facts' unit codes.

The indicator lines are data (data/indicators.csv): a regular expression on the name, the code,
the breakdown (variant) and how the period is counted. Units: the Bureau's words for what a
figure counts, scaled to the unit codes of the press facts (KZT, USD, %, count).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

# unit words -> (unit code, factor); compared on the text before "(" and without dots, lower case
SCALES = {"": 1.0, "тыс": 1e3, "млн": 1e6, "млрд": 1e9, "трлн": 1e12}
UNIT_WORDS = {"тенге": "KZT", "тг": "KZT", "kzt": "KZT", "долл сша": "USD", "долларов сша": "USD",
              "usd": "USD", "%": "%", "процент": "%", "процентов": "%", "человек": "count", "чел": "count",
              "единиц": "count", "единица": "count", "persons": "count", "people": "count"}
UNIT = re.compile(r"^(?:(тыс|млн|млрд|трлн)\s+)?(.+?)(?:\s+в\s+месяц)?$")


@dataclass(frozen=True)
class IndicatorMatch:
    code: str
    variant: str
    period: str  # "" | ytd | date


@lru_cache(maxsize=1)
def _lines() -> list[tuple[re.Pattern[str], str, str, str]]:
    text = resources.files("qala.stats").joinpath("data", "indicators.csv").read_text(encoding="utf-8")
    rows = [line.split(",", 3) for line in text.splitlines() if line.strip() and not line.startswith("#")]
    # the pattern is the rest of the line (it may hold commas); the first line is the header
    return [(re.compile(pattern), code, variant, period) for code, variant, period, pattern in rows[1:]]


def normalize(name: str) -> str:
    return " ".join(str(name).lower().replace("ё", "е").replace("–", "-").replace("—", "-").split())


@lru_cache(maxsize=4096)
def match_indicator(name: str) -> IndicatorMatch | None:
    """The indicator an official name stands for; None when the catalogue has no line for it.

    >>> match_indicator("Уровень безработицы (по данным выборочного обследования)")
    IndicatorMatch(code='unemployment_rate', variant='', period='')
    >>> match_indicator("Численность населения на начало года (городское население, мужчины)")
    IndicatorMatch(code='population', variant='городское население, мужчины', period='date')
    """
    text = normalize(name)
    for pattern, code, variant, period in _lines():
        if m := pattern.search(text):
            if "{1}" in variant:
                variant = variant.replace("{1}", normalize(m[1]).strip(" ()"))
            return IndicatorMatch(code, variant, period)
    return None


@lru_cache(maxsize=1024)
def read_unit(text: str) -> tuple[str, float] | None:
    """(unit code, factor to it) for the Bureau's unit words; None when unknown.

    >>> read_unit("тыс. тенге"), read_unit("%"), read_unit("долл. США"), read_unit("человек")
    (('KZT', 1000.0), ('%', 1.0), ('USD', 1.0), ('count', 1.0))
    """
    if "%" in str(text):
        return "%", 1.0
    t = normalize(str(text).split("(")[0]).replace(".", " ")
    t = " ".join(t.split())
    if not t:
        return None
    if "%" in t:
        return "%", 1.0
    m = UNIT.match(t)
    if not m:
        return None
    code = UNIT_WORDS.get(m[2])
    if code is None:
        return None
    return code, SCALES[m[1] or ""]

"""What a number counts or measures: a currency, a measure, a percent, or counted objects.

Currencies become ISO codes, measures the contract's short codes; a number followed by a noun
("201 инвестиционных проектов") is a count of that noun's lemma ("проект").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from qala.extractor.nlp import Pipeline
from qala.extractor.wordlist import load_words

# ---------------------------------------------------------------- units written after a number

KZT = r"тенге|теңге|тг\.?"                                  # 5,7 млрд тг. | 12 млрд теңге
RUB = r"руб(?:л\w*|\.)?"                                    # 819 млрд рублей
USD = r"(?:доллар\w*|долл\.)(?:\s+США)?"                    # 22 млрд долларов США
EUR = r"евро"
UZS = r"сум(?:ов|а|ы|ам|ах)?"                               # 18,5 трлн сумов ("сумма" stays out)
M2 = r"м²|м2|кв\.?\s?(?:метр\w*|м\.?)|квадратн\w+\s+метр\w*"  # 2,4 млн м² | 612 тыс. кв. метров
M3 = r"м³|м3|куб\.?\s?(?:метр\w*|м\.?)|кубическ\w+\s+метр\w*|кубометр\w*"  # 3,1 млрд кубометров газа
KM = r"км|километр\w*"
C_HA = r"ц/га|центнер\w*\s+с\s+(?:одного\s+)?(?:гектара|га)"  # 15 центнеров с гектара
HA = r"га|гектар\w*"
T = r"тонн\w*|тн\.?|т(?=\s*[),;]|\.\s|\.?$)"                 # 8 тыс. тонн овощей | (3,4 млн т)
MW = r"МВт|мегаватт\w*"
KWH = r"кВт[·⋅.\s-]?ч|киловатт-час\w*"
PCT = r"%|процент\w*"                                      # 64,2 процента

UNIT_CODES = {"KZT": KZT, "RUB": RUB, "USD": USD, "EUR": EUR, "UZS": UZS, "m2": M2, "m3": M3,
              "km": KM, "c_ha": C_HA, "ha": HA, "t": T, "MW": MW, "kWh": KWH, "pct": PCT}
CODE = {"c_ha": "c/ha", "pct": "%"}
UNIT = re.compile(r"[ \t\u00a0\u202f]*(?:" + "|".join(f"(?P<{k}>{v})" for k, v in UNIT_CODES.items())
                  + r")(?![А-Яа-яЁёA-Za-z²³])", re.IGNORECASE)
DOLLAR_BEFORE = re.compile(r"\$\s*$")                        # $5 млн
CURRENCIES = frozenset({"KZT", "RUB", "USD", "EUR", "UZS"})

# ---------------------------------------------------------------- counted objects

CAPACITY_FORMS = frozenset({"мест", "места"})
WORD_AFTER = re.compile(r"[ \t\u00a0\u202f]+([а-яё][а-яё-]*[а-яё])", re.IGNORECASE)
PROPER = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad", "Abbr", "Init"})
MODIFIERS = frozenset({"ADJF", "PRTF"})
ADJECTIVE_END = re.compile(r"(?:ый|ий|ой|ая|яя|ое|ее)$")


@dataclass(frozen=True)
class Unit:
    code: str   # "KZT", "m2", "%", "count", ...
    stop: int   # where the unit's words end
    object: str | None = None  # for "count": the counted thing


def read_unit(text: str, pos: int, before: str = "") -> Unit | None:
    """The unit written at text[pos:]; ``before`` is the text just before the number ("$").

    >>> read_unit(" млрд тенге", 5)
    Unit(code='KZT', stop=11, object=None)
    >>> read_unit(" центнеров с гектара", 0).code
    'c/ha'
    """
    m = UNIT.match(text, pos)
    if m:
        key = m.lastgroup or ""
        return Unit(CODE.get(key, key), m.end())
    if before and DOLLAR_BEFORE.search(before):
        return Unit("USD", pos)
    return None


def read_times(text: str, pos: int) -> int | None:
    """Where "раз"/"раза" after a number stops ("в 5 раз"), else None."""
    m = re.compile(r"[ \t\u00a0]+раза?(?![а-яё])", re.IGNORECASE).match(text, pos)
    return m.end() if m else None


def read_counted(text: str, pos: int, nlp: Pipeline) -> Unit | None:
    """Counted objects after a number: adjectives then a common noun ("новых рабочих мест").

    Nouns of time, order and rank ("лет", "этапа", "место") are not counted objects.
    """
    modifier: str | None = None
    at = pos
    for _ in range(4):
        m = WORD_AFTER.match(text, at)
        if not m or len(m.group(1)) < 3 or m.group(1)[0].isupper():
            return None
        word = m.group(1).lower()
        parses = nlp.parse_word(word)
        if not parses:
            return None
        top = parses[0].tag
        noun = next((p for p in parses if "NOUN" in p.tag and not PROPER & p.tag.grammemes), None)
        if top.POS in MODIFIERS and noun is None or top.POS in MODIFIERS and _has_word_after(text, m.end()):
            modifier, at = word, m.end()
            continue
        if noun is None:
            return None
        lemma = noun.normal_form.replace("ё", "е")
        for other in dict.fromkeys([lemma] + [p.normal_form.replace("ё", "е") for p in parses
                                              if "NOUN" in p.tag]):  # "голов скота": гол | голова
            found = _collocation(modifier, other, text, m.end())
            if found:
                return Unit("count", found[1], found[0])
        if lemma == "место" and word in CAPACITY_FORMS and modifier is None:
            return Unit("count", m.end(), lemma)  # "школа на 1 200 мест": capacity; "второе место" is a rank
        if lemma in _not_counted():
            return None
        return Unit("count", m.end(), lemma)
    return None


def _has_word_after(text: str, pos: int) -> bool:
    m = WORD_AFTER.match(text, pos)
    return bool(m) and not m.group(1)[0].isupper()


def _collocation(modifier: str | None, lemma: str, text: str, stop: int) -> tuple[str, int] | None:
    """A two-word object from units_objects: (its name, where it stops in text)."""
    by_modifier, by_complement = _collocations()
    if modifier and (found := by_modifier.get((_stem(modifier), lemma))):
        return found, stop
    nxt = WORD_AFTER.match(text, stop)
    if nxt and (found := by_complement.get((lemma, nxt.group(1).lower().replace("ё", "е")))):
        return found, nxt.end()
    return None


def _stem(word: str) -> str:
    return word.lower().replace("ё", "е")[:5]


@lru_cache(maxsize=1)
def _collocations() -> tuple[dict[tuple[str, str], str], dict[tuple[str, str], str]]:
    from qala.extractor.nlp import pipeline

    nlp = pipeline()
    by_modifier: dict[tuple[str, str], str] = {}
    by_complement: dict[tuple[str, str], str] = {}
    for entry in load_words("units_objects"):
        words = entry.replace("ё", "е").split()
        if len(words) < 2:
            continue
        if ADJECTIVE_END.search(words[0]):
            by_modifier[(_stem(words[-2]), nlp.lemma(words[-1]).replace("ё", "е"))] = " ".join(words)
        else:
            by_complement[(nlp.lemma(words[0]).replace("ё", "е"), words[1])] = " ".join(words)
    return by_modifier, by_complement


@lru_cache(maxsize=1)
def _not_counted() -> frozenset[str]:
    return frozenset(w.replace("ё", "е") for w in load_words("units_not_counted"))

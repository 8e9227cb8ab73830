"""Noun phrases of a clause, read with pymorphy: nouns in a case, the adjectives that agree with a
head, genitive chains ("объем промышленного производства"), complements ("в основной капитал") and
the nominative phrase after a unit ("м² жилья" -> "жилье"). indicators.py builds indicators from them.
"""

from __future__ import annotations

import re
from functools import lru_cache

from qala.extractor.nlp import Pipeline
from qala.extractor.territories import nominative
from qala.extractor.wordlist import load_words

WORD = re.compile(r"[А-Яа-яЁёA-Za-z][А-Яа-яЁёA-Za-z-]*")
PREPOSITIONS = frozenset(["в", "во", "на", "по", "с", "со", "к", "ко", "из", "для", "от", "до", "о", "об", "при",
                          "за", "под", "над", "у", "без", "через", "между", "среди", "согласно", "около", "против"])
PROPER = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Abbr"})
# Words that make no complement: "в среднем", "в целом", months ("в январе-марте").
NOT_COMPLEMENT = re.compile(r"^(?:среднем|целом|итоге|частности|общем|том|числе|январ|феврал|март|апрел|ма[йяе]|"
                            r"июн|июл|август|сентябр|октябр|ноябр|декабр)", re.IGNORECASE)
ABBREVIATION = re.compile(r"^[А-ЯЁA-Z]{2,6}$")
MAX_PHRASE_WORDS = 5


def case_adjective(word: str, nlp: Pipeline, case: str) -> bool:
    return any(p.tag.POS in ("ADJF", "PRTF") and case in p.tag.grammemes for p in nlp.parse_word(word))


def of_phrase(line: str, stop: int, nlp: Pipeline, as_written: bool = False) -> str | None:
    """The genitive noun phrase right after the unit ("м² жилья" -> "жилье"), in the nominative
    (or as written, to follow a noun: "ввод жилья")."""
    words = list(WORD.finditer(line, stop, min(len(line), stop + 100)))
    if not words or line[stop:words[0].start()].strip():
        return None
    first = 0
    while first < min(2, len(words) - 1) and case_noun(words[first].group(), nlp, "gent") is None and any(
            p.tag.POS in ("ADJF", "PRTF") and "gent" in p.tag.grammemes for p in nlp.parse_word(words[first].group())):
        first += 1  # "4,1 тыс. км автомобильных дорог"
    if case_noun(words[first].group(), nlp, "gent") is None:
        return None
    phrase = [w.group() for w in words[:first + 1]] + genitives_after(words, first, nlp)
    found = without_place(" ".join(phrase) if as_written else nominative(" ".join(phrase), nlp), nlp)
    return found or None


def complement(words: list[str], nlp: Pipeline) -> str | None:
    """"в основной капитал", "на образование", "в обрабатывающей промышленности": в/на + adjectives +
    a lower-case common noun (not a place or a time: "в регионе", "в прошлом году" stay out)."""
    if len(words) < 2 or words[0].lower() not in ("в", "на"):
        return None
    cases = ("accs", "loct") if words[0].lower() == "в" else ("accs",)
    out = [words[0].lower()]
    for w in words[1:4]:
        if not w.islower() or NOT_COMPLEMENT.match(w) or "-" in w:
            return None
        parses = nlp.parse_word(w)
        noun = next((p for p in parses[:3] if p.tag.POS == "NOUN" and set(cases) & p.tag.grammemes
                     and not PROPER & p.tag.grammemes), None)
        if noun is None and any(p.tag.POS in ("ADJF", "PRTF") and set(cases) & p.tag.grammemes for p in parses):
            out.append(w)
            continue
        if noun is None or noun.normal_form in place_words() or noun.normal_form in time_words():
            return None
        out.append(w)
        k = len(out)
        for g in words[k:k + 2]:  # "в общем объеме производства"
            if not g.islower() or not case_noun(g, nlp, "gent") or nlp.lemma(g) in place_words():
                break
            out.append(g)
        return " ".join(out)
    return None


def contiguous(words: list) -> list[str]:
    """The words of a run of matches up to the first gap that is not a plain space."""
    out: list[str] = []
    for k, m in enumerate(words):
        if k and not m.string[words[k - 1].end():m.start()].isspace():
            break
        out.append(m.group())
    return out


def without_place(phrase: str, nlp: Pipeline) -> str:
    """"валовой региональный продукт области" -> "валовой региональный продукт"."""
    words = phrase.split()
    while len(words) > 1 and nlp.lemma(words[-1].lower()) in place_words():
        words.pop()
    while len(words) > 1 and nlp.parse_word(words[-1])[0].tag.POS in ("ADJF", "PRTF"):
        words.pop()
    return " ".join(words)


def case_noun(word: str, nlp: Pipeline, case: str):
    if len(word) < 3:
        return None
    for p in nlp.parse_word(word)[:2]:
        if p.tag.POS == "NOUN" and case in p.tag.grammemes and not PROPER & p.tag.grammemes:
            return p
    return None


def after_oblique_adjective(words: list, i: int, nlp: Pipeline) -> bool:
    """"сельского хозяйства": a noun after a genitive adjective is not the subject."""
    if not i:
        return False
    parses = nlp.parse_word(words[i - 1].group())
    return parses[0].tag.POS in ("ADJF", "PRTF") and not any("nomn" in p.tag.grammemes for p in parses)


def after_noun(words: list, i: int, nlp: Pipeline) -> bool:
    """"в экономику города": a noun that may be a genitive, right after an oblique noun, is its complement."""
    if not i or words[i - 1].end() + 1 < words[i].start() or not case_noun(words[i].group(), nlp, "gent"):
        return False
    p = nlp.parse_word(words[i - 1].group())[0]
    return p.tag.POS == "NOUN" and "nomn" not in p.tag.grammemes


def adjectives_before(words: list, i: int, nlp: Pipeline, head=None) -> list[str]:
    """Adjectives agreeing with the head noun ("валовой региональный продукт")."""
    out: list[str] = []
    j = i - 1
    while j >= 0 and len(out) < 3:
        parses = nlp.parse_word(words[j].group())
        if not any(p.tag.POS in ("ADJF", "PRTF") and "nomn" in p.tag.grammemes and agrees(p, head)
                   for p in parses):
            break
        out.insert(0, words[j].group())
        j -= 1
    return out


def abbreviation(word: str, nlp: Pipeline):
    """"ВВП", "ВРП", "МСБ" stand for a noun phrase; country names ("США", "РК") do not."""
    if not ABBREVIATION.match(word):
        return None
    parse = nlp.parse_word(word)[0]
    return None if {"Geox", "Name", "Surn"} & parse.tag.grammemes else parse


def agrees(adjective, head) -> bool:
    if head is None or head.tag.POS != "NOUN":
        return True
    a, h = adjective.tag, head.tag
    if h.number == "plur" or a.number == "plur":
        return a.number == h.number
    return a.gender == h.gender


def genitives_after(words: list, i: int, nlp: Pipeline) -> list[str]:
    out: list[str] = []
    for m in words[i + 1:i + MAX_PHRASE_WORDS + 1]:
        if m.group() == "и" and out:
            out.append(m.group())  # "доля малого и среднего бизнеса"
            continue
        if len(m.group()) < 3 and not ABBREVIATION.match(m.group()):
            break
        parses = nlp.parse_word(m.group())[:2]
        if ABBREVIATION.match(m.group()):  # "доля ВИЭ", "доля МСБ": an abbreviation ends the phrase
            out.append(m.group())
            break
        if not any(p.tag.POS in ("NOUN", "ADJF", "PRTF") and "gent" in p.tag.grammemes for p in parses):
            break
        if any(PROPER & p.tag.grammemes for p in parses[:1]) and not ABBREVIATION.match(m.group()):
            break
        out.append(m.group())
    while out and (out[-1] == "и" or nlp.parse_word(out[-1])[0].tag.POS in ("ADJF", "PRTF")):
        out.pop()
    return out


@lru_cache(maxsize=1)
def time_words() -> frozenset[str]:
    return frozenset(load_words("units_not_counted"))


@lru_cache(maxsize=1)
def place_words() -> frozenset[str]:
    return frozenset(load_words("facts_places"))

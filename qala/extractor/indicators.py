"""The indicator phrase of a figure: what is measured, in the nominative (shown to users, not scored).

Rules, first answer wins: a short list item before the figure ("машиностроение – на 35,8%",
"фармацевтике на 40%"), else the subject noun phrase of the clause ("Объем строительных работ
составил ..."), else the noun phrase right after the unit ("2,4 млн м² жилья").
"""

from __future__ import annotations

import re
from collections.abc import Callable

from qala.extractor.nlp import Pipeline
from qala.extractor.territories import nominative

WORD = re.compile(r"[А-Яа-яЁёA-Za-z][А-Яа-яЁёA-Za-z-]*")
ITEM_START = re.compile(r"[,(;:]|\bв\s+том\s+числе\b|\bиз\s+них\b|\bа\s+также\b|\bтогда\s+как\b", re.IGNORECASE)
ITEM_TAIL = re.compile(r"(?:\s|[—–-]|\b(?:на|в|до|свыше|более|около|порядка|почти|составил\w*|составит)\b)*$",
                       re.IGNORECASE)
PREPOSITIONS = frozenset(["в", "во", "на", "по", "с", "со", "к", "ко", "из", "для", "от", "до", "о", "об", "при", "за", "под", "над", "у", "без", "через", "между", "среди", "согласно", "около"])
PROPER = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Abbr"})
DASH_TAIL = re.compile(r"[—–-]\s*(?:(?:на|в|до|свыше|более|около|порядка|почти)\s*)?$", re.IGNORECASE)
CONJUNCTIONS = frozenset({"а", "и", "что", "но", "также", "или"})
MAX_ITEM_WORDS = 4
MAX_PHRASE_WORDS = 5

Rule = Callable[[str, int, int, Pipeline], "str | None"]


def list_item(line: str, start: int, stop: int, nlp: Pipeline) -> str | None:
    head = line[:start]
    head = head[:ITEM_TAIL.search(head).start()]
    if head.endswith("("):
        return _before_paren(head[:-1], nlp)
    dashed = bool(DASH_TAIL.search(line, 0, start))
    cut = max((m.end() for m in ITEM_START.finditer(head)), default=0)
    if not cut and not dashed:
        return None
    words = WORD.findall(head[cut:])
    while words and words[0].lower() in CONJUNCTIONS:
        words = words[1:]
    if not 1 <= len(words) <= MAX_ITEM_WORDS or any(w.lower() in PREPOSITIONS for w in words):
        return None
    parses = [nlp.parse_word(w)[0] for w in words]
    if not any(p.tag.POS == "NOUN" and not PROPER & p.tag.grammemes for p in parses):
        return None
    if any(p.tag.POS in ("VERB", "INFN", "PRTS") for p in parses):
        return None
    return nominative(" ".join(words), nlp)


def subject(line: str, start: int, stop: int, nlp: Pipeline) -> str | None:
    words = [m for m in WORD.finditer(line, _clause_start(line, start), start)]
    for i, m in enumerate(words):
        if i and words[i - 1].group().lower() in PREPOSITIONS:
            continue
        parse = _noun(m.group(), nlp, "nomn")
        if parse is None or _after_oblique_adjective(words, i, nlp):
            continue
        phrase = _adjectives_before(words, i, nlp) + [m.group()] + _genitives_after(words, i, nlp)
        return " ".join(phrase)
    return None


def after_unit(line: str, start: int, stop: int, nlp: Pipeline) -> str | None:
    words = list(WORD.finditer(line, stop, min(len(line), stop + 80)))
    if not words or line[stop:words[0].start()].strip():
        return None
    if _noun(words[0].group(), nlp, "gent") is None:
        return None
    phrase = [words[0].group()] + _genitives_after(words, 0, nlp)
    return nominative(" ".join(phrase), nlp)


RULES: tuple[Rule, ...] = (list_item, subject, after_unit)


def indicator_for(line: str, start: int, stop: int, nlp: Pipeline) -> str | None:
    """What the figure at line[start:stop] measures, or None."""
    for rule in RULES:
        found = rule(line, start, stop, nlp)
        if found:
            return found[0].lower() + found[1:] if not found[:2].isupper() else found
    return None


# ---------------------------------------------------------------- helpers

def _before_paren(head: str, nlp: Pipeline) -> str | None:
    """"увеличение производства мяса (106,5%": the noun phrase just before the bracket."""
    words: list[str] = []
    for m in reversed(list(WORD.finditer(head))):
        word = m.group()
        if word.lower() in PREPOSITIONS or len(words) == MAX_ITEM_WORDS or re.search(r"[,;:()]", head[m.end():]):
            break
        if nlp.parse_word(word)[0].tag.POS in ("VERB", "INFN", "PRTS", "ADVB"):
            break
        words.insert(0, word)
    while words and words[0].lower() in CONJUNCTIONS:
        words = words[1:]
    if not words or not any(_noun(w, nlp, "nomn") or _noun(w, nlp, "gent") or _noun(w, nlp, "loct")
                            for w in words):
        return None
    return nominative(" ".join(words), nlp)


def _clause_start(line: str, pos: int) -> int:
    """After the last ";" or still-open "(" before pos."""
    start, depth_open = 0, []
    for m in re.finditer(r"[;()]", line[:pos]):
        if m.group() == ";":
            start = m.end()
        elif m.group() == "(":
            depth_open.append(m.end())
        elif depth_open:
            depth_open.pop()
    return max([start, *depth_open[-1:]])


def _noun(word: str, nlp: Pipeline, case: str):
    if len(word) < 3:
        return None
    for p in nlp.parse_word(word)[:2]:
        if p.tag.POS == "NOUN" and case in p.tag.grammemes and not PROPER & p.tag.grammemes:
            return p
    return None


def _after_oblique_adjective(words: list, i: int, nlp: Pipeline) -> bool:
    """"сельского хозяйства": a noun after a genitive adjective is not the subject."""
    if not i:
        return False
    p = nlp.parse_word(words[i - 1].group())[0]
    return p.tag.POS in ("ADJF", "PRTF") and "nomn" not in p.tag.grammemes


def _adjectives_before(words: list, i: int, nlp: Pipeline) -> list[str]:
    out: list[str] = []
    j = i - 1
    while j >= 0 and len(out) < 2:
        p = nlp.parse_word(words[j].group())[0]
        if p.tag.POS not in ("ADJF", "PRTF") or "nomn" not in p.tag.grammemes:
            break
        out.insert(0, words[j].group())
        j -= 1
    return out


def _genitives_after(words: list, i: int, nlp: Pipeline) -> list[str]:
    out: list[str] = []
    for m in words[i + 1:i + MAX_PHRASE_WORDS]:
        if len(m.group()) < 3:
            break
        parses = nlp.parse_word(m.group())[:2]
        if not any(p.tag.POS in ("NOUN", "ADJF", "PRTF") and "gent" in p.tag.grammemes for p in parses):
            break
        if any(PROPER & p.tag.grammemes for p in parses[:1]):
            break
        out.append(m.group())
    while out and nlp.parse_word(out[-1])[0].tag.POS in ("ADJF", "PRTF"):
        out.pop()
    return out

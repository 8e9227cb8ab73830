"""How a commitment's clause reads: as a plan or as a report, and as a floor or a ceiling.

Used by qala.monitor.commitments on the text of each figure's clause, read with up to
CONTEXT_BEFORE characters before it (``head`` trims that lead to its sentence).
"""

from __future__ import annotations

import functools
import re

CONTEXT_BEFORE = 80  # characters before a fact's clause searched for plan words
PLAN_WORDS = re.compile(
    r"(планир|запланир|\bплан[аеуы]?\b|\bбудет\b|\bбудут\b|предусмотр|намеч|\bожида|предстоит|прогноз|намерен|"
    r"целев|поставлен\w* задач|\bдолж(ен|на|но|ны)\b|\bпримут\b|\bпредполага|"
    r"\bпул(а|у|ом|е)?\b)", re.IGNORECASE)  # a pool of projects for a period lists what is to be built
# A plan whose clause has one of these asks for less: a verb not after "не" and not in the past tense,
# or a noun followed by a level "до 150" (not a year: "программа сокращения бедности до 2030 года") ...
DECREASE_LEMMAS = frozenset((
    "снизить", "снизиться", "снижать", "снижаться", "снижение", "понизить", "понизиться", "понижать", "понижение",
    "сократить", "сократиться", "сокращать", "сокращаться", "сокращение",
    "уменьшить", "уменьшиться", "уменьшать", "уменьшаться", "уменьшение"))
# ... and so does one that sets a ceiling ("не более", "не должно превышать").
CEILING_WORDS = re.compile(r"\bне\s+(?:долж\w*\s+|будет\s+|может\s+)?(?:более|больше|выше|свыше|превы[сш]\w*)",
                           re.IGNORECASE)
_DECREASE_STEMS = tuple(sorted({w[:3] for w in DECREASE_LEMMAS}))  # cheap filter before the lemma is looked up
DOWN_TO = re.compile(r"\bдо\s+(?:уровня\s+)?\d+(?:\s\d{3})*(?:[,.]\d+)?(?![\d,.])(?!\s*(?:год|г\.))", re.IGNORECASE)


@functools.lru_cache(maxsize=4096)
def is_planned(sentence: str) -> bool:
    """Whether a clause announces a plan rather than reports an outcome.

    >>> is_planned("в текущем году планируется ввести 92 проекта"), is_planned("введено 92 проекта")
    (True, False)
    >>> is_planned("до 2035 года построят 164 школы"), is_planned("построили 164 школы")
    (True, False)
    >>> is_planned("на 2024-2026 годы сформирован пул из 40 проектов"), is_planned("пульт управления")
    (True, False)
    """
    if PLAN_WORDS.search(sentence or ""):
        return True
    from qala.monitor.control import WORD, morph

    # a verb in the future tense ("построят", "введут") announces what is still to come
    return any(p.pos == "VERB" and p.feats.get("Tense") == "Fut"
               for w in WORD.findall(sentence or "") for p in morph().parse(w.lower())[:1])


@functools.lru_cache(maxsize=4096)
def direction_of(clause: str) -> str:
    """"down" when a plan's clause asks for a decrease or sets a ceiling, else "up".

    >>> direction_of("снизить число безработных до 20 тысяч человек"), direction_of("построят 10 школ")
    ('down', 'up')
    >>> direction_of("выбросы не превысят 40 тыс. тонн"), direction_of("число аварий не снизится")
    ('down', 'up')
    """
    clause = clause or ""
    if CEILING_WORDS.search(clause):
        return "down"
    from qala.monitor.control import WORD, morph

    before = ""
    for m in WORD.finditer(clause):
        word = m.group().lower()
        if before != "не" and word.startswith(_DECREASE_STEMS):
            p = morph().parse(word)[0]
            if p.normal in DECREASE_LEMMAS and (DOWN_TO.search(clause, m.end()) if p.pos == "NOUN" else not (
                    p.feats.get("VerbForm") == "Fin" and p.feats.get("Tense") == "Past")):  # past: a report
                return "down"
        before = word
    return "up"


def head(clause: str) -> str:
    """A clause read with CONTEXT_BEFORE characters before it, from its sentence's start."""
    cut = max(clause.rfind(". ", 0, CONTEXT_BEFORE), clause.rfind("\n", 0, CONTEXT_BEFORE))
    return clause[cut + 1:] if cut >= 0 else clause

"""Word classes read from pymorphy, for rule modules: verbs, infinitives, cases, post heads."""

from __future__ import annotations

from qala.extractor.nlp import Pipeline

VERB_POS = frozenset({"VERB", "INFN", "GRND"})


def top_pos(nlp: Pipeline, word: str) -> str | None:
    parses = nlp.parse_word(word)
    return parses[0].tag.POS if parses else None


def is_verb(nlp: Pipeline, word: str) -> bool:
    """A finite verb, infinitive or gerund in its most likely reading (lower-case words only)."""
    return word[:1].islower() and top_pos(nlp, word) in VERB_POS


def is_infinitive(nlp: Pipeline, word: str) -> bool:
    parses = nlp.parse_word(word.lower())
    return bool(parses) and parses[0].tag.POS == "INFN"


def is_imperative(nlp: Pipeline, word: str) -> bool:
    return any(p.tag.POS == "VERB" and "impr" in p.tag.grammemes for p in nlp.parse_word(word.lower()))


def cases(nlp: Pipeline, word: str, lemma: str | None = None) -> list[str]:
    """Cases the word can be in, most likely first (of parses with ``lemma`` when given)."""
    out: list[str] = []
    for p in nlp.parse_word(word):
        if (lemma is None or p.normal_form == lemma) and p.tag.case and p.tag.case not in out:
            out.append(p.tag.case)
    return out


def can_be_genitive(nlp: Pipeline, word: str) -> bool:
    return any(p.tag.case in ("gent", "gen2") for p in nlp.parse_word(word))


def is_plural(nlp: Pipeline, word: str, lemma: str) -> bool:
    parses = [p for p in nlp.parse_word(word) if p.normal_form == lemma]
    return bool(parses) and parses[0].tag.number == "plur"


def nominative(nlp: Pipeline, word: str, lemma: str | None = None, gender: str = "masc") -> str:
    """The word in the nominative singular, capitalized as written.

    >>> from qala.extractor.nlp import pipeline
    >>> nominative(pipeline(), "Премьер-Министра"), nominative(pipeline(), "первые")
    ('Премьер-Министр', 'первый')
    """
    parses = [p for p in nlp.parse_word(word) if lemma is None or p.normal_form == lemma]
    for p in parses:
        if p.tag.POS in ("ADJF", "PRTF"):
            form = p.inflect({"Nom", "Sing", "Fem" if gender == "femn" else "Masc"})
        else:
            form = p.inflect({"Nom", "Sing"})
        if form:
            return recase(word, form.word)
    return word


def recase(original: str, lower: str) -> str:
    """Give ``lower`` the capitalization of ``original``, part by hyphenated part."""
    if original.isupper() and len(original) > 1:
        return lower.upper()
    parts, src = lower.split("-"), original.split("-")
    return "-".join(p[:1].upper() + p[1:] if i < len(src) and src[i][:1].isupper() else p
                    for i, p in enumerate(parts))

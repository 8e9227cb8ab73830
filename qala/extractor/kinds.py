"""Kind phrases read from a lexicon ("комплексный план", "рабочая поездка") matched by lemmas.

Shared by programs.py and events.py: ``KindLexicon.match(idx, k)`` finds the longest kind
starting at token ``k`` in any case ("Комплексного плана", "рабочей поездки").
"""

from __future__ import annotations

from dataclasses import dataclass

from qala.extractor.nlp import Pipeline
from qala.extractor.tokens import TokenIndex
from qala.extractor.wordclass import recase
from qala.extractor.wordlist import load_pairs


@dataclass(frozen=True)
class KindMatch:
    label: str     # the kind in the nominative as written ("Комплексный план") or the lexicon's label
    first: int     # first token
    stop: int      # past-the-end token


class KindLexicon:
    def __init__(self, nlp: Pipeline, name: str) -> None:
        self.nlp = nlp
        entries = []
        for phrase, label in load_pairs(name).items():
            lemmas = tuple(nlp.lemma(w) for w in phrase.split())
            entries.append((lemmas, label))
        self.entries = sorted(entries, key=lambda e: -len(e[0]))
        self.firsts = {e[0][0] for e in self.entries}

    def match(self, idx: TokenIndex, k: int) -> KindMatch | None:
        toks = idx.tokens
        word = toks[k].text
        if not word[:1].isalpha():
            return None
        first = self.nlp.lemma(word.lower())
        if first not in self.firsts:
            return None
        for lemmas, label in self.entries:
            n = len(lemmas)
            if lemmas[0] != first or k + n > len(toks) or idx.sentence[k + n - 1] != idx.sentence[k]:
                continue
            if all(self.nlp.lemma(toks[k + i].text.lower()) == lemmas[i] for i in range(1, n)):
                words = [t.text for t in toks[k:k + n]]
                return KindMatch(label or nominative_phrase(self.nlp, words), k, k + n)
        return None


def nominative_phrase(nlp: Pipeline, words: list[str]) -> str:
    """Adjectives + noun brought to the nominative singular: "Комплексного плана" → "Комплексный план"."""
    if not words:
        return ""
    noun = nlp.parse_word(words[-1])
    gender = noun[0].tag.gender if noun else None
    out = []
    for w in words[:-1]:
        parses = [p for p in nlp.parse_word(w) if p.tag.POS in ("ADJF", "PRTF")]
        ud = {"femn": "Fem", "neut": "Neut"}.get(gender or "", "Masc")
        form = parses[0].inflect({"Nom", "Sing", ud}) if parses else None
        out.append(recase(w, form.word) if form else w)
    form = noun[0].inflect({"Nom", "Sing"}) if noun else None
    out.append(recase(words[-1], form.word) if form else words[-1])
    return " ".join(out)

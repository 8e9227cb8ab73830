"""The place a figure is about: the nearest place named before it in its line (natasha's LOC
entities, brought to the nominative), a country for "по стране", else the place carried over
from earlier sentences.

A LOC entity that cannot be a place is dropped: one with a word in Latin letters (a media name,
"Sputnik Казахстан"), words run together ("ИвановаАлматы"), one inside «...» (the name of a pipeline or a company), or only words of a body or office
(lexicon/facts_not_places.txt, "Правительство"). "По стране" with no country named in the text is
Kazakhstan (the texts Qala reads are Kazakhstan's unless they name another country); so is the
place of a text that names no place at all but speaks of the nation ("национальной экономики").
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from functools import lru_cache

from qala.extractor.context import Context
from qala.extractor.nlp import Entity, Pipeline
from qala.extractor.wordlist import load_words

COUNTRY_PHRASE = re.compile(r"(?<![а-яё])(?:по|в|во\s+всей)\s+(?:стране|республике)(?![а-яё])", re.IGNORECASE)
CURRENCY_BEFORE = re.compile(r"(?:доллар\w*|долл\.)\s*$", re.IGNORECASE)  # "долларов США" is no place
CITY_BEFORE = re.compile(r"(?<![а-яё])г\.\s?$")
PLAIN_WORD = re.compile(r"^[А-Яа-яЁёA-Za-z][А-Яа-яЁёA-Za-z-]*$")
KEEP_AS_IS = re.compile(r"^(?:г|с|п|пос|обл|р-н)\.$|^[A-ZА-ЯЁ]{2,}$")
LATIN = re.compile(r"[A-Za-z]")
RUN_TOGETHER = re.compile(r"[а-яё][А-ЯЁ]")  # "ЛяззатУразбаева": two words lost their space
NATIONAL = re.compile(r"(?<![а-яё])(?:национальн\w+\s+экономик\w*|экономик\w+\s+страны|по\s+стране|в\s+стране"
                      r"|по\s+республике|в\s+республике)(?![а-яё])", re.IGNORECASE)
HOME_COUNTRY = "Казахстан"
QUOTE_REACH = 80  # characters before a place in which an opening « makes it part of a name


@lru_cache(maxsize=8192)
def nominative(name: str, nlp: Pipeline) -> str:
    """A place name in the nominative: words up to its head noun are inflected.

    >>> from qala.extractor.nlp import pipeline
    >>> nominative("Тупкараганском районе", pipeline())
    'Тупкараганский район'
    """
    out = []
    words = name.split()
    while len(words) > 1 and _is_person_noun(words[0], nlp):  # "Аким области Улытау"
        words = words[1:]
    gender = _head_gender(words, nlp)  # "рыбного хозяйства" -> "рыбное", not "рыбный"
    for i, word in enumerate(words):
        if KEEP_AS_IS.match(word) or not PLAIN_WORD.match(word):
            out.append(word)
            continue
        parses = [p for p in nlp.parse_word(word) if p.tag.POS in ("NOUN", "ADJF", "PRTF")]
        if gender and i < len(words) - 1:
            parses.sort(key=lambda p: p.tag.POS == "NOUN" or gender not in p.tag.grammemes)
        # "Мангистауской области": a word before the head is its adjective; a lone name is a place
        # ("Астану" -> "Астана", not the first name "Астан").
        prefer = "ADJF" if i < len(words) - 1 else "Geox"
        parses.sort(key=lambda p: prefer not in ({p.tag.POS} | set(p.tag.grammemes))
                    and not (prefer == "ADJF" and p.tag.POS == "PRTF"))  # "обрабатывающей": a participle
        parse = parses[0] if parses else None
        if parse is None:
            out.append(word)
            continue
        # natasha's MorphForm.inflect takes Universal Dependencies grammemes ("Nom", "Sing")
        form = parse.inflect({"Nom"})
        new = _same_case(form.word, word) if form else word
        out.append(new if "ё" in word.lower() else new.replace("ё", "е").replace("Ё", "Е"))
        if parse.tag.POS == "NOUN":
            out.extend(words[i + 1:])
            break
    return " ".join(out)


def _head_gender(words: list[str], nlp: Pipeline) -> str | None:
    """The gender of the first word that can only be a noun ("хозяйства": neut), if any."""
    for word in words[1:]:
        if not PLAIN_WORD.match(word):
            continue
        parses = nlp.parse_word(word)
        if parses and all(p.tag.POS == "NOUN" for p in parses):
            genders = {g for p in parses for g in ("masc", "femn", "neut") if g in p.tag.grammemes}
            return genders.pop() if len(genders) == 1 else None
    return None


def _quoted(text: str, start: int) -> bool:
    """Inside «...»: a place in the name of an object (a pipeline «Оренбург - Западная граница», a
    company), not the place a figure is about."""
    before = text[max(0, start - QUOTE_REACH):start]
    return before.rfind("«") > before.rfind("»")


def _may_be_place(text: str, nlp: Pipeline) -> bool:
    """False for a LOC entity that cannot name a place (see the module's note)."""
    if LATIN.search(text) or RUN_TOGETHER.search(text):
        return False
    return not all(nlp.lemma(w.lower()) in _not_places() for w in text.split())


GENERIC_PLACES = frozenset({"область", "район", "город", "регион", "село", "посёлок", "поселок", "страна"})


def _without_post(entity: Entity, nlp: Pipeline) -> Entity | None:
    """A LOC entity that opens with a post or a body ("Аким Карагандинской области") is the place
    after it; one with only a common noun after it ("Аким области") names no place of its own."""
    words = [(m.start(), m.group()) for m in re.finditer(r"\S+", entity.text)]
    k = 0
    while k < len(words) and nlp.lemma(words[k][1].lower()) in _not_places():
        k += 1
    if k == 0:
        return entity
    rest = words[k:]
    if not rest or (len(rest) == 1 and nlp.lemma(rest[0][1].lower()) in GENERIC_PLACES):
        return None
    offset = rest[0][0]
    return Entity(entity.start + offset, entity.stop, entity.type, entity.text[offset:])


@lru_cache(maxsize=1)
def _not_places() -> frozenset[str]:
    return frozenset(load_words("facts_not_places"))


def _is_person_noun(word: str, nlp: Pipeline) -> bool:
    if not PLAIN_WORD.match(word):
        return False
    tag = nlp.parse_word(word)[0].tag
    return tag.POS == "NOUN" and "anim" in tag.grammemes and not {"Geox", "Name", "Surn"} & tag.grammemes


def _same_case(new: str, old: str) -> str:
    chars = [c.upper() if i < len(old) and old[i].isupper() else c for i, c in enumerate(new)]
    for i, c in enumerate(new):  # "северо-казахстанская" -> "Северо-Казахстанская"
        if i > 0 and new[i - 1] == "-" and i < len(old) and old[i].isupper():
            chars[i] = c.upper()
    return "".join(chars)


class Territories:
    """The LOC entities of one document, ready to be asked "which place is this figure about"."""

    def __init__(self, ctx: Context) -> None:
        self.text = ctx.text
        locs = [e for e in (_without_post(e, ctx.nlp) for e in ctx.parsed.entities if e.type == "LOC") if e
                and not CURRENCY_BEFORE.search(ctx.text, max(0, e.start - 12), e.start)
                and _may_be_place(e.text, ctx.nlp) and not _quoted(ctx.text, e.start)]
        self.starts = [e.start for e in locs]
        self.names = [self._name(e.start, e.text, ctx.nlp) for e in locs]
        countries = set(load_words("facts_countries"))
        named = next((n for n in self.names if n.lower() in countries), None)
        self.country = named or HOME_COUNTRY
        counts = Counter(self.names)
        self.main = max(counts, key=lambda n: (counts[n], -self.names.index(n))) if counts else None
        if self.main is None and NATIONAL.search(ctx.text):
            self.main = HOME_COUNTRY  # no place named, the nation's economy spoken of

    def _name(self, start: int, text: str, nlp: Pipeline) -> str:
        """"г. Алматы" keeps its "г." (natasha's entity starts after it)."""
        name = nominative(text, nlp)
        return f"г. {name}" if CITY_BEFORE.search(self.text, max(0, start - 3), start) else name

    def before(self, pos: int, line_start: int) -> str | None:
        """The place named last before pos in its line ("по стране" names the country)."""
        i = bisect.bisect_left(self.starts, pos)
        start = self.starts[i - 1] if i > 0 and self.starts[i - 1] >= line_start else line_start
        country = self._country_between(start, pos)
        if country:
            return country
        return self.names[i - 1] if i > 0 and self.starts[i - 1] >= line_start else None

    def after(self, pos: int, line_stop: int) -> str | None:
        i = bisect.bisect_left(self.starts, pos)
        return self.names[i] if i < len(self.starts) and self.starts[i] < line_stop else None

    def _country_between(self, start: int, stop: int) -> str | None:
        if COUNTRY_PHRASE.search(self.text, start, stop):
            return self.country
        return None

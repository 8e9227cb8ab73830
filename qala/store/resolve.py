"""Tie what one text says to what the store already knows: territory names, indicator phrases, persons.

Resolution is data-driven: the alias tables (territory_aliases, indicator_aliases) hold normalized
keys, and ``normalize_*`` turns a phrase from a text into the same kind of key (lemmas via
pymorphy, lower case, ё→е, framing words like "г."/"область"/"объем" dropped). A place name matches
a key whole; a measure phrase, every alias whose lemmas it holds in any order, told apart by unit
family and head noun (``AliasIndex._indicator``). A phrase no alias's lemmas fit is compared with
every alias of its unit family by navec word vectors (``AliasIndex.similar``): the nearest indicator
is taken only at a cosine of at least ``SIMILARITY_THRESHOLD`` (measured on the tune split of the
dev corpus, see benchmarks/resolution.py), else the figure stays unresolved. The tables are read once per engine into an
``AliasIndex`` (``aliases(engine)``); ``clear_cache()`` forgets it after an analyst edits them.

    >>> normalize_territory("в городе Алматы")
    'алматы'
    >>> normalize_indicator("объемы промышленного производства")
    'промышленный производство'
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from qala.store import schema

WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# Kazakh letters written into Russian text ("Жетісу", "Қарағанды") read as their Russian neighbours.
KAZAKH = str.maketrans("әіңғүұқөһ", "аингуукох")

# Words that carry no identity in a place name ("г. Алматы", "в Акмолинской области").
TERRITORY_NOISE = frozenset({"г", "гор", "город", "область", "обл", "облыс", "облысый", "в", "во", "по", "на", "из", "для"})
# Words that point at a place without naming it ("Аким области", "региона"): the document's place.
GENERIC_PLACE = frozenset({"аким", "акимат", "область", "город", "район", "регион", "село", "поселок", "облыс",
                           "г", "обл", "данный", "наш", "этот", "весь", "в", "по", "на"})
# Words that only frame a measure ("объем инвестиций", "уровень безработицы", "рост экономики").
INDICATOR_NOISE = frozenset({
    "объем", "показатель", "уровень", "величина", "размер", "общий", "количество", "число", "весь",
    "итог", "этот", "свой", "его", "в", "во", "за", "по", "на", "и", "с", "со", "из", "для", "от",
    "до", "к", "о", "год"})
# Words that say how a measure moved, not which one it is ("рост промышленного производства").
CHANGE_WORDS = frozenset({"рост", "прирост", "увеличение", "снижение", "сокращение", "спад", "темп",
                          "падение", "динамика"})
# Words of a plan, a forecast or a target ("план: ввод жилья", "прогнозная численность населения"):
# such a figure is a commitment and stays out of the indicator's series (no alias holds them).
PLAN_WORDS = frozenset({"план", "плановый", "прогноз", "прогнозный", "прогнозируемый", "ожидаемый",
                        "целевой", "запланированный"})
# Heads too generic to name a measure: the words after them decide ("производство свинины",
# "выпуск продукции сельского хозяйства", "первый квартал средняя зарплата").
LIGHT_HEADS = frozenset({"производство", "выпуск", "продукция", "квартал", "полугодие", "месяц",
                         "период", "январь", "девять", "половина"})
# Parts of speech that never head a measure phrase: the head is the first other word.
NOT_HEAD = frozenset({"ADJ", "VERB", "ADP", "DET", "NUM", "PRON", "CCONJ", "SCONJ", "ADV", "PART", "AUX"})

UNIT_FAMILY = {
    "KZT": "money", "USD": "money", "RUB": "money", "EUR": "money", "UZS": "money", "CNY": "money",
    "m2": "area", "ha": "land", "m3": "volume", "km": "length", "t": "mass", "c/ha": "yield",
    "MW": "power", "kWh": "energy", "%": "percent", "count": "count",
}
# Indicator families a fact's unit may belong to without contradiction (an index is given in percent).
COMPATIBLE = {"percent": {"percent", "index"}}
# The score (a word-by-word match of lemmas by navec vectors, see _AliasTable) at which an unseen
# phrase is taken for the nearest alias's indicator. Measured (benchmarks/resolution.py --similarity):
# the hand-judged tune split phrases get a wrong indicator at 0.78 and none from 0.80; the catalogue's
# aliases, each left out in turn, find their own indicator with precision 0.62 at 0.80 and 1.00 at
# 0.90. Below it the figure stays unresolved: a guess would put it into a wrong series.
SIMILARITY_THRESHOLD = 0.90


@lru_cache(maxsize=1)
def _morph():
    """pymorphy through natasha's MorphVocab, alone: the NER models are not needed here."""
    from qala.language import morph_vocab

    return morph_vocab()


@lru_cache(maxsize=100_000)
def _parse(word: str) -> tuple[str, str, frozenset[str]]:
    """(lemma, part of speech, every lemma any reading gives) of one lower-case word.

    The other readings matter: pymorphy reads "свинины" as "свинин" first and "свинина" as itself.
    """
    parses = _morph().parse(word)
    if not parses:
        return word, "X", frozenset({word})
    forms = frozenset(p.normal_form.lower().replace("ё", "е") for p in parses)
    return parses[0].normal_form.lower().replace("ё", "е"), parses[0].pos or "X", forms


def lemma(word: str) -> str:
    return _parse(word)[0]


def words(text: str) -> list[str]:
    return [w.lower().replace("ё", "е").translate(KAZAKH) for w in WORD.findall(text or "")]


@lru_cache(maxsize=50_000)
def normalize_territory(text: str) -> str:
    return " ".join(w for w in (lemma(x) for x in words(text)) if w not in TERRITORY_NOISE)


@lru_cache(maxsize=50_000)
def normalize_indicator(text: str) -> str:
    return " ".join(w for w in (lemma(x) for x in words(text)) if w not in INDICATOR_NOISE)


@lru_cache(maxsize=50_000)
def indicator_lemmas(text: str) -> frozenset[str]:
    """Every lemma the words of a measure phrase may have, framing words left out."""
    return frozenset(f for x in words(text) for f in _parse(x)[2]) - INDICATOR_NOISE


@lru_cache(maxsize=50_000)
def phrase_head(text: str) -> str | None:
    """The lemma of the word a measure phrase is about: its first noun after the framing words.

    >>> phrase_head("объем инвестиций в основной капитал")
    'инвестиция'
    >>> phrase_head("промышленное производство")
    'производство'
    """
    for word in words(text):
        form, pos, _ = _parse(word)
        if form not in INDICATOR_NOISE and form not in CHANGE_WORDS and pos not in NOT_HEAD:
            return form
    return None


def stem_key(key: str, size: int = 6) -> str:
    """A looser key for unknown inflections pymorphy guesses badly ("Нур-Султана").

    >>> stem_key("нур-султана")
    'нур-су'
    """
    return " ".join(w[:size] for w in key.split())


# ================================================================ the alias index

def kato_rank(kato: str) -> int:
    """How high a unit stands in the classifier, read from its code: 0 the country (or a country
    abroad), 1 a region or city of republican significance, 2 a district, city administration or
    a region's city, 3 a rural district, 4 and 5 villages.

    >>> kato_rank("750000000"), kato_rank("751710000"), kato_rank("101033102"), kato_rank("RU")
    (1, 2, 5, 0)
    """
    if not kato.isdigit() or kato.strip("0") == "":
        return 0
    zeros = len(kato) - len(kato.rstrip("0"))
    return 1 if zeros >= 7 else 2 if zeros >= 4 else 3 if zeros >= 3 else 4 if zeros >= 2 else 5


@dataclass(frozen=True)
class TerritoryAlias:
    territory_id: int
    kind: str
    valid_from: int | None
    valid_to: int | None
    rank: int = 1

    def valid_in(self, year: int | None) -> bool:
        if year is None:
            return True
        return (self.valid_from is None or year >= self.valid_from) and (
            self.valid_to is None or year <= self.valid_to)


@dataclass(frozen=True)
class IndicatorAlias:
    indicator_id: int
    lemmas: frozenset[str]
    family: str | None
    ancestors: frozenset[int]  # the indicators this one is part of (manufacturing: {industry})


@dataclass
class AliasIndex:
    territories: dict[str, list[TerritoryAlias]] = field(default_factory=dict)
    territory_stems: dict[str, list[TerritoryAlias]] = field(default_factory=dict)
    indicators: dict[str, list[IndicatorAlias]] = field(default_factory=dict)
    by_lemma: dict[str, list[IndicatorAlias]] = field(default_factory=dict)
    indicator_codes: dict[str, int] = field(default_factory=dict)
    territory_katos: dict[str, int] = field(default_factory=dict)
    territory_parents: dict[int, int | None] = field(default_factory=dict)
    territory_ranks: dict[int, int] = field(default_factory=dict)
    kato_of: dict[int, str] = field(default_factory=dict)
    similarity: bool = True  # compare unseen phrases with the aliases by navec vectors
    _vectors: dict[str | None, _AliasTable] | None = field(default=None, repr=False)

    # ---------------------------------------------------------------- territories

    def territory(self, text: str | None, year: int | None = None, within: int | None = None) -> int | None:
        """The territory id a place name refers to, or None when unknown or ambiguous.

        Of several places of one name, those inside ``within`` (the territory the document is about)
        go first, then the highest in the classifier (the region Абай before the villages Абай); a
        tie is left to a person."""
        if not text:
            return None
        key = normalize_territory(text)
        if not key:
            return None
        for table, k in ((self.territories, key), (self.territory_stems, stem_key(key))):
            found = _pick_territory(table.get(k, []), year, within, self)
            if found is not None:
                return found
        return None

    def place_in(self, text: str | None, year: int | None = None, max_rank: int = 3) -> int | None:
        """The first place a free text (a title, a post) names by capitalized words: "Итоги года в
        Карагандинской области" -> the region. Villages are left out (their names are common words)."""
        tokens = (text or "").split()
        for i in range(len(tokens)):
            for size in (3, 2, 1):
                window = tokens[i:i + size]
                if len(window) < size or not any(w[:1].isupper() for w in window):
                    continue
                found = self.territory(" ".join(window), year)
                if found is not None and 0 < self.rank(found) <= max_rank:
                    return found
        return None

    def rank(self, tid: int) -> int:
        return self.territory_ranks.get(tid, 0)

    def document_place(self, *, title: str | None, posts: list[str], places: list[int | None],
                       year: int | None = None) -> int | None:
        """The territory a document is about, for its figures that name none: the place of its
        title, else of its akim's post ("аким Карагандинской области"), else the region most of its
        figures name. Never the country, never a country abroad."""
        found = self.place_in(title, year)
        if found is None:
            for post in posts:
                if "аким" in post.lower():
                    found = self.place_in(post[0].upper() + post[1:], year)
                    if found is not None:
                        break
        if found is None:
            regions = Counter(r for r in (self.region(p) for p in places if p is not None) if r is not None)
            top = regions.most_common(2)
            if top and (len(top) == 1 or top[0][1] > top[1][1]):
                found = top[0][0]
        return found if found is not None and self.rank(found) > 0 else None

    def fact_territory(self, text: str | None, year: int | None, place: int | None) -> int | None:
        """A figure's territory: the place its clause names (of several of that name, the one in the
        document's region; a place the words of a longer name begin with, when the whole is no place:
        the name recognizer sometimes runs a place into the words after it), else the document's
        place when the clause names none or only points at one ("области", "Аким области")."""
        if text and not all(lemma(w) in GENERIC_PLACE for w in words(text)):
            found = self.territory(text, year, within=self.region(place))
            if found is None and len(text.split()) > 1:
                found = self.place_in(text, year)  # "ВРП Алматы", "Астаны Ивана Петрова": a place begins it
            return found
        return place

    def ancestors(self, tid: int) -> list[int]:
        """The territories a territory lies in, nearest first."""
        out: list[int] = []
        while (tid := self.territory_parents.get(tid)) is not None and tid not in out:
            out.append(tid)
        return out

    def region(self, tid: int | None) -> int | None:
        """The region (or city of republican significance) a territory lies in: itself for one,
        None for the country and countries abroad (whose parent is not the country)."""
        if tid is None:
            return None
        chain = [tid, *self.ancestors(tid)]
        country = self.territory_katos.get("000000000")
        return chain[-2] if len(chain) >= 2 and chain[-1] == country else None

    # ---------------------------------------------------------------- indicators

    def indicator(self, phrase: str | None, *, object: str | None = None,
                  unit: str | None = None) -> int | None:
        """The indicator id a measure phrase refers to (the counted object helps for counts)."""
        return _indicator_cached(self, phrase or "", object or "", unit or "")

    def _indicator(self, phrase: str, object_: str, unit: str) -> int | None:
        """Every alias whose lemmas the phrase (with its counted object) contains, in the unit's family,
        is a candidate. Only aliases holding the phrase's head word count ("экспорт продукции сельского
        хозяйства" is about exports) unless the head is a generic one (LIGHT_HEADS); of those, the ones
        with the most lemmas; a part beats its whole (manufacturing over industry); two unrelated
        indicators left: ambiguous, None."""
        have = indicator_lemmas(phrase) | indicator_lemmas(object_)
        if not have:
            return None
        family = UNIT_FAMILY.get(unit) if unit else None
        candidates = []
        for word in have:
            for alias in self.by_lemma.get(word, ()):
                if alias.lemmas <= have and _fits(alias.family, family):
                    candidates.append(alias)
        plan = have & PLAN_WORDS
        if plan:  # a plan's or a forecast's figure is a commitment, not the measure ...
            candidates = [a for a in candidates if plan <= a.lemmas]  # ... unless the measure is one
            if not candidates:                                        # ("ожидаемая продолжительность жизни")
                return None
        if not candidates:
            if not self.similarity:
                return None
            found = self.similar(phrase or object_, unit)
            return found[0] if found and found[1] >= SIMILARITY_THRESHOLD else None
        head = phrase_head(phrase) or phrase_head(object_)
        headed = [a for a in candidates if head in a.lemmas]
        if not headed and head is not None and head not in LIGHT_HEADS:
            return None  # "запасы овощей" are not a harvest, money "в экономику" is not GDP
        candidates = headed or candidates
        most = max(len(a.lemmas) for a in candidates)
        ids = {a.indicator_id for a in candidates if len(a.lemmas) == most}
        inner = {a.indicator_id: a.ancestors for a in candidates if a.indicator_id in ids}
        ids -= {i for ancestors in inner.values() for i in ancestors}
        return ids.pop() if len(ids) == 1 else None

    def similar(self, phrase: str, unit: str | None = None) -> tuple[int, float, str] | None:
        """(indicator id, score, alias) of the alias nearest to the phrase among those of the unit's
        family, matched word by word on navec vectors of lemmas (``_AliasTable``); None for a phrase
        of framing words only."""
        return _similar_cached(self, phrase or "", unit or "")

    def _similar(self, phrase: str, unit: str) -> tuple[int, float, str] | None:
        import numpy as np

        query = _content_lemmas(phrase)
        if not query:
            return None
        family = UNIT_FAMILY.get(unit) if unit else None
        best: tuple[int, float, str] | None = None
        for fam, table in self._alias_vectors().items():
            if not _fits(fam, family):
                continue
            score = table.scores(query)
            i = int(np.argmax(score))
            if best is None or float(score[i]) > best[1]:
                best = (table.owners[i][0], float(score[i]), table.owners[i][1])
        return best

    def _alias_vectors(self) -> dict[str | None, _AliasTable]:
        """The aliases of each indicator family, ready to be compared word by word."""
        if self._vectors is None:
            rows: dict[str | None, list[tuple[tuple[str, ...], tuple[int, str]]]] = {}
            for alias, entries in self.indicators.items():
                lemmas = tuple(w for w in alias.split() if len(w) > 1)
                if lemmas:
                    for entry in entries:
                        rows.setdefault(entry.family, []).append((lemmas, (entry.indicator_id, alias)))
            self._vectors = {fam: _AliasTable.build(items) for fam, items in rows.items()}
        return self._vectors

    def __hash__(self) -> int:
        return id(self)


def _fits(indicator_family: str | None, unit_family: str | None) -> bool:
    if unit_family is None or indicator_family is None:
        return True
    return indicator_family in COMPATIBLE.get(unit_family, {unit_family})


@lru_cache(maxsize=50_000)
def _content_lemmas(text: str) -> tuple[str, ...]:
    """The lemmas of a measure phrase that say what it is (framing and change words left out)."""
    return tuple(dict.fromkeys(w for w in (lemma(x) for x in words(text))
                               if w not in INDICATOR_NOISE and w not in CHANGE_WORDS and len(w) > 1))


class _AliasTable:
    """The aliases of one unit family as padded rows of word numbers, over one matrix of word vectors.

    ``scores(query)`` is a soft match of two bags of words: each word of either side finds its
    nearest word on the other (cosine of navec vectors; 1 for the same lemma, 0 for a word navec
    does not know), the means are taken per side, and the smaller mean is the score. Every word
    must find a counterpart: "сбор мусора" is not "сбор масличных", "семья" is not "малообеспеченные
    семьи".
    """

    def __init__(self, vocab: list[str], vectors, ids, owners: list[tuple[int, str]]) -> None:
        self.vocab, self.vectors, self.ids, self.owners = vocab, vectors, ids, owners
        self.position = {w: i for i, w in enumerate(vocab)}

    @classmethod
    def build(cls, items: list[tuple[tuple[str, ...], tuple[int, str]]]) -> _AliasTable:
        import numpy as np

        from qala.language import word_vector

        vocab = sorted({w for lemmas, _ in items for w in lemmas})
        position = {w: i for i, w in enumerate(vocab)}
        vectors = np.zeros((len(vocab), 300), dtype=np.float32)
        for i, w in enumerate(vocab):
            v = word_vector(w)
            if v is not None:
                vectors[i] = v
        width = max(len(lemmas) for lemmas, _ in items)
        ids = np.full((len(items), width), -1, dtype=np.int64)
        for row, (lemmas, _) in enumerate(items):
            ids[row, :len(lemmas)] = [position[w] for w in lemmas]
        return cls(vocab, vectors, ids, [owner for _, owner in items])

    def scores(self, query: tuple[str, ...]):
        import numpy as np

        from qala.language import word_vector

        q = np.zeros((len(query), 300), dtype=np.float32)
        for i, w in enumerate(query):
            v = word_vector(w)
            if v is not None:
                q[i] = v
        sims = np.clip(q @ self.vectors.T, 0.0, 1.0)  # query words x vocabulary
        for i, w in enumerate(query):
            if w in self.position:
                sims[i, self.position[w]] = 1.0
        sims = np.concatenate([sims, np.zeros((len(query), 1), dtype=np.float32)], axis=1)
        valid = self.ids >= 0
        pair = sims[:, self.ids]  # query words x aliases x alias words (-1: the zero column)
        alias_side = (pair.max(axis=0) * valid).sum(axis=1) / valid.sum(axis=1)
        query_side = np.where(valid[None, :, :], pair, 0.0).max(axis=2).mean(axis=0)
        return np.minimum(alias_side, query_side)


@lru_cache(maxsize=50_000)
def _similar_cached(index: AliasIndex, phrase: str, unit: str) -> tuple[int, float, str] | None:
    return index._similar(phrase, unit)


@lru_cache(maxsize=50_000)
def _indicator_cached(index: AliasIndex, phrase: str, object_: str, unit: str) -> int | None:
    return index._indicator(phrase, object_, unit)


def _pick_territory(candidates: list[TerritoryAlias], year: int | None, within: int | None,
                    index: AliasIndex) -> int | None:
    if not candidates:
        return None
    valid = [c for c in candidates if c.valid_in(year)] or candidates
    if within is not None and len({c.territory_id for c in valid}) > 1:
        inside = [c for c in valid if c.territory_id == within or within in index.ancestors(c.territory_id)]
        valid = inside or valid
    best = min(c.rank for c in valid)
    ids = {c.territory_id for c in valid if c.rank == best}
    return ids.pop() if len(ids) == 1 else None  # one name, several places: leave it to a person


def load_index(session: Session) -> AliasIndex:
    T, TA = schema.Territory, schema.TerritoryAlias
    I, IA = schema.Indicator, schema.IndicatorAlias
    return build_index(
        territories=session.execute(select(T.id, T.kato, T.kind, T.parent_id)).all(),
        territory_aliases=session.execute(select(TA.alias, TA.territory_id, TA.valid_from, TA.valid_to)).all(),
        indicators=session.execute(select(I.id, I.code, I.unit_family, I.parent_id)).all(),
        indicator_aliases=session.execute(select(IA.alias, IA.indicator_id).order_by(IA.id)).all())


def build_index(*, territories, territory_aliases, indicators, indicator_aliases,
                normalized: bool = True) -> AliasIndex:
    """An index over rows: territories (id, kato, kind, parent id), their aliases (form, territory id,
    valid from, valid to), indicators (id, code, unit family, parent id) and their aliases (form,
    indicator id). ``normalized=False``: the forms are as written and are normalized here."""
    index = AliasIndex()
    kinds: dict[int, tuple[str, int]] = {}
    for tid, kato, kind, parent in territories:
        index.territory_katos[kato] = tid
        index.territory_parents[tid] = parent
        kinds[tid] = (kind, kato_rank(kato))
        index.territory_ranks[tid] = kato_rank(kato)
        index.kato_of[tid] = kato
    seen: set[tuple[str, int]] = set()
    for alias, tid, vfrom, vto in territory_aliases:
        alias = alias if normalized else normalize_territory(alias)
        if not alias or (alias, tid) in seen:
            continue
        seen.add((alias, tid))
        kind, rank = kinds[tid]
        entry = TerritoryAlias(tid, kind, vfrom, vto, rank)
        index.territories.setdefault(alias, []).append(entry)
        if rank <= 3:  # villages keep their exact names: a loose key would catch too much
            stems = index.territory_stems.setdefault(stem_key(alias), [])
            if all(e.territory_id != tid for e in stems):
                stems.append(entry)
    parents: dict[int, int | None] = {}
    families: dict[int, str | None] = {}
    for iid, code, family, parent in indicators:
        parents[iid], families[iid] = parent, family
        index.indicator_codes[code] = iid

    def ancestors(iid: int) -> frozenset[int]:
        found: set[int] = set()
        while (iid := parents.get(iid)) is not None and iid not in found:
            found.add(iid)
        return frozenset(found)

    for alias, iid in indicator_aliases:
        alias = alias if normalized else normalize_indicator(alias)
        if not alias:
            continue
        entry = IndicatorAlias(iid, frozenset(alias.split()), families.get(iid), ancestors(iid))
        index.indicators.setdefault(alias, []).append(entry)
        for word in entry.lemmas:
            index.by_lemma.setdefault(word, []).append(entry)
    return index


_INDEXES: dict[str, AliasIndex] = {}
_LOCK = threading.Lock()


def aliases(engine: Engine) -> AliasIndex:
    """The alias index of one store, read once and kept (``clear_cache()`` to re-read)."""
    key = engine.url.render_as_string(hide_password=False)
    with _LOCK:
        if key not in _INDEXES:
            with Session(engine) as session:
                _INDEXES[key] = load_index(session)
        return _INDEXES[key]


def clear_cache(engine: Engine | None = None) -> None:
    with _LOCK:
        if engine is None:
            _INDEXES.clear()
        else:
            _INDEXES.pop(engine.url.render_as_string(hide_password=False), None)
    _indicator_cached.cache_clear()
    _similar_cached.cache_clear()


def resolve_territory(engine: Engine, text: str | None, year: int | None = None,
                      within: int | None = None) -> int | None:
    """Territory id for a place name as written ("г. Алматы", "Нур-Султане"), or None."""
    return aliases(engine).territory(text, year, within)


def resolve_indicator(engine: Engine, phrase: str | None, *, object: str | None = None,
                      unit: str | None = None) -> int | None:
    """Indicator id for a measure phrase ("объемы промышленного производства"), or None."""
    return aliases(engine).indicator(phrase, object=object, unit=unit)


# ================================================================ persons

PATRONYMIC = re.compile(r"(вич|вна|ична|улы|уулу|кызы|оглы)$", re.IGNORECASE)
NAME_TOKEN = re.compile(r"[A-ZА-ЯЁӘІҢҒҮҰҚӨҺ]\.|[^\s.]+")


@dataclass(frozen=True)
class NameParts:
    given: str | None  # a full first name, when the form has one
    initial: str | None  # first letter of the first name
    surname: str  # lower case, ё→е


def name_parts(name: str) -> NameParts:
    """Split a name as officials are written: "Аскар Мамин", "А. Мамин", "Мамин А.У.", "Мамин Аскар Узакпаевич".

    >>> name_parts("А.У. Мамин")
    NameParts(given=None, initial='а', surname='мамин')
    >>> name_parts("Мамин Аскар Узакпаевич").given
    'аскар'
    """
    tokens = NAME_TOKEN.findall(name.replace("ё", "е").replace("Ё", "Е"))
    initials = [t[0].lower() for t in tokens if t.endswith(".") or (len(t) == 1 and t.isupper())]
    full = [t.lower() for t in tokens if not (t.endswith(".") or len(t) == 1)]
    if not full:
        return NameParts(None, initials[0] if initials else None, name.strip().lower())
    if len(full) == 1:
        return NameParts(None, initials[0] if initials else None, full[0])
    if len(full) >= 3 and PATRONYMIC.search(full[-1]):
        given, surname = full[1], full[0]  # "Мамин Аскар Узакпаевич"
    else:
        given, surname = full[0], full[-1]
    return NameParts(given, given[0], surname)


def _same_person(a: NameParts, b: NameParts) -> bool:
    if a.surname != b.surname:
        return False
    if a.given and b.given:
        return a.given == b.given
    if a.initial and b.initial:
        return a.initial == b.initial
    return True


def resolve_person(session: Session, name: str, forms: tuple[str, ...] | list[str] = ()) -> schema.Person:
    """The person a name refers to: merged by full name; "А. Мамин" joins the one Аскар Мамин known.

    A full name arriving after its initials form upgrades the earlier record. Every form seen is
    kept in person_names.
    """
    name = " ".join(name.split())
    P = schema.Person
    person = session.scalar(select(P).where(P.full_name == name))
    if person is None:
        parts = name_parts(name)
        same = [p for p in session.scalars(select(P).where(P.surname == parts.surname))
                if _same_person(parts, name_parts(p.full_name))]
        if parts.given:
            full = [p for p in same if name_parts(p.full_name).given]
            partial = [p for p in same if not name_parts(p.full_name).given]
            if len(full) == 1:
                person = full[0]
            elif not full and len(partial) == 1:
                person = partial[0]
                person.full_name = name  # the initials form stays in person_names
        elif len(same) == 1:
            person = same[0]
        if person is None:
            person = P(full_name=name, surname=parts.surname)
            session.add(person)
            session.flush()
    known = set(session.scalars(select(schema.PersonName.form)
                                .where(schema.PersonName.person_id == person.id)))
    for form in dict.fromkeys([name, *forms]):
        form = " ".join(form.split())[:300]
        if form and form not in known:
            session.add(schema.PersonName(person_id=person.id, form=form))
            known.add(form)
    return person

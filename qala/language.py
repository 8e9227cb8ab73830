"""The language layer: the one border with natasha, razdel, pymorphy and navec, below both the
extractor and the store. Their objects become our small records here.

``pipeline()`` segments and tags texts (natasha's segmenter and news NER) and reads words (pymorphy);
``morph_vocab()`` is pymorphy alone, for code that only needs lemmas (the store's resolution);
``embedding()`` is navec's news embedding shipped inside natasha (the NER tagger's own vectors), and
``phrase_vector()`` the mean of its word vectors, for similarity between phrases no rule has seen.
Models load once per process, on first use, never at import time, and offline.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

# Long texts are tagged in pieces of whole sentences so memory stays flat and time linear.
NER_CHUNK_CHARS = 20_000


@dataclass(frozen=True)
class Token:
    start: int
    stop: int
    text: str


@dataclass(frozen=True)
class Sentence:
    start: int
    stop: int
    text: str
    tokens: tuple[Token, ...]


@dataclass(frozen=True)
class Entity:
    """A named entity found by natasha's NER: type is PER, LOC or ORG."""

    start: int
    stop: int
    type: str
    text: str


@dataclass(frozen=True)
class Parsed:
    text: str
    sentences: tuple[Sentence, ...]
    entities: tuple[Entity, ...]

    def sentence_at(self, offset: int) -> Sentence | None:
        for sent in self.sentences:
            if sent.start <= offset < sent.stop:
                return sent
        return None


@lru_cache(maxsize=1)
def morph_vocab():
    """natasha's MorphVocab (pymorphy) that also reads words holding letters Unicode gives no name.

    pymorphy asks ``unicodedata.name`` whether a letter is Latin, which raises for the thousands of
    letters without a name (U+17000...): one such word in a release, a plan's clause or a web form
    would stop a whole ingest or rebuild. Such a word is read as an unknown word, as itself.

    >>> morph_vocab().parse("ab" + chr(0x17000))[0].normal == "ab" + chr(0x17000)
    True
    """
    import unicodedata

    from natasha import MorphVocab
    from natasha.morph.vocab import MorphForm

    class Vocab(MorphVocab):
        def parse(self, word: str) -> list:
            try:
                return super().parse(word)
            except ValueError:
                named = "".join(ch if unicodedata.name(ch, None) else "\u25a1" for ch in word)
                p = super().parse(named)[0]
                return [MorphForm(word, p.tag, word.lower(), p.score, p.methods_stack)]

        __call__ = parse

    return Vocab()


class Pipeline:
    """natasha's segmenter and news NER tagger, plus pymorphy for lemmas and inflection."""

    def __init__(self) -> None:
        from natasha import NewsNERTagger, Segmenter

        self.segmenter = Segmenter()
        self.ner = NewsNERTagger(embedding())
        self.morph_vocab = morph_vocab()
        self.morph = self.morph_vocab  # a pymorphy MorphAnalyzer

    def parse(self, text: str) -> Parsed:
        """Segment and tag the text with natasha, in pieces so memory stays flat on huge texts."""
        from natasha import Doc

        sentences: list[Sentence] = []
        entities: list[Entity] = []
        for offset, stop in chunk_bounds(text, NER_CHUNK_CHARS):
            doc = Doc(text[offset:stop])
            doc.segment(self.segmenter)
            doc.tag_ner(self.ner)
            for sent in doc.sents:
                tokens = tuple(Token(offset + t.start, offset + t.stop, t.text) for t in sent.tokens)
                sentences.append(Sentence(offset + sent.start, offset + sent.stop, sent.text, tokens))
            entities.extend(Entity(offset + s.start, offset + s.stop, s.type, s.text) for s in doc.spans)
        return Parsed(text, tuple(sentences), tuple(entities))

    @lru_cache(maxsize=200_000)  # noqa: B019 - one pipeline per process, kept for its life
    def lemma(self, word: str) -> str:
        """Normal form of one word (lower case).

        >>> pipeline().lemma("проектов")
        'проект'
        """
        parses = self.parse_word(word)
        return parses[0].normal_form if parses else word.lower()

    @lru_cache(maxsize=200_000)  # noqa: B019 - one pipeline per process, kept for its life
    def parse_word(self, word: str):
        return self.morph.parse(word)  # morph_vocab reads words pymorphy alone would raise on


def chunk_bounds(text: str, size: int) -> list[tuple[int, int]]:
    r"""Cut text into pieces of about `size` characters at line breaks (else after a full stop or space).

    >>> chunk_bounds("ab\ncd\nef", 4)
    [(0, 3), (3, 6), (6, 8)]
    """
    bounds: list[tuple[int, int]] = []
    start, n = 0, len(text)
    while start < n:
        if n - start <= size:
            bounds.append((start, n))
            break
        limit = start + size
        cut = text.rfind("\n", start + 1, limit)
        if cut < 0:
            cut = text.rfind(". ", start + 1, limit)
            cut = cut + 1 if cut >= 0 else text.rfind(" ", start + 1, limit)
        cut = cut + 1 if cut >= 0 else limit
        bounds.append((start, cut))
        start = cut
    return bounds


@lru_cache(maxsize=1)
def pipeline() -> Pipeline:
    return Pipeline()


@lru_cache(maxsize=1)
def embedding():
    """navec's news embedding (250 000 words, 300 dimensions) as natasha ships it: one copy per process."""
    from natasha import NewsEmbedding

    return NewsEmbedding()


@lru_cache(maxsize=50_000)
def word_vector(word: str):
    """The unit-length navec vector of one lower-case word, or None for a word navec does not know.

    >>> round(float(word_vector("инвестиция") @ word_vector("инвестиция")), 3)
    1.0
    """
    import numpy as np

    emb = embedding()
    word = word.lower()
    if word not in emb:
        word = word.replace("ё", "е")
        if word not in emb:
            return None
    vector = np.asarray(emb[word], dtype=np.float32)
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else None


def phrase_vector(words, weights=None):
    """The unit-length weighted mean of the known words' vectors, or None when navec knows none of them.

    >>> v = phrase_vector(["жилищный", "строительство"])
    >>> round(float(v @ v), 3)
    1.0
    >>> phrase_vector(["зщшгне"]) is None
    True
    """
    import numpy as np

    total, known = None, False
    for i, word in enumerate(words):
        vector = word_vector(word)
        if vector is None:
            continue
        weight = weights[i] if weights is not None else 1.0
        total = vector * weight if total is None else total + vector * weight
        known = True
    if not known:
        return None
    norm = float(np.linalg.norm(total))
    return total / norm if norm else None

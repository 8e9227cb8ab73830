"""The border with natasha/razdel/pymorphy: their objects become our small records here.

Models load once per process, on first use (``pipeline()``), never at import time.
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


class Pipeline:
    """natasha's segmenter and news NER tagger, plus pymorphy for lemmas and inflection."""

    def __init__(self) -> None:
        from natasha import MorphVocab, NewsEmbedding, NewsNERTagger, Segmenter

        self.segmenter = Segmenter()
        self.ner = NewsNERTagger(NewsEmbedding())
        self.morph_vocab = MorphVocab()
        self.morph = self.morph_vocab  # a pymorphy MorphAnalyzer

    def sentences(self, text: str) -> list[Sentence]:
        from razdel import sentenize, tokenize

        out = []
        for sent in sentenize(text):
            tokens = tuple(Token(sent.start + t.start, sent.start + t.stop, t.text)
                           for t in tokenize(sent.text))
            out.append(Sentence(sent.start, sent.stop, sent.text, tokens))
        return out

    def entities(self, text: str, sentences: list[Sentence]) -> list[Entity]:
        from natasha import Doc

        out: list[Entity] = []
        for chunk_start, chunk_stop in _chunks(sentences, NER_CHUNK_CHARS):
            doc = Doc(text[chunk_start:chunk_stop])
            doc.segment(self.segmenter)
            doc.tag_ner(self.ner)
            out.extend(Entity(chunk_start + s.start, chunk_start + s.stop, s.type, s.text) for s in doc.spans)
        return out

    def parse(self, text: str) -> Parsed:
        sentences = self.sentences(text)
        return Parsed(text, tuple(sentences), tuple(self.entities(text, sentences)))

    @lru_cache(maxsize=200_000)
    def lemma(self, word: str) -> str:
        """Normal form of one word (lower case).

        >>> pipeline().lemma("проектов")
        'проект'
        """
        parses = self.morph.parse(word)
        return parses[0].normal_form if parses else word.lower()

    @lru_cache(maxsize=200_000)
    def parse_word(self, word: str):  # noqa: ANN201 - pymorphy Parse list, used inside extract/ only
        return self.morph.parse(word)


def _chunks(sentences: list[Sentence], size: int) -> list[tuple[int, int]]:
    chunks: list[tuple[int, int]] = []
    start = stop = None
    for sent in sentences:
        if start is None:
            start, stop = sent.start, sent.stop
        elif sent.stop - start > size:
            chunks.append((start, stop))
            start, stop = sent.start, sent.stop
        else:
            stop = sent.stop
    if start is not None:
        chunks.append((start, stop))
    return chunks


@lru_cache(maxsize=1)
def pipeline() -> Pipeline:
    return Pipeline()

"""A flat, bisectable view of a document's tokens, built once per parsed text."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from qala.extractor.nlp import Parsed, Token


@dataclass(frozen=True)
class TokenIndex:
    tokens: tuple[Token, ...]
    starts: tuple[int, ...]
    sentence: tuple[int, ...]             # sentence number of each token
    bounds: tuple[tuple[int, int], ...]   # first and past-last token of each sentence
    # Sentences are natasha's, also cut at line breaks before a word that opens a new line.

    def first_at(self, offset: int) -> int:
        """Number of the first token starting at or after ``offset``."""
        return bisect_left(self.starts, offset)

    def last_before(self, offset: int) -> int:
        """Number of the last token starting before ``offset`` (-1 if none)."""
        return bisect_left(self.starts, offset) - 1

    def covering(self, start: int, stop: int) -> tuple[int, int]:
        """Token numbers [a, b) of the tokens starting inside [start, stop)."""
        return bisect_left(self.starts, start), bisect_right(self.starts, stop - 1)

    def sentence_bounds(self, token: int) -> tuple[int, int]:
        return self.bounds[self.sentence[token]]


def _starts_line(text: str, gap_start: int, tok: Token) -> bool:
    """A token opening a new line that cannot continue the line before (a capital, digit, dash, quote).

    A line break before a lower-case word is a hard wrap inside a sentence.
    """
    if "\n" not in text[gap_start:tok.start]:
        return False
    first = tok.text[:1]
    return not first.islower()


_CACHE: list[tuple[Parsed, TokenIndex]] = []


def token_index(parsed: Parsed) -> TokenIndex:
    """The index of ``parsed``; the last one built is kept, as several rule modules ask for it."""
    if _CACHE and _CACHE[0][0] is parsed:
        return _CACHE[0][1]
    tokens: list[Token] = []
    sentence: list[int] = []
    bounds: list[tuple[int, int]] = []
    text = parsed.text
    for sent in parsed.sentences:
        first = len(tokens)
        for k, tok in enumerate(sent.tokens):
            if k and _starts_line(text, sent.tokens[k - 1].stop, tok):
                bounds.append((first, len(tokens)))  # a headline or a paragraph without a full stop
                first = len(tokens)
            tokens.append(tok)
            sentence.append(len(bounds))
        if len(tokens) > first:  # razdel gives whitespace-only text one empty sentence
            bounds.append((first, len(tokens)))
    index = TokenIndex(tuple(tokens), tuple(t.start for t in tokens), tuple(sentence), tuple(bounds))
    _CACHE[:] = [(parsed, index)]
    return index

"""Word forms for the faces (pages, CLI, briefings): pymorphy through natasha's vocabulary, loaded
once, so formatting needs no NLP pipeline (no NER model)."""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any


@cache
def _vocab() -> Any:
    from qala.language import morph_vocab

    return morph_vocab()


@lru_cache(maxsize=20_000)
def parse_word(word: str) -> Any | None:
    """The likeliest reading of a word (natasha's MorphForm: .tag, .inflect(UD grammemes))."""
    parses = _vocab().parse(word.lower())
    return parses[0] if parses else None


@lru_cache(maxsize=5_000)
def word_forms(word: str, limit: int = 40) -> tuple[str, ...]:
    """Every form of the word's likeliest lexemes (noun, adjective or verb), the word itself first:
    a search for "школы" finds "школ", "школам", "школа".

    >>> forms = word_forms("школы")
    >>> forms[0], {"школ", "школам", "школа"} <= set(forms)
    ('школы', True)
    >>> word_forms("2024")
    ('2024',)
    """
    low = word.lower()
    if not low.isalpha():
        return (low,)
    vocab = _vocab()
    analyzer = next(c for c in type(vocab).__mro__ if c.__name__ == "MorphAnalyzer")
    out = [low]
    try:
        parses = analyzer.parse(vocab, low)[:2]  # pymorphy's own Parse: it knows the lexeme
    except (KeyError, ValueError):  # a letter unicodedata cannot name (pymorphy's shapes ask for it)
        return (low,)
    for parse in parses:
        if not parse.is_known:
            continue
        for form in parse.lexeme:
            if form.word not in out and "-" not in form.word:
                out.append(form.word)
    return tuple(out[:limit])

"""Word forms for the faces (pages, CLI, briefings): pymorphy through natasha's vocabulary, loaded
once, so formatting needs no NLP pipeline (no NER model)."""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any


@cache
def _vocab() -> Any:
    from qala.extractor.nlp import morph_vocab

    return morph_vocab()


@lru_cache(maxsize=20_000)
def parse_word(word: str) -> Any | None:
    """The likeliest reading of a word (natasha's MorphForm: .tag, .inflect(UD grammemes))."""
    parses = _vocab().parse(word.lower())
    return parses[0] if parses else None

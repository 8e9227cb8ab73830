"""The extractor's name for the language layer, which lives in ``qala.language`` (below the extractor
and the store alike). Every public name stays importable from here."""

from qala.language import (  # noqa: F401 - re-exported
    NER_CHUNK_CHARS,
    Entity,
    Parsed,
    Pipeline,
    Sentence,
    Token,
    chunk_bounds,
    embedding,
    morph_vocab,
    phrase_vector,
    pipeline,
    word_vector,
)

"""extract(text, published=None) -> Extraction: the pipeline, and only the pipeline.

Pure and deterministic: the same text and date give the same result; no I/O beyond the
models and word lists that ship with the packages.
"""

from __future__ import annotations

from qala.errors import InvalidInput
from qala.extractor import events, facts, instructions, persons, programs
from qala.extractor.context import Context
from qala.extractor.nlp import pipeline
from qala.model import DocumentInfo, Extraction
from qala.text import date_in_path, find_published, find_source, find_title


def extract(text: str, published: str | None = None, *, source: str | None = None,
            title: str | None = None, path: str | None = None, language: str = "ru") -> Extraction:
    """Read one document's text and return what it says, with character spans."""
    if not isinstance(text, str):
        raise InvalidInput(f"expected text as str, got {type(text).__name__}")
    nlp = pipeline()
    published = published or find_published(text) or date_in_path(path)
    ctx = Context(text=text, parsed=nlp.parse(text), nlp=nlp, published=published)
    found_persons = persons.extract_persons(ctx)
    return Extraction(
        document=DocumentInfo(source=source or find_source(text), published=published,
                              language=language, title=title or find_title(text), path=path),
        persons=tuple(found_persons),
        facts=tuple(facts.extract_facts(ctx)),
        instructions=tuple(instructions.extract_instructions(ctx, found_persons)),
        programs=tuple(programs.extract_programs(ctx)),
        events=tuple(events.extract_events(ctx, found_persons)),
    )


__all__ = ["extract"]

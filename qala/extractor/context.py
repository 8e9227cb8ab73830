"""What every rule module receives: the text, its sentences and entities, and the publication date."""

from __future__ import annotations

from dataclasses import dataclass

from qala.extractor.nlp import Parsed, Pipeline


@dataclass(frozen=True)
class Context:
    text: str
    parsed: Parsed
    nlp: Pipeline
    published: str | None = None  # ISO date "2021-02-04" or month "2021-01", when known

    @property
    def published_year(self) -> int | None:
        if self.published and self.published[:4].isdigit():
            return int(self.published[:4])
        return None

"""Presentation helpers: Russian number formatting and a document's text cut into marked pieces.

The document page shows every extracted item in place. Items may overlap (a person inside an
instruction), so the text is cut at every item and sentence boundary; each piece knows the items
covering it, and each sentence knows its items, so a click on an item can highlight its sentence.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from razdel import sentenize

from qala.format import agreed, change, number, value, value_range  # noqa: F401 - the pages' filters
from qala.web.strings import SCALES


@dataclass
class Piece:
    text: str
    items: list[str] = field(default_factory=list)  # keys like "fact-3"
    kinds: list[str] = field(default_factory=list)
    anchors: list[str] = field(default_factory=list)  # items starting here (each gets an element id)


@dataclass
class Sentence:
    id: str
    pieces: list[Piece]
    items: list[str]
    tail: str  # whitespace after the sentence


def item_spans(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Every item of a document_detail() as {key, kind, start, stop}, in text order."""
    spans = []
    for kind, rows in (("fact", doc["facts"]), ("person", doc["persons"]),
                       ("instruction", doc["instructions"]), ("program", doc["programs"]),
                       ("meeting", doc["meetings"])):
        for row in rows:
            if 0 <= row["span_start"] < row["span_stop"] <= len(doc["text"]):
                spans.append({"key": f"{kind}-{row['id']}", "kind": kind,
                              "start": row["span_start"], "stop": row["span_stop"]})
    return sorted(spans, key=lambda s: (s["start"], -s["stop"]))


def sentences(text: str, spans: list[dict[str, Any]]) -> list[Sentence]:
    """Cut the text into sentences and pieces; an item belongs to the sentence where it starts."""
    bounds = [(s.start, s.stop) for s in sentenize(text)] or [(0, len(text))]
    result: list[Sentence] = []
    anchored: set[str] = set()
    lead = text[: bounds[0][0]]
    for n, (start, stop) in enumerate(bounds):
        end = bounds[n + 1][0] if n + 1 < len(bounds) else len(text)
        if n == 0:
            start = 0
        cuts = {start, stop}
        inside = [s for s in spans if s["start"] < stop and s["stop"] > start]
        for s in inside:
            cuts.update(c for c in (s["start"], s["stop"]) if start < c < stop)
        edges = sorted(cuts)
        pieces = []
        for a, b in itertools.pairwise(edges):
            cover = [s for s in inside if s["start"] <= a and s["stop"] >= b]
            piece = Piece(text[a:b], [s["key"] for s in cover], sorted({s["kind"] for s in cover}))
            piece.anchors = [s["key"] for s in cover if s["key"] not in anchored]
            anchored.update(piece.anchors)
            pieces.append(piece)
        if n == 0 and lead and not pieces:
            pieces.append(Piece(lead))
        own = [s["key"] for s in spans if start <= s["start"] < stop]
        result.append(Sentence(f"s-{n}", pieces, own, text[stop:end]))
    return result


def sentence_of(sents: list[Sentence]) -> dict[str, str]:
    """Item key -> the id of the sentence holding it."""
    return {key: s.id for s in sents for key in s.items}


SCALE_WORDS = {word.rstrip("."): factor for factor, word in SCALES}


def parse_number(text: str) -> float:
    """A corrected figure as an analyst types it: spaces, a decimal comma, a scale word.

    >>> parse_number("1,052 трлн")
    1052000000000.0
    >>> parse_number("5 200,5")
    5200.5
    """
    import math
    import re

    from qala.errors import InvalidInput

    match = re.fullmatch(r"\s*(-?[\d\s\u00a0\u202f]*[\d](?:[.,]\d+)?)\s*([а-яё]+\.?)?\s*", text or "")
    scale = SCALE_WORDS.get((match.group(2) or "").rstrip(".")) if match else None
    if not match or (match.group(2) and scale is None):
        raise InvalidInput(f"expected a number such as 1052 or 1,052 трлн, got {text!r}")
    digits = re.sub(r"[\s\u00a0\u202f]", "", match.group(1)).replace(",", ".")
    parsed = float(digits) * (scale or 1)
    if not math.isfinite(parsed) or abs(parsed) > 1e18:
        raise InvalidInput(f"expected a number below 10^18, got {text!r}")
    return parsed

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

from qala.format import agree
from qala.web.strings import APPROX, SCALES, UNITS


def number(value: float, digits: int = 2) -> str:
    """A number the Russian way: decimal comma, thin-space thousands.

    >>> number(1052.0)
    '1 052'
    >>> number(4.6)
    '4,6'
    """
    text = f"{value:,.{digits}f}".rstrip("0").rstrip(".") if not float(value).is_integer() else f"{value:,.0f}"
    return text.replace(",", " ").replace(".", ",")


def value(v: float | None, unit: str | None, approx: str | None = None) -> str:
    """A figure with its unit and scale.

    >>> value(1.052e12, "KZT")
    '1,05 трлн тенге'
    >>> value(2.4e6, "m2", "over")
    'более 2,4 млн м²'
    >>> value(5.2, "%")
    '5,2%'
    """
    if v is None:
        return "—"
    word = UNITS.get(unit or "", unit or "")
    prefix = APPROX.get(approx or "", "")
    prefix = prefix + " " if prefix else ""
    if word == "%":
        return f"{prefix}{number(v)}%"
    scale = next(((f, s) for f, s in SCALES if abs(v) >= f and (unit != "count" or abs(v) >= 1e6)), None)
    body = f"{number(v / scale[0])} {scale[1]}" if scale else number(v)
    return f"{prefix}{body} {word}".strip()


def agreed(obj: str | None, v: float | None) -> str:
    """A counted object in the form its figure needs, as the figure is printed (a scale word such as
    "млн" takes the genitive plural).

    >>> agreed("проект", 34), agreed("рабочее место", 2.4e6), agreed(None, 3)
    ('проекта', 'рабочих мест', '')
    """
    if not obj:
        return ""
    if v is None:
        return obj
    return agree(5 if abs(v) >= 1e6 else v, obj)


def value_range(low: float, high: float, unit: str | None) -> str:
    """Two reports of one figure as a range, both in the scale of the larger one. When the scale's
    two decimals would print them alike, more digits are shown (they do differ).

    >>> value_range(4.8e12, 5.6e12, "KZT")
    '4,8–5,6 трлн тенге'
    >>> value_range(2.396e6, 2.4e6, "m2")
    '2,396–2,4 млн м²'
    >>> value_range(5.1, 5.3, "%")
    '5,1–5,3%'
    """
    word = UNITS.get(unit or "", unit or "")
    top = max(abs(low), abs(high))
    scale = (None if word == "%" else
             next(((f, s) for f, s in SCALES if top >= f and (unit != "count" or top >= 1e6)), None))
    factor = scale[0] if scale else 1.0
    for digits in range(2, 7):
        a, b = number(low / factor, digits), number(high / factor, digits)
        if a != b:
            break
    if word == "%":
        return f"{a}–{b}%"
    return " ".join(part for part in (f"{a}–{b}", scale[1] if scale else "", word) if part)


def change(kind: str | None, amount: float | None, direction: str | None) -> str:
    """A reported change.

    >>> change("percent", 4.6, "up")
    '+4,6%'
    >>> change("index", 117.2, "up")
    'индекс 117,2'
    >>> change("times", 1.7, "up")
    'в 1,7 раза больше'
    """
    if kind is None or amount is None:
        return ""
    if kind == "percent":
        return f"{'−' if direction == 'down' else '+'}{number(amount)}%"
    if kind == "index":
        return f"индекс {number(amount)}"
    if kind == "times":
        return f"в {number(amount)} раза {'меньше' if direction == 'down' else 'больше'}"
    return f"{'−' if direction == 'down' else '+'}{number(amount)}"


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
    value = float(digits) * (scale or 1)
    if not math.isfinite(value) or abs(value) > 1e18:
        raise InvalidInput(f"expected a number below 10^18, got {text!r}")
    return value

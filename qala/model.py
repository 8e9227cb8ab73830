"""Frozen records for the ``qala.extraction/1`` contract (see shared/spec/extraction.md).

Every record converts to plain JSON-ready dicts with ``to_json()`` and back with ``from_json()``.
Spans are ``(start, stop)`` Python string offsets into the document text as read.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any

SCHEMA = "qala.extraction/1"

Span = tuple[int, int]


def _span(value: Any) -> Span:
    start, stop = value
    return (int(start), int(stop))


@dataclass(frozen=True)
class DocumentInfo:
    source: str | None = None
    published: str | None = None
    language: str = "ru"
    title: str | None = None
    path: str | None = None


@dataclass(frozen=True)
class Person:
    name: str
    positions: tuple[str, ...] = ()
    mentions: tuple[Span, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "positions": list(self.positions),
                "mentions": [list(m) for m in self.mentions]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Person:
        return cls(name=data["name"], positions=tuple(data.get("positions") or ()),
                   mentions=tuple(_span(m) for m in data.get("mentions") or ()))


@dataclass(frozen=True)
class Change:
    kind: str  # percent | times | absolute | index
    value: float
    direction: str | None = None  # up | down
    base_period: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Change | None:
        if not data:
            return None
        return cls(kind=data["kind"], value=float(data["value"]), direction=data.get("direction"),
                   base_period=data.get("base_period"))


@dataclass(frozen=True)
class Fact:
    indicator: str | None
    value: float | None
    unit: str | None
    territory: str | None = None
    period: str | None = None
    object: str | None = None
    approx: str | None = None  # over | about | under
    change: Change | None = None
    span: Span = (0, 0)

    def to_json(self) -> dict[str, Any]:
        value = self.value
        if isinstance(value, float) and value.is_integer() and abs(value) < 1e18:
            value = int(value)
        return {
            "indicator": self.indicator, "territory": self.territory, "period": self.period,
            "value": value, "unit": self.unit, "object": self.object, "approx": self.approx,
            "change": self.change.to_json() if self.change else None, "span": list(self.span),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Fact:
        value = data.get("value")
        return cls(indicator=data.get("indicator"), territory=data.get("territory"),
                   period=data.get("period"), value=None if value is None else float(value),
                   unit=data.get("unit"), object=data.get("object"), approx=data.get("approx"),
                   change=Change.from_json(data.get("change")),
                   span=_span(data.get("span") or (0, 0)))


@dataclass(frozen=True)
class Instruction:
    text: str
    issuer: str | None = None
    addressee: str | None = None
    deadline: str | None = None
    span: Span = (0, 0)

    def to_json(self) -> dict[str, Any]:
        return {"issuer": self.issuer, "text": self.text, "addressee": self.addressee,
                "deadline": self.deadline, "span": list(self.span)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Instruction:
        return cls(text=data["text"], issuer=data.get("issuer"), addressee=data.get("addressee"),
                   deadline=data.get("deadline"), span=_span(data.get("span") or (0, 0)))


@dataclass(frozen=True)
class Program:
    name: str
    kind: str | None = None
    period: str | None = None
    span: Span = (0, 0)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "period": self.period, "span": list(self.span)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Program:
        return cls(name=data["name"], kind=data.get("kind"), period=data.get("period"),
                   span=_span(data.get("span") or (0, 0)))


@dataclass(frozen=True)
class Event:
    kind: str
    title: str | None = None
    date: str | None = None
    place: str | None = None
    chair: str | None = None
    speakers: tuple[str, ...] = ()
    participants: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    span: Span = (0, 0)

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "title": self.title, "date": self.date, "place": self.place,
                "chair": self.chair, "speakers": list(self.speakers),
                "participants": list(self.participants), "topics": list(self.topics),
                "span": list(self.span)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Event:
        return cls(kind=data["kind"], title=data.get("title"), date=data.get("date"),
                   place=data.get("place"), chair=data.get("chair"),
                   speakers=tuple(data.get("speakers") or ()),
                   participants=tuple(data.get("participants") or ()),
                   topics=tuple(data.get("topics") or ()), span=_span(data.get("span") or (0, 0)))


@dataclass(frozen=True)
class Extraction:
    document: DocumentInfo = field(default_factory=DocumentInfo)
    persons: tuple[Person, ...] = ()
    facts: tuple[Fact, ...] = ()
    instructions: tuple[Instruction, ...] = ()
    programs: tuple[Program, ...] = ()
    events: tuple[Event, ...] = ()

    def to_json(self) -> dict[str, Any]:
        doc = {f.name: getattr(self.document, f.name) for f in fields(DocumentInfo)}
        return {
            "schema": SCHEMA,
            "document": doc,
            "persons": [p.to_json() for p in self.persons],
            "facts": [f.to_json() for f in self.facts],
            "instructions": [i.to_json() for i in self.instructions],
            "programs": [p.to_json() for p in self.programs],
            "events": [e.to_json() for e in self.events],
        }

    def dumps(self, indent: int | None = None) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Extraction:
        if data.get("schema") != SCHEMA:
            from qala.errors import InvalidInput

            raise InvalidInput(f"expected schema {SCHEMA!r}, got {data.get('schema')!r}")
        doc = data.get("document") or {}
        return cls(
            document=DocumentInfo(**{f.name: doc.get(f.name, f.default) for f in fields(DocumentInfo)}),
            persons=tuple(Person.from_json(p) for p in data.get("persons") or ()),
            facts=tuple(Fact.from_json(f) for f in data.get("facts") or ()),
            instructions=tuple(Instruction.from_json(i) for i in data.get("instructions") or ()),
            programs=tuple(Program.from_json(p) for p in data.get("programs") or ()),
            events=tuple(Event.from_json(e) for e in data.get("events") or ()),
        )

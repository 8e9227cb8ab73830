"""Response and request models: *Public for what the API returns, lists as {data, count}.

Monitoring's models (checks, commitments, instruction control, reviews) are in monitor_schemas.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from qala.api.schemas_base import Derived, Paged


class ErrorPublic(BaseModel):
    ok: Literal[False] = False
    error: str
    status: int


class TerritoryPublic(BaseModel):
    id: int
    kato: str
    name: str
    kind: str
    facts: int | None = None


class TerritoriesPublic(BaseModel):
    data: list[TerritoryPublic]
    count: int


class FactPublic(BaseModel):
    id: int
    document_id: int
    ordinal: int
    indicator: str | None = Field(description="canonical indicator code")
    indicator_name: str | None = None
    indicator_text: str | None = Field(description="the phrase as the document wrote it")
    territory_kato: str | None
    territory: str | None = Field(description="territory name")
    territory_text: str | None
    period: str | None
    period_start: dt.date | None
    period_end: dt.date | None
    granularity: str | None
    value: float | None
    unit: str | None
    object: str | None
    approx: str | None
    change_kind: str | None
    change_value: float | None
    change_direction: str | None
    change_base_period: str | None
    span_start: int
    span_stop: int
    published: dt.date | None
    url: str | None = None
    source: str | None = None
    review_status: str = Field("unverified", description="unverified | verified | corrected | rejected")


class FactsPublic(Paged):
    data: list[FactPublic]
    count: int


class IndicatorRef(BaseModel):
    code: str
    name: str
    unit_family: str | None


class SeriesSourcePublic(BaseModel):
    fact_id: int
    document_id: int
    value: float | None
    published: dt.date | None
    span: list[int]


class OfficialVintagePublic(BaseModel):
    vintage: dt.date
    value: float


class OfficialPointPublic(BaseModel):
    id: int
    source: str
    reference: str | None
    vintage: dt.date
    period_kind: Literal["year", "quarter", "ytd", "date"]
    history: list[OfficialVintagePublic]


class SeriesPointPublic(BaseModel):
    period: str | None
    period_start: dt.date | None
    period_end: dt.date | None
    granularity: str | None
    period_kind: str | None = Field(
        default=None, description="year, half, quarter, month, ytd (a sum since January), date (a stock on a "
                                  "day) or range: a series holds one kind")
    unit: str | None
    value: float | None
    value_min: float | None
    value_max: float | None
    kind: Literal["reported", "implied", "official"] = Field(
        description="reported: figures merged by period; implied: a base computed from a reported change; "
                    "official: the value of an official statistics table (latest vintage)")
    source_kind: Literal["reported", "official"] = Field(
        default="reported", description="reported: from press releases (reported and implied points); "
                                        "official: from official statistics")
    official: OfficialPointPublic | None = Field(
        default=None, description="official points: the source, its table, the vintage and earlier vintages")
    n_documents: int
    fact_id: int | None = Field(description="a reporting fact; for implied points, the change's fact")
    document_id: int | None = Field(default=None, description="implied points: the change's document")
    yoy_percent: float | None
    sources: list[SeriesSourcePublic] = Field(description="the reports of the figure (near-duplicates once), "
                                                          "the earliest first: at most `sources` of them")
    n_sources: int | None = Field(default=None, description="how many reports there are in all")


class SeriesPublic(Derived):
    territory: TerritoryPublic
    indicator: IndicatorRef
    granularity: str | None
    period_kind: str | None = Field(default=None, description="the kind of period every point of the series has")
    unit: str | None
    computed: bool = Field(description="true: the monitor's merged series; false: one fact per period")
    data: list[SeriesPointPublic]
    count: int


class DocumentPublic(BaseModel):
    id: int
    title: str | None
    url: str | None
    published: dt.date | None
    source: str | None
    status: str
    language: str
    near_duplicate_of: int | None


class DocumentsPublic(Paged):
    data: list[DocumentPublic]
    count: int


class SearchHitPublic(DocumentPublic):
    snippet: str


class SearchPublic(Paged):
    data: list[SearchHitPublic]
    count: int


class PersonMentionPublic(BaseModel):
    id: int
    person_id: int
    name: str
    posts: list[str]
    organization: str | None = None  # of the person's first post here that names one
    span_start: int
    span_stop: int


class ProgramMentionPublic(BaseModel):
    id: int
    program_id: int
    name: str
    kind: str | None
    period: str | None
    span_start: int
    span_stop: int


class StatusChangePublic(BaseModel):
    status: str
    changed_at: dt.datetime
    changed_by: str | None
    note: str | None


class InstructionPublic(BaseModel):
    id: int
    document_id: int
    ordinal: int
    issuer: str | None
    text: str
    addressee: str | None
    deadline: dt.date | None
    deadline_text: str | None
    status: str
    board: str = Field(description="new | in_progress | done | overdue (open past its deadline)")
    span_start: int
    span_stop: int
    history: list[StatusChangePublic]


class InstructionsPublic(Paged):
    data: list[InstructionPublic]
    count: int


class InstructionStatusUpdate(BaseModel):
    status: Literal["new", "in_progress", "done"]
    note: str | None = Field(default=None, max_length=2000)


class ParticipantPublic(BaseModel):
    name: str
    role: str
    person_id: int | None


class MeetingPublic(BaseModel):
    id: int
    document_id: int
    kind: str
    title: str | None
    date: dt.date | None
    place: str | None
    chair: str | None
    chair_id: int | None
    topics: list[str]
    participants: list[ParticipantPublic]
    span_start: int
    span_stop: int


class MeetingsPublic(Paged):
    data: list[MeetingPublic]
    count: int


class DocumentDetailPublic(DocumentPublic):
    text: str
    facts: list[FactPublic]
    persons: list[PersonMentionPublic]
    instructions: list[InstructionPublic]
    programs: list[ProgramMentionPublic]
    meetings: list[MeetingPublic]


class DocumentCreate(BaseModel):
    text: str = Field(min_length=1)
    url: str | None = Field(default=None, max_length=2000)
    published: str | None = Field(default=None, max_length=20, description="ISO date, e.g. 2021-02-04")
    source: str | None = Field(default=None, max_length=200)
    title: str | None = Field(default=None, max_length=1000)


class DocumentCreated(BaseModel):
    id: int
    status: str


class PostPublic(BaseModel):
    id: int
    person_id: int
    person: str
    title: str
    organization: str | None
    territory: str | None
    as_of: dt.date | None
    document_id: int
    document_title: str | None


class PostsPublic(Paged):
    data: list[PostPublic]
    count: int


class ProgramPublic(BaseModel):
    id: int
    name: str
    kind: str | None
    period: str | None
    mentions: int
    document_id: int | None


class ProgramsPublic(Paged):
    data: list[ProgramPublic]
    count: int


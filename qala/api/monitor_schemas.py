"""Response and request models of monitoring (checks, commitments, instruction control, reviews),
re-exported by qala.api.schemas; lists as {data, count}."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from qala.api.schemas_base import Derived, Paged

# ================================================================ monitoring

class CheckSidePublic(BaseModel):
    fact_id: int | None
    document_id: int | None
    span: list[int | None]
    sentence: str | None
    url: str | None
    published: dt.date | None


class OfficialSidePublic(BaseModel):
    """official_mismatch: the official value a reported figure was held against, and its table."""

    id: int
    source: str
    reference: str | None
    vintage: dt.date | None
    value: float
    period_kind: str


class GapPublic(BaseModel):
    """How far apart the two figures are: absolute (in the unit, or in percentage points between two
    rates of change when ``points``) and relative to the figure held as reference."""

    absolute: float
    relative: float | None
    points: bool


class CheckPublic(BaseModel):
    id: int
    kind: Literal["contradiction", "change_mismatch", "part_whole", "outlier", "official_mismatch"]
    kind_label: str
    territory_id: int | None
    territory: str | None
    indicator_id: int | None
    indicator: str | None
    other_indicator_id: int | None
    unit: str | None
    period_start: dt.date | None
    period_end: dt.date | None
    value: float | None
    expected: float | None
    score: float | None
    message: str | None
    gap: GapPublic | None = None
    period_kind: str | None = None
    fact: CheckSidePublic
    other: CheckSidePublic
    official: OfficialSidePublic | None = None


class ChecksPublic(Paged, Derived):
    data: list[CheckPublic]
    count: int


class EvidencePublic(BaseModel):
    fact_id: int
    document_id: int
    value: float | None
    published: dt.date | None
    period_end: dt.date | None
    final: bool


class CommitmentHistoryPublic(BaseModel):
    status: str
    label: str
    actual: float | None
    evidence_document_id: int | None
    as_of: dt.date | None


class CommitmentOfficialPublic(BaseModel):
    """The official outcome of a commitment's indicator, territory and period, and the status it gives."""

    value: float
    period_start: dt.date
    period_end: dt.date
    source: str
    reference: str | None
    vintage: dt.date
    status: Literal["in_progress", "done", "partial", "failed", "no_data"]
    status_label: str


class CommitmentPublic(BaseModel):
    id: int
    fact_id: int
    document_id: int
    territory_id: int | None
    territory: str | None
    indicator_id: int | None
    indicator: str | None
    unit: str | None
    object: str | None
    period_start: dt.date
    period_end: dt.date
    target: float | None
    direction: Literal["up", "down"] = Field("up", description="up: at least the target; down: at most")
    announced: dt.date | None
    status: Literal["in_progress", "done", "partial", "failed", "no_data"]
    status_label: str
    actual: float | None
    actual_fact_id: int | None
    sentence: str | None
    evidence: list[EvidencePublic]
    history: list[CommitmentHistoryPublic]
    official: CommitmentOfficialPublic | None = None


class CommitmentsPublic(Paged, Derived):
    data: list[CommitmentPublic]
    count: int


class RecomputePublic(BaseModel):
    seconds: float
    counts: dict[str, Any]


class ControlledInstructionPublic(BaseModel):
    id: int
    document_id: int
    issuer: str | None
    text: str
    body: str = Field(description="the responsible body")
    deadline: dt.date | None
    deadline_text: str | None
    status: str
    effective_status: str
    status_label: str
    days_overdue: int | None
    parent_id: int | None
    children: list[int]
    repeats_id: int | None
    repeated_by: list[int]
    span: list[int]


class ControlledInstructionsPublic(BaseModel):
    data: list[ControlledInstructionPublic]
    count: int


class DisciplinePublic(BaseModel):
    body: str
    total: int
    done: int
    done_on_time: int
    done_late: int
    in_progress: int
    new: int
    overdue: int
    on_time_share: float | None = Field(description="done on time among those due (done + overdue)")


class DisciplinesPublic(BaseModel):
    data: list[DisciplinePublic]
    count: int


Finite = Annotated[float, Field(allow_inf_nan=False, ge=-1e18, le=1e18)]
DbId = Annotated[int, Field(ge=1, le=2**31 - 1)]


class ReviewCorrection(BaseModel):
    """The corrected fields of a figure (only those given change)."""

    model_config = ConfigDict(extra="forbid")
    value: Finite | None = None
    unit: str | None = Field(default=None, min_length=1, max_length=20)
    period: str | None = Field(default=None, min_length=1, max_length=40, description="2020, 2021-2024, ...")
    indicator: str | None = Field(default=None, min_length=1, max_length=80, description="indicator code")
    territory: str | None = Field(default=None, min_length=1, max_length=40, description="KATO code or name")
    change_kind: Literal["percent", "index", "times", "absolute"] | None = None
    change_value: Finite | None = None
    change_direction: Literal["up", "down"] | None = None


class ReviewCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    document_id: DbId
    item_kind: Literal["fact", "person", "instruction", "program"]
    span_start: int = Field(ge=0, le=2**31 - 1)
    span_stop: int = Field(ge=0, le=2**31 - 1)
    field: str | None = Field(default=None, max_length=50, description="for a correction of one field")
    action: Literal["confirm", "correct", "reject"]
    after: ReviewCorrection | None = None
    ordinal: int | None = Field(default=None, ge=0, le=2**31 - 1,
                                description="picks one figure when several share the span")


class ReviewPublic(BaseModel):
    id: int
    item_kind: str
    span: list[int]
    field: str | None
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    user: str
    created_at: dt.datetime | None


class ReviewsPublic(BaseModel):
    data: list[ReviewPublic]
    count: int

"""Every table, in one place (SQLAlchemy 2 declarative models).

Sections: reference data (sources, territories, indicators) · documents and what they say
(facts, persons, posts, instructions, programs, meetings) · people and reviews · derived
(monitoring; dropped and rebuilt at will). Alembic migrations in migrations/ follow this file.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}  # noqa: RUF012 - as SQLAlchemy reads it


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# ================================================================ reference data

class Source(Base):
    __tablename__ = "sources"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    domain: Mapped[str | None] = mapped_column(String(200))


class Territory(Base):
    """A country, region, city or district, keyed by its KATO code."""

    __tablename__ = "territories"
    id: Mapped[int] = mapped_column(primary_key=True)
    kato: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))  # country | region | city | district
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("territories.id"))
    aliases: Mapped[list[TerritoryAlias]] = relationship(back_populates="territory")


class TerritoryAlias(Base):
    """A name form (normalized: lower case, ё→е, no "г."), valid for some years (renamings)."""

    __tablename__ = "territory_aliases"
    id: Mapped[int] = mapped_column(primary_key=True)
    territory_id: Mapped[int] = mapped_column(ForeignKey("territories.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(200), index=True)
    valid_from: Mapped[int | None] = mapped_column(Integer)  # year
    valid_to: Mapped[int | None] = mapped_column(Integer)
    territory: Mapped[Territory] = relationship(back_populates="aliases")
    __table_args__ = (UniqueConstraint("alias", "territory_id"),)


class Indicator(Base):
    """A canonical measure: industrial output, fixed-capital investment, unemployment rate..."""

    __tablename__ = "indicators"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    unit_family: Mapped[str | None] = mapped_column(String(20))  # money | area | count | percent | ...
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("indicators.id"))


class IndicatorAlias(Base):
    __tablename__ = "indicator_aliases"
    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(300), index=True)  # normalized phrase (lemmas)

    # One phrase may name indicators of different unit families ("проект": a count, or their cost).
    __table_args__ = (UniqueConstraint("alias", "indicator_id"),)


# ================================================================ documents and what they say

class Document(Base):
    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(primary_key=True)
    content_hash: Mapped[str | None] = mapped_column(String(64), unique=True)  # sha256 of normalized text
    fingerprint: Mapped[int | None] = mapped_column(BigInteger, index=True)  # simhash for near-duplicates
    near_duplicate_of: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), index=True)
    text: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(2000))
    path: Mapped[str | None] = mapped_column(String(2000))
    title: Mapped[str | None] = mapped_column(String(1000))
    published: Mapped[dt.date | None] = mapped_column(Date, index=True)
    published_text: Mapped[str | None] = mapped_column(String(20))  # "2021-01" when only a month is known
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"), index=True)
    language: Mapped[str] = mapped_column(String(8), default="ru")
    # ok | duplicate | failed | unread (not Russian: stored and listed, not fed to the extractor)
    status: Mapped[str] = mapped_column(String(20), default="ok")
    error: Mapped[str | None] = mapped_column(Text)
    extractor_version: Mapped[str | None] = mapped_column(String(40))
    ingested_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now,
                                                     server_default=func.now())
    source: Mapped[Source | None] = relationship()


class DocumentBand(Base):
    """One 16-bit band of a document's simhash (band index in the top bits): fingerprints within
    3 bits of each other share at least one of their four bands, so near-duplicates are found by
    an indexed equality lookup instead of a scan."""

    __tablename__ = "document_bands"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    band: Mapped[int] = mapped_column(Integer)
    __table_args__ = (Index("ix_document_bands_band", "band", "document_id"),)


class Fact(Base):
    """An immutable observation: this document says, in this span, that this figure was reported."""

    __tablename__ = "facts"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    ordinal: Mapped[int] = mapped_column(Integer)  # position in the extraction: the item's key in reviews
    indicator_id: Mapped[int | None] = mapped_column(ForeignKey("indicators.id"))
    indicator_text: Mapped[str | None] = mapped_column(String(500))
    territory_id: Mapped[int | None] = mapped_column(ForeignKey("territories.id"))
    territory_text: Mapped[str | None] = mapped_column(String(300))
    period: Mapped[str | None] = mapped_column(String(40))  # as in the contract: "2020", "2021-01..2021-08"
    period_start: Mapped[dt.date | None] = mapped_column(Date)
    period_end: Mapped[dt.date | None] = mapped_column(Date)
    granularity: Mapped[str | None] = mapped_column(String(10))  # year | half | quarter | month | range
    value: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(20))
    object: Mapped[str | None] = mapped_column(String(200))
    approx: Mapped[str | None] = mapped_column(String(10))
    change_kind: Mapped[str | None] = mapped_column(String(10))
    change_value: Mapped[float | None] = mapped_column(Float)
    change_direction: Mapped[str | None] = mapped_column(String(5))
    change_base_period: Mapped[str | None] = mapped_column(String(40))
    span_start: Mapped[int] = mapped_column(Integer)
    span_stop: Mapped[int] = mapped_column(Integer)
    # territory: the figure describes its territory | object: one plant, project, programme, pool or
    # group of people in it (qala.monitor.scope), kept out of the territory's series, checks and cards
    scope: Mapped[str] = mapped_column(String(10), default="territory", server_default="territory")
    scope_name: Mapped[str | None] = mapped_column(String(200))  # the object as its clause names it
    # The pages of /api/facts (newest period first, then the newest document, its figures from the
    # last) read one of these backwards and stop at the page's end, whichever filters are given
    # (qala.store.keyset); the first also serves the series (territory, indicator, a period range).
    __table_args__ = (
        Index("ix_facts_series", "territory_id", "indicator_id", "period_start", "document_id", "ordinal"),
        Index("ix_facts_page", "period_start", "document_id", "ordinal"),
        Index("ix_facts_page_territory", "territory_id", "period_start", "document_id", "ordinal"),
        Index("ix_facts_page_indicator", "indicator_id", "period_start", "document_id", "ordinal"),
    )


class Person(Base):
    __tablename__ = "persons"
    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(300), unique=True)
    surname: Mapped[str] = mapped_column(String(150), index=True)


class PersonName(Base):
    """A form of a person's name seen in some document ("А. Мамин")."""

    __tablename__ = "person_names"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    form: Mapped[str] = mapped_column(String(300))
    __table_args__ = (UniqueConstraint("person_id", "form"),)


class Organization(Base):
    """A body posts belong to, named canonically from post titles (organizations.py): "Акимат города Алматы"."""

    __tablename__ = "organizations"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(500), unique=True)
    kind: Mapped[str] = mapped_column(String(40))  # government | ministry | akimat | agency | company | ...
    territory_id: Mapped[int | None] = mapped_column(ForeignKey("territories.id"))  # the place its name carries


class Post(Base):
    """A person holding a position, as of a document."""

    __tablename__ = "posts"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(500))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    territory_id: Mapped[int | None] = mapped_column(ForeignKey("territories.id"))
    as_of: Mapped[dt.date | None] = mapped_column(Date)


class PersonMention(Base):
    __tablename__ = "person_mentions"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    span_start: Mapped[int] = mapped_column(Integer)
    span_stop: Mapped[int] = mapped_column(Integer)


class Instruction(Base):
    __tablename__ = "instructions"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    ordinal: Mapped[int] = mapped_column(Integer)
    issuer_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    issuer_text: Mapped[str | None] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    addressee: Mapped[str | None] = mapped_column(String(500))
    deadline_text: Mapped[str | None] = mapped_column(String(100))
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="new")  # new | in_progress | done
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("instructions.id"))
    repeats_id: Mapped[int | None] = mapped_column(ForeignKey("instructions.id"))
    span_start: Mapped[int] = mapped_column(Integer)
    span_stop: Mapped[int] = mapped_column(Integer)


class InstructionStatus(Base):
    """Every status an instruction has had: who set it, when, and why."""

    __tablename__ = "instruction_status_history"
    id: Mapped[int] = mapped_column(primary_key=True)
    instruction_id: Mapped[int] = mapped_column(ForeignKey("instructions.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    changed_by: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)


class Program(Base):
    __tablename__ = "programs"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str | None] = mapped_column(String(200))
    period: Mapped[str | None] = mapped_column(String(40))
    __table_args__ = (UniqueConstraint("name", "kind", "period"),)


class ProgramMention(Base):
    __tablename__ = "program_mentions"
    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    span_start: Mapped[int] = mapped_column(Integer)
    span_stop: Mapped[int] = mapped_column(Integer)


class Meeting(Base):
    __tablename__ = "meetings"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(50))
    title: Mapped[str | None] = mapped_column(String(1000))
    date: Mapped[dt.date | None] = mapped_column(Date)
    place: Mapped[str | None] = mapped_column(String(300))
    chair_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    chair_text: Mapped[str | None] = mapped_column(String(300))
    topics: Mapped[list[Any]] = mapped_column(JSON, default=list)
    span_start: Mapped[int] = mapped_column(Integer)
    span_stop: Mapped[int] = mapped_column(Integer)


class MeetingParticipant(Base):
    __tablename__ = "meeting_participants"
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    name: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20))  # speaker | participant


# ================================================================ people who use Qala, and their reviews

class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    # Carried in each session cookie; signing out or a new password adds one, so every cookie
    # issued before (a copied one too) stops being accepted.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Review(Base):
    """A person's decision on an extracted item, kept as an overlay so re-extraction cannot lose it.

    The item is addressed by (document, kind, span, field), not by a row id, because rows are
    rebuilt when a document is extracted again.
    """

    __tablename__ = "reviews"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    item_kind: Mapped[str] = mapped_column(String(20))  # fact | person | instruction | program
    span_start: Mapped[int] = mapped_column(Integer)
    span_stop: Mapped[int] = mapped_column(Integer)
    field: Mapped[str | None] = mapped_column(String(50))
    action: Mapped[str] = mapped_column(String(10))  # confirm | correct | reject
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    user: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


# ================================================================ derived (monitoring)
# Tables below are computed from the ones above and can be dropped and rebuilt at any time.


class FactOverlay(Base):
    """Reviews applied to facts (rebuilt from `reviews`): hidden when rejected, corrected fields set."""

    __tablename__ = "fact_overlay"
    fact_id: Mapped[int] = mapped_column(ForeignKey("facts.id", ondelete="CASCADE"), primary_key=True)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    indicator_id: Mapped[int | None] = mapped_column(Integer)
    territory_id: Mapped[int | None] = mapped_column(Integer)
    period_start: Mapped[dt.date | None] = mapped_column(Date)
    period_end: Mapped[dt.date | None] = mapped_column(Date)
    granularity: Mapped[str | None] = mapped_column(String(10))
    value: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(20))
    change_kind: Mapped[str | None] = mapped_column(String(10))
    change_value: Mapped[float | None] = mapped_column(Float)
    change_direction: Mapped[str | None] = mapped_column(String(5))


# The fact columns a review may set in fact_overlay (each NULL where the extraction stands).
OVERLAID = tuple(c.name for c in FactOverlay.__table__.columns if c.name not in ("fact_id", "hidden", "verified"))


class SeriesPoint(Base):
    """One period of a territory's indicator: reported (facts merged) or implied by a reported change."""

    __tablename__ = "series_points"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # reported | implied
    territory_id: Mapped[int] = mapped_column(Integer)
    indicator_id: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(20))
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    granularity: Mapped[str | None] = mapped_column(String(10))
    value: Mapped[float | None] = mapped_column(Float)
    value_min: Mapped[float | None] = mapped_column(Float)
    value_max: Mapped[float | None] = mapped_column(Float)
    n_facts: Mapped[int] = mapped_column(Integer, default=1)
    n_documents: Mapped[int] = mapped_column(Integer, default=1)
    fact_id: Mapped[int | None] = mapped_column(Integer)  # a reporting fact; for implied: the change's fact
    __table_args__ = (Index("ix_series_points_key", "territory_id", "indicator_id", "period_start", "period_end",
                            "unit"),)


class Check(Base):
    """A flag raised across facts: contradiction | change_mismatch | part_whole | outlier, or against
    official statistics: official_mismatch."""

    __tablename__ = "checks"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    territory_id: Mapped[int | None] = mapped_column(Integer, index=True)
    indicator_id: Mapped[int | None] = mapped_column(Integer)
    other_indicator_id: Mapped[int | None] = mapped_column(Integer)
    unit: Mapped[str | None] = mapped_column(String(20))
    period_start: Mapped[dt.date | None] = mapped_column(Date)
    period_end: Mapped[dt.date | None] = mapped_column(Date)
    fact_id: Mapped[int | None] = mapped_column(Integer)
    other_fact_id: Mapped[int | None] = mapped_column(Integer)
    document_id: Mapped[int | None] = mapped_column(Integer, index=True)
    other_document_id: Mapped[int | None] = mapped_column(Integer, index=True)
    value: Mapped[float | None] = mapped_column(Float)
    expected: Mapped[float | None] = mapped_column(Float)
    score: Mapped[float | None] = mapped_column(Float)
    message: Mapped[str] = mapped_column(Text)
    official_id: Mapped[int | None] = mapped_column(Integer)  # official_mismatch: the official_values row


class Commitment(Base):
    """A target announced for a period, held against later reported figures."""

    __tablename__ = "commitments"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)  # stable across rebuilds: document, span, period
    fact_id: Mapped[int | None] = mapped_column(Integer, index=True)
    document_id: Mapped[int] = mapped_column(Integer, index=True)
    territory_id: Mapped[int | None] = mapped_column(Integer, index=True)
    indicator_id: Mapped[int | None] = mapped_column(Integer)
    unit: Mapped[str | None] = mapped_column(String(20))
    object: Mapped[str | None] = mapped_column(String(200))
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    granularity: Mapped[str | None] = mapped_column(String(10))
    target: Mapped[float | None] = mapped_column(Float)
    direction: Mapped[str] = mapped_column(String(4), default="up")  # up: at least the target; down: at most
    announced: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))  # in_progress | done | partial | failed | no_data
    actual: Mapped[float | None] = mapped_column(Float)
    actual_fact_id: Mapped[int | None] = mapped_column(Integer)
    evidence: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [{fact_id, document_id, value, period}]
    __table_args__ = (Index("ix_commitments_series", "territory_id", "indicator_id", "period_start"),)


class CommitmentStatus(Base):
    """Every status a commitment has had; kept across rebuilds (addressed by the commitment's key)."""

    __tablename__ = "commitment_history"
    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_key: Mapped[str] = mapped_column(String(120), index=True)
    status: Mapped[str] = mapped_column(String(20))
    actual: Mapped[float | None] = mapped_column(Float)
    evidence_document_id: Mapped[int | None] = mapped_column(Integer)
    as_of: Mapped[dt.date | None] = mapped_column(Date)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class MonitorRun(Base):
    """One rebuild of the derived tables: when, in which mode, what it found."""

    __tablename__ = "monitor_runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    seconds: Mapped[float | None] = mapped_column(Float)
    verified_only: Mapped[bool] = mapped_column(Boolean, default=False)
    counts: Mapped[dict[str, Any] | None] = mapped_column(JSON)


# ================================================================ official statistics (qala.stats)
# Imported from the Bureau's tables, not derived: kept across rebuilds.

class OfficialImport(Base):
    """One file imported: where from, which vintage, what was matched and what was not."""

    __tablename__ = "official_imports"
    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(200))
    vintage: Mapped[dt.date] = mapped_column(Date)
    file_name: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    shape: Mapped[str] = mapped_column(String(10))  # tidy | wide | taldau
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    rows_read: Mapped[int] = mapped_column(Integer)
    rows_added: Mapped[int] = mapped_column(Integer)
    rows_unchanged: Mapped[int] = mapped_column(Integer)
    rows_unmatched: Mapped[int] = mapped_column(Integer)
    unmatched: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [[row, reason]], the first 1000


class OfficialValue(Base):
    """One official figure as of a vintage. A later vintage that revises it adds a row; the value of
    a series key is the one of its latest vintage, and the earlier ones stay as its history."""

    __tablename__ = "official_values"
    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("official_imports.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(200))
    vintage: Mapped[dt.date] = mapped_column(Date)
    indicator_code: Mapped[str] = mapped_column(String(80))
    variant: Mapped[str] = mapped_column(String(200), default="")  # "" = the total
    kato: Mapped[str] = mapped_column(String(12))
    period_kind: Mapped[str] = mapped_column(String(10))  # year | quarter | ytd | date
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    granularity: Mapped[str] = mapped_column(String(10))
    value: Mapped[float] = mapped_column(Float)  # in `unit` (KZT, USD, %, count): scaled from the table's
    unit: Mapped[str] = mapped_column(String(20))
    row: Mapped[int] = mapped_column(Integer)  # the row in the imported file
    reference: Mapped[str | None] = mapped_column(String(500))  # the table's own source, as the file gives it
    __table_args__ = (Index("ix_official_values_series", "kato", "indicator_code", "period_start"),
                      Index("ix_official_values_key", "source", "indicator_code", "kato", "period_start"))
# ================================================================ sources followed on the web

class WatchedSource(Base):
    """A feed, sitemap or news-list page followed by `qala watch` (or added on the sources page)."""

    __tablename__ = "watched_sources"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    url: Mapped[str] = mapped_column(String(2000))
    kind: Mapped[str] = mapped_column(String(20))  # feed | sitemap | list
    pattern: Mapped[str | None] = mapped_column(String(500))  # link pattern of a news-list page
    last_run: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    items_seen: Mapped[int] = mapped_column(Integer, default=0)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now,
                                                    server_default=func.now())


class SourceItem(Base):
    """One fetched URL: seen once, skipped after; a failure kept with its error and retried with backoff."""

    __tablename__ = "source_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000), unique=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("watched_sources.id", ondelete="SET NULL"),
                                                  index=True)
    status: Mapped[str] = mapped_column(String(20))  # ingested | duplicate | unread | failed | skipped
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    retry_after: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    fetched_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class DocumentTranslation(Base):
    """Two documents that are the same release in two languages (same day, site and figures)."""

    __tablename__ = "document_translations"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    translation_of: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    __table_args__ = (UniqueConstraint("document_id", "translation_of"),)

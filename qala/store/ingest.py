"""Keep one document and what it says, in one transaction.

- Exact duplicates (same sha256 of the whitespace-normalized text) add nothing.
- Near-duplicates (the same release republished with small edits: close simhash and no figure
  of its own, see fingerprint.py) are kept as documents with status 'duplicate', linked to the first one by
  ``near_duplicate_of``; their facts and other items are not stored again.
- A document that cannot be extracted or written is kept with status 'failed' and its error;
  ingesting the same text again retries it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Self
from urllib.parse import urlparse

from sqlalchemy import Connection, Engine, Table, delete, select, text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from qala import model
from qala.errors import StoreError
from qala.periods import parse_period
from qala.store import schema
from qala.store.bulk import MEETING, begin_block, insert_document, insert_returning_ids, keep_statistics
from qala.store.fingerprint import _signed, bands, content_hash, figures, find_near_duplicate, simhash
from qala.store.resolve import AliasIndex, aliases, resolve_person

__all__ = ["DocumentWriter", "IncomingDocument", "IngestResult", "content_hash", "simhash"]

@dataclass(frozen=True)
class IncomingDocument:
    """One text as received, with whatever metadata came with it."""

    text: str
    url: str | None = None
    published: str | None = None
    source: str | None = None
    title: str | None = None
    path: str | None = None

    @property
    def label(self) -> str:
        return self.path or self.url or (self.title or self.text[:40]).strip()


@dataclass(frozen=True)
class IngestResult:
    status: str  # ingested | duplicate | near_duplicate | failed
    label: str
    document_id: int | None = None
    error: str | None = None


# ================================================================ the writer

def _date(value: str | None) -> dt.date | None:
    period = parse_period(value)
    return period.start if period else None


@dataclass
class Known:
    """Lookups written and committed by this process, so the next document need not ask again."""

    persons: dict[str, int] = field(default_factory=dict)  # name as written -> person id
    forms: dict[int, set[str]] = field(default_factory=dict)  # person id -> name forms stored
    sources: dict[str, int] = field(default_factory=dict)
    programs: dict[tuple[str, str | None, str | None], int] = field(default_factory=dict)
    figures: OrderedDict[int, frozenset[str]] = field(default_factory=OrderedDict)

    def merge(self, other: Known) -> None:
        self.persons.update(other.persons)
        for pid, forms in other.forms.items():
            self.forms.setdefault(pid, set()).update(forms)
        self.sources.update(other.sources)
        self.programs.update(other.programs)
        self.figures.update(other.figures)
        while len(self.figures) > 20_000:
            self.figures.popitem(last=False)


class DocumentWriter:
    """Writes documents into one store; keeps the alias index and committed lookups between documents."""

    def __init__(self, engine: Engine, *, extractor_version: str | None = None) -> None:
        self.engine = engine
        self.extractor_version = extractor_version
        self.index: AliasIndex = aliases(engine)
        self.known_items = Known()
        self.written = 0  # documents this writer stored
        self._conn: Connection | None = None

    # ---------------------------------------------------------------- one connection for the run

    @property
    def conn(self) -> Connection:
        """One connection kept for the whole run: no pool checkout or ping per document.

        On PostgreSQL it runs in autocommit: a document written in one statement needs no
        transaction block; ``transaction`` opens one wherever more than one statement must agree.
        """
        if self._conn is None or self._conn.closed:
            self._conn = self.engine.connect()
            if self.engine.dialect.name == "postgresql":
                self._conn = self._conn.execution_options(isolation_level="AUTOCOMMIT")
                # Atomic as ever, but a commit does not wait for the disk: a server crash may lose
                # the last few documents, which a re-run ingests again (nothing half-written either way).
                self._conn.execute(text("SET synchronous_commit TO OFF"))
                self._conn.commit()
        return self._conn

    @contextlib.contextmanager
    def transaction(self, *, lazy: bool = False) -> Iterator[Session]:
        """One unit of work; ``lazy``: the caller opens the block (``begin_block``) before its first
        write that is not the document's own single statement."""
        with Session(bind=self.conn, expire_on_commit=False) as session, session.begin():
            if not lazy:
                begin_block(session)
            yield session

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---------------------------------------------------------------- public

    def known(self, docs: list[IncomingDocument]) -> dict[str, tuple[str, int]]:
        """(status, document id) by content hash, for those of these texts already stored.

        Failures recorded for their paths when they could not be read are forgotten: they are read now.
        """
        hashes = {content_hash(d.text) for d in docs}
        paths = [d.path for d in docs if d.path]
        D = schema.Document
        with self.transaction() as session:
            if paths:
                session.execute(delete(D).where(D.path.in_(paths), D.status == "failed", D.text.is_(None)))
            rows = session.execute(select(D.content_hash, D.status, D.id).where(D.content_hash.in_(hashes)))
            return {h: (status, doc_id) for h, status, doc_id in rows}

    def store(self, doc: IncomingDocument, extraction: model.Extraction, *, new: bool = False) -> IngestResult:
        """Keep one document; ``new=True`` when ``known()`` just said its text is not stored at all."""
        for attempt in range(2):
            try:
                return self._store(doc, extraction, new and not attempt)
            except IntegrityError as e:
                # Another ingest wrote the same text (or person, source...) first: look again.
                if attempt:
                    return self.fail(doc, f"cannot store: {str(e.orig or e).splitlines()[0]}")
            except OperationalError as e:
                raise StoreError(f"the database refused a write: {str(e.orig or e).splitlines()[0]}") from None
            except Exception as e:  # noqa: BLE001 - any bug in one document must not stop the rest
                return self.fail(doc, f"cannot store: {type(e).__name__}: {e}")
        raise AssertionError("unreachable")

    def fail(self, doc: IncomingDocument | None, error: str, *, label: str | None = None) -> IngestResult:
        """Record a document that could not be read, extracted or stored, with its error."""
        D = schema.Document
        label = label or (doc.label if doc else "input")
        with self.transaction() as session:
            if doc is not None and doc.text:
                h = content_hash(doc.text)
                if session.scalar(select(D.id).where(D.content_hash == h, D.status != "failed")):
                    return IngestResult("duplicate", label)
                session.execute(delete(D).where(D.content_hash == h))
            else:
                session.execute(delete(D).where(D.path == label, D.status == "failed", D.text.is_(None)))
            row = D(content_hash=content_hash(doc.text) if doc and doc.text else None,
                    text=doc.text if doc else None, url=doc.url if doc else None,
                    path=(doc.path if doc else None) or label, title=doc.title if doc else None,
                    status="failed", error=error[:2000], extractor_version=self.extractor_version)
            session.add(row)
            session.flush()
            return IngestResult("failed", label, row.id, error)

    # ---------------------------------------------------------------- one transaction

    def _store(self, doc: IncomingDocument, ex: model.Extraction, new_text: bool) -> IngestResult:
        D = schema.Document
        h = content_hash(doc.text)
        new = Known()
        with self.transaction(lazy=True) as session:
            # A text said to be new skips this look-up; if another ingest wrote it meanwhile, the
            # unique hash refuses the insert and store() looks again.
            existing = None if new_text else session.execute(
                select(D.id, D.status).where(D.content_hash == h)).first()
            if existing and existing.status != "failed":
                return IngestResult("duplicate", doc.label, existing.id)
            if existing:
                begin_block(session)
                session.execute(delete(D).where(D.id == existing.id))
            fingerprint = simhash(doc.text)
            published = doc.published or ex.document.published
            day = _date(published)
            original = find_near_duplicate(session, doc.text, fingerprint, day, self.known_items.figures,
                                           new.figures)
            items = None if original else ItemWriter(session, self.index, day, doc.text, self.known_items, new)
            children = items.rows(ex) if items else {}
            doc_id = insert_document(session, {
                "content_hash": h, "fingerprint": _signed(fingerprint), "text": doc.text, "url": doc.url,
                "path": doc.path, "title": doc.title or ex.document.title, "published": day,
                "published_text": published, "source_id": self._source_id(session, doc, ex, new),
                "language": ex.document.language or "ru", "status": "duplicate" if original else "ok",
                "near_duplicate_of": original, "extractor_version": self.extractor_version,
            }, bands(fingerprint), children)
            result = IngestResult("near_duplicate" if original else "ingested", doc.label, doc_id)
            new.figures[doc_id] = figures(doc.text)
        self.known_items.merge(new)  # only now: a rolled-back document must teach nothing
        self.written += 1
        keep_statistics(self.conn, self.written)
        return result

    def _source_id(self, session: Session, doc: IncomingDocument, ex: model.Extraction, new: Known) -> int | None:
        name = (doc.source or ex.document.source or "").strip()[:200]
        if not name:
            return None
        if name in self.known_items.sources:
            return self.known_items.sources[name]
        S = schema.Source
        begin_block(session)
        found = session.scalar(select(S.id).where(S.name == name))
        if found is None:
            host = urlparse(doc.url).hostname if doc.url else None
            domain = name if "." in name and " " not in name else host
            source = S(name=name, domain=(domain or "").removeprefix("www.")[:200] or None)
            session.add(source)
            session.flush()
            found = source.id
        new.sources[name] = found
        return found


def _text(value: str | None, size: int) -> str | None:
    return value[:size] if value else None


class ItemWriter:
    """What one extraction says about one document, as rows (persons and programs resolved inside the
    caller's transaction, which is opened before the first of them is written)."""

    def __init__(self, session: Session, index: AliasIndex, published: dt.date | None, text: str,
                 known: Known, new: Known) -> None:
        self.session, self.index, self.published, self.text = session, index, published, text
        self.known, self.new = known, new
        self.year = published.year if published else None
        self.tables: dict[Table, list[dict]] = {}

    def rows(self, ex: model.Extraction) -> dict[Table, list[dict]]:
        """The document's child rows by table, without their document_id."""
        self.write_persons(ex.persons)
        self.write_facts(ex.facts)
        self.write_instructions(ex.instructions)
        self.write_programs(ex.programs)
        self.write_meetings(ex.events)
        return {table: rows for table, rows in self.tables.items() if rows}

    def _add(self, table: Table, rows: list[dict]) -> None:
        self.tables.setdefault(table, []).extend(rows)

    def person_id(self, name: str | None, forms: tuple[str, ...] = ()) -> int | None:
        if not name or not name.strip():
            return None
        pid = self.new.persons.get(name) or self.known.persons.get(name)
        seen = self.known.forms.get(pid, set()) | self.new.forms.get(pid, set()) if pid else set()
        if pid is None or any(" ".join(f.split())[:300] not in seen for f in forms):
            begin_block(self.session)
            pid = resolve_person(self.session, name[:300], forms).id
            self.new.forms.setdefault(pid, set()).update(" ".join(f.split())[:300] for f in (name, *forms))
        self.new.persons[name] = pid
        return pid

    def write_persons(self, persons: tuple[model.Person, ...]) -> None:
        mentions, posts = [], []
        for p in persons:
            forms = tuple(self.text[a:b] for a, b in p.mentions if 0 <= a < b <= len(self.text))
            pid = self.person_id(p.name, forms)
            if pid is None:
                continue
            mentions += [{"person_id": pid, "span_start": a, "span_stop": b}
                         for a, b in p.mentions]
            for title in dict.fromkeys(p.positions):
                posts.append({"person_id": pid, "title": title[:500],
                              "territory_id": self._territory_in(title), "as_of": self.published,
                              "organization_id": None})
        self._add(schema.PersonMention.__table__, mentions)
        self._add(schema.Post.__table__, posts)

    def _territory_in(self, title: str) -> int | None:
        """The place a post names at its end: "аким города Алматы" -> Алматы."""
        words = title.split()
        for i in range(1, len(words)):
            found = self.index.territory(" ".join(words[i:]), self.year)
            if found is not None:
                return found
        return None

    def write_facts(self, facts: tuple[model.Fact, ...]) -> None:
        rows = []
        for ordinal, f in enumerate(facts):
            period = parse_period(f.period)
            change = f.change
            rows.append({
                "ordinal": ordinal,
                "indicator_id": self.index.indicator(f.indicator, object=f.object, unit=f.unit),
                "indicator_text": _text(f.indicator, 500),
                "territory_id": self.index.territory(f.territory, self.year),
                "territory_text": _text(f.territory, 300), "period": _text(f.period, 40),
                "period_start": period.start if period else None,
                "period_end": period.end if period else None,
                "granularity": period.granularity if period else None,
                "value": f.value, "unit": f.unit, "object": _text(f.object, 200), "approx": f.approx,
                "change_kind": change.kind if change else None,
                "change_value": change.value if change else None,
                "change_direction": change.direction if change else None,
                "change_base_period": change.base_period if change else None,
                "span_start": f.span[0], "span_stop": f.span[1],
            })
        self._add(schema.Fact.__table__, rows)

    def write_instructions(self, instructions: tuple[model.Instruction, ...]) -> None:
        if not instructions:
            return
        rows = []
        for ordinal, i in enumerate(instructions):
            deadline = parse_period(i.deadline)
            rows.append({"ordinal": ordinal, "issuer_id": self.person_id(i.issuer),
                         "issuer_text": _text(i.issuer, 300), "text": i.text, "addressee": _text(i.addressee, 500),
                         "deadline_text": _text(i.deadline, 100), "deadline": deadline.end if deadline else None,
                         "status": "new", "parent_id": None, "repeats_id": None,
                         "span_start": i.span[0], "span_stop": i.span[1]})
        self._add(schema.Instruction.__table__, rows)

    def write_programs(self, programs: tuple[model.Program, ...]) -> None:
        P = schema.Program
        mentions = []
        for p in programs:
            key = (p.name[:500], _text(p.kind, 200), _text(p.period, 40))
            found = self.new.programs.get(key) or self.known.programs.get(key)
            if found is None:
                begin_block(self.session)
                found = self.session.scalar(select(P.id).where(P.name == key[0], _eq(P.kind, key[1]),
                                                               _eq(P.period, key[2])))
            if found is None:
                found = insert_returning_ids(self.session, P.__table__, [{"name": key[0], "kind": key[1],
                                                                           "period": key[2]}])[0]
            self.new.programs[key] = found
            mentions.append({"program_id": found,
                             "span_start": p.span[0], "span_stop": p.span[1]})
        self._add(schema.ProgramMention.__table__, mentions)

    def write_meetings(self, events: tuple[model.Event, ...]) -> None:
        rows = [{"kind": e.kind[:50], "title": _text(e.title, 1000), "date": _date(e.date) or self.published,
                 "place": _text(e.place, 300), "chair_id": self.person_id(e.chair), "chair_text": _text(e.chair, 300),
                 "topics": list(e.topics), "span_start": e.span[0], "span_stop": e.span[1]} for e in events]
        people = [{MEETING: i, "name": name[:300], "role": role, "person_id": self.person_id(name)}
                  for i, e in enumerate(events)
                  for name, role in [(s, "speaker") for s in e.speakers] + [(p, "participant") for p in e.participants]]
        self._add(schema.Meeting.__table__, rows)
        self._add(schema.MeetingParticipant.__table__, people)


def _eq(column, value):
    return column.is_(None) if value is None else column == value

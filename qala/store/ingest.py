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
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Self

from sqlalchemy import Connection, Engine, delete, or_, select, text
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from qala import model
from qala.errors import InvalidInput, StoreError
from qala.store import schema
from qala.store.bulk import begin_block, insert_document, keep_statistics
from qala.store.documents import source_id
from qala.store.fingerprint import _signed, bands, content_hash, figures, find_near_duplicate, simhash
from qala.store.items import ItemWriter, Known, day_of
from qala.store.resolve import AliasIndex, aliases

FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TRANSLATION_OVERLAP = 0.6  # share of figures two texts must have in common to be one release

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
    status: str  # ingested | unread (stored, not in Russian, not read) | duplicate | near_duplicate | failed
    label: str
    document_id: int | None = None
    error: str | None = None


# ================================================================ the writer

class DocumentWriter:
    """Writes documents into one store; keeps the alias index and committed lookups between documents."""

    def __init__(self, engine: Engine, *, extractor_version: str | None = None) -> None:
        self.engine = engine
        self.extractor_version = extractor_version
        self.index: AliasIndex = aliases(engine)
        self.known_items = Known()
        self.written = 0  # documents this writer stored
        self._other_languages: bool | None = None  # any document not in Russian in the store
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
                result = self._store(doc, extraction, new and not attempt)
                if result.status == "duplicate":
                    self.fill_metadata(doc, result.document_id)
                elif result.status in ("ingested", "unread") and result.document_id is not None:
                    self.link_translations(result.document_id, doc, extraction)
                return result
            except IntegrityError as e:
                # Another ingest wrote the same text (or person, source...) first: look again.
                if attempt:
                    return self.fail(doc, f"cannot store: {str(e.orig or e).splitlines()[0]}")
            except OperationalError as e:
                raise StoreError(f"the database refused a write: {str(e.orig or e).splitlines()[0]}") from None
            except SQLAlchemyError as e:  # the driver's first line only: never the SQL and its parameters
                return self.fail(doc, f"cannot store: {str(e.orig or type(e).__name__).strip().splitlines()[0]}")
            except Exception as e:  # noqa: BLE001 - any bug in one document must not stop the rest
                return self.fail(doc, f"cannot store: {type(e).__name__}: {e}")
        raise AssertionError("unreachable")

    def fill_metadata(self, doc: IncomingDocument, document_id: int | None) -> None:
        """A text stored before, arriving again with a date, title, source or link it lacked: those
        are filled in (a new date re-reads its periods), the rest is left as it was."""
        if document_id is None or not any((doc.published, doc.title, doc.source, doc.url)):
            return
        from qala.store.documents import set_metadata

        try:
            set_metadata(self.engine, document_id, user="ingest", only_missing=True, published=doc.published,
                         title=doc.title, source=doc.source, url=doc.url)
        except InvalidInput:
            pass  # metadata the first ingest would have refused too: the stored document stays as it was

    def link_translations(self, doc_id: int, doc: IncomingDocument, ex: model.Extraction) -> None:
        """Link a document to releases of the same day and source in another language that report
        the same figures (a Kazakh text and its Russian version): most days have one language, so
        this is one read and no write."""
        D, T = schema.Document, schema.DocumentTranslation
        published = doc.published or ex.document.published or ""
        source = self.known_items.sources.get((doc.source or ex.document.source or "").strip()[:200])
        mine = figures(doc.text)
        if not FULL_DATE.match(published) or source is None or len(mine) < 2:
            return  # a release is one day's: a month alone links nothing
        day = day_of(published)
        language = ex.document.language or "ru"
        if language != "ru":
            self._other_languages = True
        elif not self.other_languages():
            return  # a store with no text in another language holds no translation of this one
        with self.transaction(lazy=True) as session:
            others = session.execute(select(D.id, D.text).where(
                D.published == day, D.source_id == source, D.id != doc_id, D.language != language,
                D.status.in_(("ok", "unread")))).all()
            matches = [other for other, text_ in others
                       if len(mine & (theirs := figures(text_ or ""))) / max(len(mine | theirs), 1)
                       >= TRANSLATION_OVERLAP]
            if not matches:
                return
            begin_block(session)
            for other in matches:
                if session.scalar(select(T.id).where(or_(
                        (T.document_id == doc_id) & (T.translation_of == other),
                        (T.document_id == other) & (T.translation_of == doc_id)))) is None:
                    session.add(T(document_id=doc_id, translation_of=other))

    def other_languages(self) -> bool:
        """Whether the store holds any text not in Russian (asked once per run, then kept)."""
        if self._other_languages is None:
            with self.transaction(lazy=True) as session:
                self._other_languages = session.scalar(
                    select(schema.Document.id).where(schema.Document.language != "ru").limit(1)) is not None
        return self._other_languages

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
            language = ex.document.language or "ru"
            fingerprint = simhash(doc.text)
            published = doc.published or ex.document.published
            day = day_of(published)
            original = find_near_duplicate(session, doc.text, fingerprint, day, self.known_items.figures,
                                           new.figures)
            items = None if original else ItemWriter(session, self.index, day, doc.text, self.known_items, new)
            children = items.rows(ex) if items else {}
            doc_id = insert_document(session, {
                "content_hash": h, "fingerprint": _signed(fingerprint), "text": doc.text, "url": doc.url,
                "path": doc.path, "title": doc.title or ex.document.title, "published": day,
                "published_text": published, "source_id": self._source_id(session, doc, ex, new),
                "language": language, "status": "duplicate" if original else "ok" if language == "ru" else "unread",
                "near_duplicate_of": original, "extractor_version": self.extractor_version,
            }, bands(fingerprint), children)
            result = IngestResult("near_duplicate" if original else "ingested" if language == "ru" else "unread",
                                  doc.label, doc_id)
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
        begin_block(session)
        found = source_id(session, name, doc.url)
        new.sources[name] = found
        return found

"""Reading what the sources left in the store: unread documents, watched sources, failed items."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, or_, select
from sqlalchemy.orm import Session

from qala.store import schema


def translations_of(session: Session, doc_id: int) -> list[int]:
    T = schema.DocumentTranslation
    rows = session.execute(select(T.document_id, T.translation_of).where(
        or_(T.document_id == doc_id, T.translation_of == doc_id))).all()
    return sorted({a if b == doc_id else b for a, b in rows})


def unread_documents(engine: Engine, *, limit: int = 100) -> list[dict[str, Any]]:
    """Documents stored but not read (not Russian), newest first, with the documents they translate."""
    D = schema.Document
    with Session(engine) as session:
        docs = session.execute(select(D.id, D.language, D.published, D.url, D.title).where(D.status == "unread")
                               .order_by(D.published.desc(), D.id.desc()).limit(limit)).all()
        return [{"id": d.id, "language": d.language, "published": d.published, "url": d.url, "title": d.title,
                 "translation_of": (translations_of(session, d.id) or [None])[0]} for d in docs]


def watched_sources(engine: Engine) -> list[dict[str, Any]]:
    W = schema.WatchedSource
    with Session(engine) as session:
        return [{"id": w.id, "name": w.name, "url": w.url, "kind": w.kind, "pattern": w.pattern,
                 "last_run": w.last_run, "last_error": w.last_error, "items_seen": w.items_seen or 0,
                 "failures": w.failures or 0} for w in session.scalars(select(W).order_by(W.name))]


def failed_items(engine: Engine, *, source_id: int | None = None, limit: int = 100) -> list[dict[str, Any]]:
    I = schema.SourceItem
    query = select(I).where(I.status == "failed")
    if source_id is not None:
        query = query.where(I.source_id == source_id)
    with Session(engine) as session:
        return [{"url": i.url, "error": i.error, "attempts": i.attempts, "retry_after": i.retry_after}
                for i in session.scalars(query.order_by(I.id).limit(limit))]

"""Full-text search over documents: PostgreSQL text search, SQLite FTS5, or LIKE as a fallback.

On SQLite the FTS5 index is derived data (an external-content table kept in sync by triggers),
created by ensure_search_index() when the app starts; without it, search falls back to LIKE.
"""

from __future__ import annotations

from sqlalchemy import and_, func, or_, select, text
from sqlalchemy.orm import Session

from qala.errors import InvalidInput
from qala.language_forms import word_forms
from qala.store import keyset
from qala.store.dashboard import _doc_dict, _page
from qala.store.records import document_page
from qala.store.schema import Document, Source


def search_documents(session: Session, *, q: str, limit: int = 20, offset: int = 0,
                     cursor: str | None = None) -> keyset.Page:
    """Full text over documents: PostgreSQL text search, SQLite FTS5 when its index exists, else LIKE;
    newest first, a page at a time (``cursor``: the ``next`` of the page before), the count exact up
    to keyset.COUNT_UP_TO hits (else a lower bound, marked estimated)."""
    limit, offset = _page(limit, offset)
    q = (q or "").strip()
    if not q:
        raise InvalidInput("expected a search query, got an empty string")
    dialect = session.get_bind().dialect.name
    terms = [t for t in "".join(c if c.isalnum() else " " for c in q).split() if t]
    if dialect == "postgresql":
        # the Russian configuration stems both sides; every form of each term is asked for too, since
        # the stemmer does not join all of them ("Астана" / "Астане")
        expr = " & ".join("(" + " | ".join(word_forms(t)) + ")" for t in terms)
        query = func.to_tsquery("russian", expr) if terms else func.plainto_tsquery("russian", q)
        cond = or_(func.to_tsvector("russian", Document.text).op("@@")(query),
                   Document.text.ilike(f"%{_escape_like(q)}%", escape="\\"))
    elif terms and _has_fts(session):
        # every word form of each term: "школы" finds "школ" and "школам" (PostgreSQL's Russian
        # configuration does this by stemming)
        match = " AND ".join("(" + " OR ".join(f'"{f}"*' if f == t.lower() else f'"{f}"' for f in word_forms(t))
                             + ")" for t in terms)
        cond = Document.id.in_(select(text("rowid")).select_from(text("documents_fts"))
                               .where(text("documents_fts MATCH :m")).params(m=match))
    else:
        cond = and_(*(or_(*(func.lower(Document.text).like(f"%{_escape_like(f)}%", escape="\\")
                            for f in word_forms(t)))
                      for t in (terms or [q])))
    query = select(Document, Source.name).outerjoin(Source, Source.id == Document.source_id).where(cond)
    rows, next_cursor, total, estimated = document_page(session, query, limit=limit, offset=offset, cursor=cursor)
    result = []
    for d, s in rows:
        item = _doc_dict(d, s)
        item["snippet"] = _snippet(d.text or "", terms or [q])
        result.append(item)
    return keyset.Page(result, total, next_cursor, estimated)


def _escape_like(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _snippet(body: str, terms: list[str], width: int = 160) -> str:
    low = body.lower()
    hits = [i for i in (low.find(f) for t in terms for f in word_forms(t)) if i >= 0]
    start = max(0, min(hits) - width // 3) if hits else 0
    return ("…" if start else "") + body[start:start + width].replace("\n", " ") + "…"


def _has_fts(session: Session) -> bool:
    return bool(session.execute(text("SELECT 1 FROM sqlite_master WHERE name='documents_fts'")).first())


_ADD = "INSERT INTO documents_fts(rowid, text) VALUES (new.id, coalesce(new.text, ''));"
_DROP = "INSERT INTO documents_fts(documents_fts, rowid, text) VALUES('delete', old.id, coalesce(old.text, ''));"
FTS_DDL = (
    "CREATE VIRTUAL TABLE documents_fts USING fts5(text, content='documents', content_rowid='id')",
    f"CREATE TRIGGER documents_fts_ai AFTER INSERT ON documents BEGIN {_ADD} END",
    f"CREATE TRIGGER documents_fts_ad AFTER DELETE ON documents BEGIN {_DROP} END",
    f"CREATE TRIGGER documents_fts_au AFTER UPDATE OF text ON documents BEGIN {_DROP} {_ADD} END",
    "INSERT INTO documents_fts(documents_fts) VALUES('rebuild')",
)


def ensure_search_index(session: Session) -> bool:
    """On SQLite, create the FTS5 index over documents (derived; kept in sync by triggers)."""
    if session.get_bind().dialect.name != "sqlite" or _has_fts(session):
        return False
    try:
        for statement in FTS_DDL:
            session.execute(text(statement))
    except Exception:  # noqa: BLE001 - SQLite built without FTS5: search falls back to LIKE
        session.rollback()
        return False
    return True

"""Correcting what is known about a stored document: its date, title, source and link.

A release often arrives without its date (a plain file, a page whose dateline was not read) and
gets it later: from a second ingest of the same text with metadata, or from an analyst
(`qala documents set`, the document page). The date decides the periods of figures told as "в
текущем году", "с начала года" and the deadlines of instructions, so a new date re-reads the text
and gives the stored figures and instructions their new periods and deadlines, matched by span:
nothing else about them changes, so reviews and instruction statuses are kept. Every change is
kept in the audit trail (reviews of item kind "document", one per field).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from qala.clean import check_text, check_url
from qala.errors import InvalidInput, NotFound
from qala.periods import parse_period
from qala.store import schema
from qala.store.items import day_of
from qala.text import parse_published

FIELDS = ("published", "title", "source", "url")


@dataclass(frozen=True)
class Change:
    field: str
    before: str | None
    after: str | None


def clean_metadata(*, published: str | None = None, title: str | None = None, source: str | None = None,
                   url: str | None = None) -> dict[str, str]:
    """The fields given, checked (a date from 1900 to 2100, an http(s) link, text without NUL)."""
    out: dict[str, str] = {}
    if published is not None and published.strip():
        out["published"] = parse_published(published)
    for name, value, limit in (("title", title, 1000), ("source", source, 200)):
        if value is not None and value.strip():
            value = " ".join(check_text(value, name).split())
            if len(value) > limit:
                raise InvalidInput(f"invalid {name}: expected at most {limit} characters, got {len(value)}")
            out[name] = value
    if url is not None and url.strip():
        checked = check_url(url.strip(), "url")
        if checked and len(checked) > 2000:
            raise InvalidInput(f"invalid url: expected at most 2000 characters, got {len(checked)}")
        if checked:
            out["url"] = checked
    return out


def set_metadata(engine: Engine, document_id: int, *, user: str, only_missing: bool = False,
                 **fields: str | None) -> list[Change]:
    """Set the given fields of one document; ``only_missing`` fills only what the document lacks
    (a second ingest with metadata). Returns the changes made (none when nothing differs)."""
    wanted = clean_metadata(**{k: v for k, v in fields.items() if k in FIELDS})
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise InvalidInput(f"expected fields among {', '.join(FIELDS)}, got {', '.join(sorted(unknown))}")
    D = schema.Document
    with Session(engine) as session, session.begin():
        doc = session.get(D, document_id)
        if doc is None:
            raise NotFound(f"document {document_id}: expected a stored document id, got none with that id")
        current = {"published": doc.published_text or (doc.published.isoformat() if doc.published else None),
                   "title": doc.title, "url": doc.url,
                   "source": doc.source.name if doc.source is not None else None}
        changes = [Change(name, current[name], value) for name, value in wanted.items()
                   if value != current[name] and not (only_missing and current[name])]
        for change in changes:
            if change.field == "published":
                doc.published_text = change.after
                doc.published = day_of(change.after)
            elif change.field == "source":
                doc.source_id = source_id(session, change.after or "", doc.url)
            else:
                setattr(doc, change.field, change.after)
        if any(c.field == "published" for c in changes) and doc.text and doc.status == "ok":
            reread_dates(session, doc.id, doc.text, doc.published_text)
        now = dt.datetime.now(dt.UTC)
        for change in changes:
            session.add(schema.Review(document_id=doc.id, item_kind="document", span_start=0, span_stop=0,
                                      field=change.field, action="correct", before={"value": change.before},
                                      after={"value": change.after}, user=user[:100], created_at=now))
    return changes


def reread_dates(session: Session, document_id: int, text: str, published: str | None) -> int:
    """Give the stored figures and instructions the periods and deadlines the text has under this
    date; returns how many rows changed."""
    from qala.extractor import extract

    ex = extract(text, published)
    F, I = schema.Fact, schema.Instruction
    changed = 0
    periods = {f.span: f.period for f in ex.facts}
    for fid, start, stop, period in session.execute(
            select(F.id, F.span_start, F.span_stop, F.period).where(F.document_id == document_id)):
        new = periods.get((start, stop), period)
        if new != period:
            p = parse_period(new)
            session.execute(update(F).where(F.id == fid).values(
                period=new, period_start=p.start if p else None, period_end=p.end if p else None,
                granularity=p.granularity if p else None))
            changed += 1
    deadlines = {i.span: i.deadline for i in ex.instructions}
    for iid, start, stop, deadline in session.execute(
            select(I.id, I.span_start, I.span_stop, I.deadline_text).where(I.document_id == document_id)):
        new = deadlines.get((start, stop), deadline)
        if new != deadline:
            p = parse_period(new)
            session.execute(update(I).where(I.id == iid).values(deadline_text=new, deadline=p.end if p else None))
            changed += 1
    return changed


def source_id(session: Session, name: str, url: str | None) -> int:
    """The id of the source of this name, written now if it is new (its domain from the name when
    the name is one, else from the document's link)."""
    from urllib.parse import urlparse

    S = schema.Source
    found = session.scalar(select(S.id).where(S.name == name))
    if found is not None:
        return found
    host = urlparse(url).hostname if url else None
    domain = name if "." in name and " " not in name else host
    source = S(name=name, domain=(domain or "").removeprefix("www.")[:200] or None)
    session.add(source)
    session.flush()
    return source.id


def describe(changes: list[Change]) -> list[dict[str, Any]]:
    return [{"field": c.field, "before": c.before, "after": c.after} for c in changes]

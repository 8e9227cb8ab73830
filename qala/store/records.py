"""Read functions behind the lists: documents, persons and their posts, programs, meetings, instructions.

Split from qala.store.dashboard (which keeps the territory overview and re-exports these names):
every function takes a Session and keyword-only arguments and returns plain dicts (never ORM
rows), so the web and API layers stay free of SQLAlchemy. Lists are paginated and come back as
``(rows, total)``. The small helpers at the top (pages, counts, a fact as a dict, "the document is
about this territory") serve both modules.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from qala.errors import InvalidInput, NotFound
from qala.store import keyset
from qala.store.schema import (
    Document,
    Fact,
    Indicator,
    Instruction,
    InstructionStatus,
    Meeting,
    MeetingParticipant,
    Organization,
    Person,
    PersonMention,
    Post,
    Program,
    ProgramMention,
    Source,
    Territory,
)

STATUSES = ("new", "in_progress", "done")
BOARD = ("new", "in_progress", "done", "overdue")
MAX_LIMIT = 500

def _page(limit: int, offset: int) -> tuple[int, int]:
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"expected limit between 1 and {MAX_LIMIT}, got {limit}")
    if offset < 0:
        raise InvalidInput(f"expected offset >= 0, got {offset}")
    return limit, offset


def _count(session: Session, query: Select) -> int:
    return session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0


# ================================================================ facts as plain dicts

def _fact_query() -> Select:
    return (select(Fact, Indicator.code, Indicator.name, Territory.kato, Territory.name, Document.published)
            .join(Document, and_(Document.id == Fact.document_id, Document.status == "ok"))
            .outerjoin(Indicator, Indicator.id == Fact.indicator_id)
            .outerjoin(Territory, Territory.id == Fact.territory_id))


def _fact_dict(row: Any) -> dict[str, Any]:
    f, code, ind_name, kato, terr_name, published = row
    return {
        "id": f.id, "document_id": f.document_id, "ordinal": f.ordinal,
        "indicator": code, "indicator_name": ind_name or f.indicator_text, "indicator_text": f.indicator_text,
        "territory_kato": kato, "territory": terr_name, "territory_text": f.territory_text,
        "period": f.period, "period_start": f.period_start, "period_end": f.period_end,
        "granularity": f.granularity, "value": f.value, "unit": f.unit, "object": f.object,
        "approx": f.approx, "change_kind": f.change_kind, "change_value": f.change_value,
        "change_direction": f.change_direction, "change_base_period": f.change_base_period,
        "span_start": f.span_start, "span_stop": f.span_stop, "published": published,
    }


def about(territory_id: int, document_id: Any) -> Any:
    """SQL: the document reports a figure for the territory (an indexed probe per document).

    ``territory_id + 0`` keeps SQLite's planner on the document index (a few rows per document)
    instead of walking every fact of the territory for each probe.
    """
    return select(Fact.id).where(Fact.document_id == document_id, (Fact.territory_id + 0) == territory_id).exists()


# ================================================================ documents

def _doc_dict(d: Document, source: str | None = None) -> dict[str, Any]:
    return {"id": d.id, "title": d.title, "url": d.url, "published": d.published, "source": source,
            "status": d.status, "language": d.language, "near_duplicate_of": d.near_duplicate_of}


DOCUMENT_ORDER = keyset.Order(first=Document.published, ties=(Document.id,), ties_desc=True, kinds=("date", "int"))


def _rows_of(session: Session) -> Any:
    return lambda query: session.execute(query).all()


def id_range(session: Session, model: Any) -> int:
    """About how many rows a table holds, from its ids (two indexed reads)."""
    low, high = session.scalar(select(func.min(model.id))), session.scalar(select(func.max(model.id)))
    return 0 if high is None else high - low + 1


def document_page(session: Session, query: Select, *, limit: int, offset: int, cursor: str | None,
                  estimate: Any = None) -> tuple[list[Any], str | None, int, bool]:
    """A page of (Document, ...) rows newest first by keyset, the next cursor, and the count
    (exact up to keyset.COUNT_UP_TO, else an estimate): the documents list and search share it."""
    rows, next_cursor = keyset.read_page(_rows_of(session), query, DOCUMENT_ORDER, limit=limit, offset=offset,
                                         cursor=cursor, key=lambda r: (r[0].published, r[0].id))
    if next_cursor is None and offset == 0 and cursor is None:
        return rows, None, len(rows), False
    count, estimated = keyset.bounded_count(session.scalar, query, estimate)
    return rows, next_cursor, count, estimated


def list_documents(session: Session, *, limit: int = 50, offset: int = 0, cursor: str | None = None) -> keyset.Page:
    """Documents newest first, a page at a time (``cursor``: the ``next`` of the page before)."""
    limit, offset = _page(limit, offset)
    query = select(Document, Source.name).outerjoin(Source, Source.id == Document.source_id)
    rows, next_cursor, count, estimated = document_page(session, query, limit=limit, offset=offset, cursor=cursor,
                                                        estimate=lambda: id_range(session, Document))
    return keyset.Page([_doc_dict(d, s) for d, s in rows], count, next_cursor, estimated)


def document_detail(session: Session, *, document_id: int) -> dict[str, Any]:
    """A document with its text and every extracted item, each with its span."""
    row = session.execute(select(Document, Source.name).outerjoin(Source, Source.id == Document.source_id)
                          .where(Document.id == document_id)).first()
    if row is None:
        raise NotFound(f"expected an existing document id, got {document_id}")
    doc, source = row
    facts = [_fact_dict(r) for r in session.execute(
        _fact_query().where(Fact.document_id == document_id).order_by(Fact.span_start, Fact.id))]
    mentions = session.execute(select(PersonMention, Person.full_name).join(Person)
                               .where(PersonMention.document_id == document_id)
                               .order_by(PersonMention.span_start)).all()
    posts = session.execute(select(Post.person_id, Post.title, Organization.name)
                            .outerjoin(Organization, Organization.id == Post.organization_id)
                            .where(Post.document_id == document_id).order_by(Post.id)).all()
    titles: dict[int, list[str]] = {}
    orgs: dict[int, str] = {}  # person id -> the organization of their first post naming one
    for pid, title, org in posts:
        titles.setdefault(pid, []).append(title)
        if org:
            orgs.setdefault(pid, org)
    programs = session.execute(select(ProgramMention, Program).join(Program)
                               .where(ProgramMention.document_id == document_id)
                               .order_by(ProgramMention.span_start)).all()
    instructions, _ = list_instructions(session, document_id=document_id, limit=MAX_LIMIT)
    meetings = session.scalars(select(Meeting.id).where(Meeting.document_id == document_id)).all()
    return {
        **_doc_dict(doc, source), "text": doc.text or "",
        "facts": facts,
        "persons": [{"id": m.id, "person_id": m.person_id, "name": name, "posts": titles.get(m.person_id, []),
                     "organization": orgs.get(m.person_id), "span_start": m.span_start, "span_stop": m.span_stop}
                    for m, name in mentions],
        "instructions": instructions,
        "programs": [{"id": m.id, "program_id": p.id, "name": p.name, "kind": p.kind, "period": p.period,
                      "span_start": m.span_start, "span_stop": m.span_stop} for m, p in programs],
        "meetings": [meeting(session, meeting_id=m) for m in meetings],
    }


# ================================================================ persons, programs, meetings

POST_ORDER = (Person.surname, Person.full_name, Post.as_of, Post.id)
POST_DESC = (False, False, True, False)


def list_posts(session: Session, *, person_id: int | None = None, limit: int = 100,
               offset: int = 0, cursor: str | None = None, organization: str | None = None,
               name: str | None = None) -> keyset.Page:
    """Who held which post, according to which document (by surname, the newest post first); a
    page at a time (``cursor``: the ``next`` of the page before). ``organization`` and ``name``
    match a part of the organization's or the person's name."""
    limit, offset = _page(limit, offset)
    keyset.check_offset(offset, cursor)
    query = (select(Post, Person.full_name, Organization.name, Territory.name, Document.title,
                    Document.published, Person.surname)
             .join(Person, Person.id == Post.person_id).join(Document, Document.id == Post.document_id)
             .outerjoin(Organization, Organization.id == Post.organization_id)
             .outerjoin(Territory, Territory.id == Post.territory_id))
    if person_id is not None:
        query = query.where(Post.person_id == person_id)
    if organization:
        query = query.where(contains_text(Organization.name, organization))
    if name:
        query = query.where(contains_text(Person.full_name, name))
    total, estimated = keyset.bounded_count(session.scalar, query)
    if cursor:
        after = keyset.decode(cursor, ("str", "str", "date", "int"))
        query = query.where(keyset.after_all(POST_ORDER, after, desc=POST_DESC,
                                             nulls_first=session.get_bind().dialect.name == "sqlite"))
    rows = session.execute(query.order_by(Person.surname, Person.full_name, Post.as_of.desc(), Post.id)
                           .limit(limit + 1).offset(offset)).all()
    more, rows = len(rows) > limit, rows[:limit]
    last = rows[-1] if more and rows else None
    next_cursor = keyset.encode([last[6], last[1], last[0].as_of, last[0].id]) if last else None
    return keyset.Page([{"id": p.id, "person_id": p.person_id, "person": name, "title": p.title, "organization": org,
                         "territory": terr, "as_of": p.as_of or published, "document_id": p.document_id,
                         "document_title": title} for p, name, org, terr, title, published, _ in rows],
                       total, next_cursor, estimated)


PROGRAM_ORDER = keyset.Order(first=Program.name, ties=(Program.id,), first_desc=False, kinds=("str", "int"))


def list_programs(session: Session, *, limit: int = 100, offset: int = 0, cursor: str | None = None) -> keyset.Page:
    """Programmes by name with their mentions, a page at a time (``cursor``: the page before's ``next``)."""
    limit, offset = _page(limit, offset)
    query = (select(Program, func.count(ProgramMention.id), func.min(ProgramMention.document_id))
             .outerjoin(ProgramMention).group_by(Program.id))
    total, estimated = keyset.bounded_count(session.scalar, select(Program.id), lambda: id_range(session, Program))
    rows, next_cursor = keyset.read_page(_rows_of(session), query, PROGRAM_ORDER, limit=limit, offset=offset,
                                         cursor=cursor, key=lambda r: (r[0].name, r[0].id))
    return keyset.Page([{"id": p.id, "name": p.name, "kind": p.kind, "period": p.period, "mentions": n,
                         "document_id": d} for p, n, d in rows], total, next_cursor, estimated)


def meeting(session: Session, *, meeting_id: int) -> dict[str, Any]:
    m = session.get(Meeting, meeting_id)
    if m is None:
        raise NotFound(f"expected an existing meeting id, got {meeting_id}")
    people = session.execute(select(MeetingParticipant.name, MeetingParticipant.role, MeetingParticipant.person_id)
                             .where(MeetingParticipant.meeting_id == meeting_id)
                             .order_by(MeetingParticipant.id)).all()
    return {"id": m.id, "document_id": m.document_id, "kind": m.kind, "title": m.title, "date": m.date,
            "place": m.place, "chair": m.chair_text, "chair_id": m.chair_id, "topics": list(m.topics or []),
            "participants": [{"name": n, "role": r, "person_id": p} for n, r, p in people],
            "span_start": m.span_start, "span_stop": m.span_stop}


MEETING_ORDER = keyset.Order(first=Meeting.date, ties=(Meeting.id,), ties_desc=True, kinds=("date", "int"))


def list_meetings(session: Session, *, limit: int = 50, offset: int = 0, cursor: str | None = None) -> keyset.Page:
    """Meetings newest first, a page at a time (``cursor``: the ``next`` of the page before)."""
    limit, offset = _page(limit, offset)
    keys, next_cursor = keyset.read_page(_rows_of(session), select(Meeting.date, Meeting.id), MEETING_ORDER,
                                         limit=limit, offset=offset, cursor=cursor, key=tuple)
    total, estimated = keyset.bounded_count(session.scalar, select(Meeting.id), lambda: id_range(session, Meeting))
    return keyset.Page([meeting(session, meeting_id=i) for _, i in keys], total, next_cursor, estimated)


# ================================================================ instructions

INSTRUCTION_ORDER = keyset.Order(first=Instruction.deadline, ties=(Instruction.id,), first_desc=False,
                                 kinds=("date", "int"))


def board_status(status: str, deadline: dt.date | None, today: dt.date) -> str:
    """The column an instruction sits in: its status, or overdue when open past its deadline.

    >>> board_status("in_progress", dt.date(2021, 7, 1), dt.date(2021, 8, 1))
    'overdue'
    >>> board_status("done", dt.date(2021, 7, 1), dt.date(2021, 8, 1))
    'done'
    """
    if status != "done" and deadline is not None and deadline < today:
        return "overdue"
    return status


def contains_text(column: Any, text: str) -> Any:
    """SQL: the column contains the text, in the case forms a name or title takes (SQLite's lower()
    leaves Cyrillic alone)."""
    text = text.strip()
    return or_(*(column.contains(form, autoescape=True) for form in {text, text.lower(), text.capitalize(),
                                                                     text.title()}))


def list_instructions(session: Session, *, status: str | None = None, document_id: int | None = None,
                      territory_id: int | None = None, open_only: bool = False,
                      today: dt.date | None = None, limit: int = 100,
                      offset: int = 0, cursor: str | None = None, issuer: str | None = None,
                      body: str | None = None, year: int | None = None) -> keyset.Page:
    """Instructions with their board column and status history, soonest deadline first (none last);
    status may be 'overdue'. A page at a time (``cursor``: the ``next`` of the page before).

    ``issuer`` and ``body`` (the responsible body, as the addressee is written) match a part of the
    name; ``year`` is the year of the document that gave the instruction."""
    limit, offset = _page(limit, offset)
    today = today or dt.date.today()
    who = aliased(Person)
    query = select(Instruction, who.full_name).outerjoin(who, who.id == Instruction.issuer_id)
    if issuer:
        query = query.where(or_(contains_text(who.full_name, issuer), contains_text(Instruction.issuer_text, issuer)))
    if body:
        query = query.where(contains_text(Instruction.addressee, body))
    if year is not None:
        query = query.where(Instruction.document_id.in_(select(Document.id).where(
            Document.published >= dt.date(year, 1, 1), Document.published <= dt.date(year, 12, 31))))
    if status == "overdue":
        query = query.where(Instruction.status != "done", Instruction.deadline < today)
    elif status is not None:
        if status not in STATUSES:
            raise InvalidInput(f"expected a status among {', '.join(BOARD)}, got {status!r}")
        query = query.where(Instruction.status == status)
        if status != "done":
            query = query.where(or_(Instruction.deadline.is_(None), Instruction.deadline >= today))
    if open_only:
        query = query.where(Instruction.status != "done")
    if document_id is not None:
        query = query.where(Instruction.document_id == document_id)
    if territory_id is not None:
        query = query.where(about(territory_id, Instruction.document_id))
    total, estimated = keyset.bounded_count(session.scalar, query)
    rows, next_cursor = keyset.read_page(_rows_of(session), query, INSTRUCTION_ORDER, limit=limit, offset=offset,
                                         cursor=cursor, key=lambda r: (r[0].deadline, r[0].id))
    history: dict[int, list[dict[str, Any]]] = {}
    if rows:
        for h in session.scalars(select(InstructionStatus)
                                 .where(InstructionStatus.instruction_id.in_([i.id for i, _ in rows]))
                                 .order_by(InstructionStatus.changed_at, InstructionStatus.id)):
            history.setdefault(h.instruction_id, []).append(
                {"status": h.status, "changed_at": h.changed_at, "changed_by": h.changed_by, "note": h.note})
    return keyset.Page([
        {"id": i.id, "document_id": i.document_id, "ordinal": i.ordinal, "issuer": name or i.issuer_text,
         "text": i.text, "addressee": i.addressee, "deadline": i.deadline, "deadline_text": i.deadline_text,
         "status": i.status, "board": board_status(i.status, i.deadline, today),
         "span_start": i.span_start, "span_stop": i.span_stop, "history": history.get(i.id, [])}
        for i, name in rows], total, next_cursor, estimated)


def instruction_years(session: Session) -> list[int]:
    """Years of the documents that gave instructions, newest first (the board's year filter)."""
    days = session.scalars(select(Document.published).where(
        Document.id.in_(select(Instruction.document_id)), Document.published.is_not(None)).distinct())
    return sorted({d.year for d in days}, reverse=True)


def indicators_of_territory(session: Session, territory_id: int) -> list[tuple[str, str]]:
    """(code, name) of the indicators a territory has figures of, by name (a table's filter)."""
    return [(c, n) for c, n in session.execute(
        select(Indicator.code, Indicator.name).where(Indicator.id.in_(
            select(Fact.indicator_id).where(Fact.territory_id == territory_id).distinct())).order_by(Indicator.name))]


def organizations_with_posts(session: Session, limit: int = 300) -> list[str]:
    """Names of the organizations someone held a post in, by how many posts (a filter's choices)."""
    n = func.count(Post.id)
    return list(session.scalars(select(Organization.name).join(Post, Post.organization_id == Organization.id)
                                .group_by(Organization.name).order_by(n.desc(), Organization.name).limit(limit)))


def with_sources(session: Session, rows: list[dict[str, Any]]) -> None:
    """Give each row (an instruction or a figure) its document's date, title, link and the sentence
    it stands in."""
    from qala.store.export import sentence_around

    docs = {d.id: d for d in session.scalars(select(Document).where(
        Document.id.in_({r["document_id"] for r in rows})))} if rows else {}
    for r in rows:
        d = docs.get(r["document_id"])
        r.update(published=d.published if d else None, title=d.title if d else None, url=d.url if d else None,
                 sentence=sentence_around(d.text or "", r["span_start"], r["span_stop"]) if d and d.text else None)


def set_instruction_status(session: Session, *, instruction_id: int, status: str, user: str,
                           note: str | None = None) -> dict[str, Any]:
    """Change an instruction's status and keep the change in its history."""
    if status not in STATUSES:
        raise InvalidInput(f"expected a status among {', '.join(STATUSES)}, got {status!r}")
    item = session.get(Instruction, instruction_id)
    if item is None:
        raise NotFound(f"expected an existing instruction id, got {instruction_id}")
    item.status = status
    session.add(InstructionStatus(instruction_id=item.id, status=status, changed_by=user,
                                  note=(note or "").strip()[:2000] or None))
    session.flush()
    rows, _ = list_instructions(session, document_id=item.document_id, limit=MAX_LIMIT)
    return next(r for r in rows if r["id"] == item.id)


# ================================================================ adding a document

def add_document(engine: Any, *, text: str, url: str | None = None, published: str | None = None,
                 source: str | None = None, title: str | None = None, path: str | None = None,
                 max_bytes: int = 50 * 1024 * 1024) -> dict[str, Any]:
    """Ingest one pasted or uploaded text (qala.ingest does the work); returns {id, status}.

    A text already stored returns the stored document; one that cannot be extracted raises.
    Fields are checked first (see ``clean_fields``); the server calls this in a worker process.
    """
    from qala.errors import TooLarge
    from qala.ingest.batch import ingest_items
    from qala.store.ingest import IncomingDocument, content_hash

    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise TooLarge(f"expected at most {max_bytes} bytes, got {size}")
    fields = clean_fields(text=text, url=url, published=published, source=source, title=title)
    results = []
    ingest_items(engine, [IncomingDocument(path=path, **fields)], on_result=results.append)
    result = results[0]
    if result.status == "failed":
        raise InvalidInput(result.error or "the document could not be ingested")
    doc_id = result.document_id
    if doc_id is None:
        with engine.connect() as conn:
            doc_id = conn.scalar(select(Document.id).where(Document.content_hash == content_hash(text)))
    return {"id": doc_id, "status": result.status}


def clean_fields(*, text: str, url: str | None = None, published: str | None = None, source: str | None = None,
                 title: str | None = None) -> dict[str, Any]:
    """A document's fields as they may be stored, or InvalidInput naming the first bad one: no NUL
    or lone surrogate anywhere, an http(s) URL only, a real publication date."""
    from qala.clean import check_text, check_url
    from qala.errors import EmptyDocument
    from qala.text import parse_published

    check_text(text, "text")
    if not text.strip():
        raise EmptyDocument("expected a document with text, got only whitespace")
    for name, value in (("source", source), ("title", title), ("published", published)):
        check_text(value, name)
    published = (published or "").strip()
    return {"text": text, "url": check_url(url), "published": parse_published(published) if published else None,
            "source": (source or "").strip() or None, "title": (title or "").strip() or None}

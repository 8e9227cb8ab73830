"""Read functions over the store, shared by the CLI, the API and the web pages.

Each takes a ``db`` (an Engine, a Connection or a Session) and keyword-only filters, and returns
plain dicts (JSON-ready except dates, which are ``datetime.date``). Lists come newest first
where there is a date; ``count_*`` twins take the same filters for paging.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, Date, Engine, Integer, Select, bindparam, case, false, func, or_, select
from sqlalchemy.orm import Session, aliased

from qala.errors import InvalidInput, NotFound
from qala.periods import parse_period
from qala.store import keyset
from qala.store import schema as s
from qala.store.records import contains_text
from qala.store.resolve import normalize_indicator, normalize_territory

Db = Engine | Connection | Session


@contextlib.contextmanager
def _conn(db: Db) -> Iterator[Connection | Session]:
    if isinstance(db, Engine):
        with db.connect() as conn:
            yield conn
    else:
        yield db


def _rows(db: Db, query: Select) -> list[dict[str, Any]]:
    with _conn(db) as conn:
        return [dict(row._mapping) for row in conn.execute(query)]


def _scalar(db: Db, query: Select) -> Any:
    with _conn(db) as conn:
        return conn.execute(query).scalar()


# ================================================================ facts

def _territory_ids(db: Db, territory: str) -> list[int]:
    """Territories a filter names: a KATO code, or a name/alias in any case form."""
    T, TA = s.Territory, s.TerritoryAlias
    by_kato = _rows(db, select(T.id).where(T.kato == territory.strip()))
    if by_kato:
        return [r["id"] for r in by_kato]
    key = normalize_territory(territory)
    return [r["id"] for r in _rows(db, select(TA.territory_id.label("id")).where(TA.alias == key).distinct())]


def _indicator_ids(db: Db, indicator: str) -> list[int]:
    """Indicators a filter names: a code ("industrial_output"), or a phrase matching an alias."""
    I, IA = s.Indicator, s.IndicatorAlias
    by_code = _rows(db, select(I.id).where(I.code == indicator.strip()))
    if by_code:
        return [r["id"] for r in by_code]
    key = normalize_indicator(indicator)
    return [r["id"] for r in _rows(db, select(IA.indicator_id.label("id")).where(IA.alias == key))]


def _fact_column(name: str, reviewed: bool):
    """A fact's column, as reviewed (an analyst's correction first) or as extracted."""
    column = getattr(s.Fact, name)
    return func.coalesce(getattr(s.FactOverlay, name), column) if reviewed and name in s.OVERLAID else column


def _review_status():
    """unverified | verified (confirmed as extracted) | corrected | rejected, from the fact's reviews."""
    O = s.FactOverlay
    corrected = or_(*(getattr(O, name).is_not(None) for name in s.OVERLAID))
    return case((O.hidden.is_(True), "rejected"), (corrected, "corrected"), (O.verified.is_(True), "verified"),
                else_="unverified").label("review_status")


def _facts_query(db: Db, columns: list, *, territory: str | None, indicator: str | None,
                 period: str | None, document_id: int | None, reviewed: bool = True) -> Select:
    """``reviewed``: rejected facts left out and filters read corrected values (else as extracted)."""
    F, D, O = s.Fact, s.Document, s.FactOverlay
    query = (select(*columns).select_from(F).join(D, D.id == F.document_id)
             .outerjoin(O, O.fact_id == F.id).where(D.status == "ok"))
    if reviewed:
        query = query.where(func.coalesce(O.hidden, False).is_(False))
    return _filtered(db, query, territory=territory, indicator=indicator, period=period, document_id=document_id,
                     reviewed=reviewed)


def _filtered(db: Db, query: Select, *, territory: str | None, indicator: str | None, period: str | None,
              document_id: int | None, reviewed: bool) -> Select:
    """The fact filters the lists take, read as reviewed (corrections first) or as extracted."""
    if territory:
        query = query.where(_fact_column("territory_id", reviewed).in_(_territory_ids(db, territory)))
    if indicator:
        query = query.where(_fact_column("indicator_id", reviewed).in_(_indicator_ids(db, indicator)))
    if period:
        p = _period(period)
        query = query.where(_fact_column("period_start", reviewed) >= p.start,
                            _fact_column("period_end", reviewed) <= p.end)
    if document_id is not None:
        query = query.where(s.Fact.document_id == document_id)
    return query


def list_facts(db: Db, *, territory: str | None = None, indicator: str | None = None,
               period: str | None = None, document_id: int | None = None, reviewed: bool = True,
               limit: int | None = 100, offset: int = 0) -> list[dict[str, Any]]:
    """Facts of documents that are not duplicates, with their indicator, territory, source and
    review status, newest period first (then the newest document, and its figures from the last:
    one direction, so an index read backwards gives the order; see ``FACT_ORDER``).

    ``territory``: KATO code or name ("Алматы", "г. Алматы"); ``indicator``: code or phrase;
    ``period``: facts whose period lies within it ("2020" also gives "2020-01..2020-06").
    ``reviewed`` (the default): as analysts left them, rejected facts out and corrections in;
    False: every fact as extracted (the document page, which shows the reviews beside them).
    A page (``limit``) is read by keyset: see ``facts_page``.
    """
    if limit is None:
        query = (_facts_query(db, _fact_columns(reviewed), territory=territory, indicator=indicator, period=period,
                              document_id=document_id, reviewed=reviewed)
                 .order_by(_fact_column("period_start", reviewed).desc().nulls_last(), s.Fact.document_id.desc(),
                           s.Fact.ordinal.desc()).offset(offset))
        return _rows(db, _with_names(query, reviewed))
    rows, _ = facts_page(db, territory=territory, indicator=indicator, period=period, document_id=document_id,
                         reviewed=reviewed, limit=limit, offset=offset)
    return rows


def _fact_columns(reviewed: bool) -> list:
    F, D, I, T, S = s.Fact, s.Document, s.Indicator, s.Territory, s.Source

    def col(name: str):
        return _fact_column(name, reviewed).label(name)
    return [F.id, F.document_id, F.ordinal, I.code.label("indicator"), F.indicator_text,
            T.kato.label("territory_kato"), T.name.label("territory"), F.territory_text, F.period,
            col("period_start"), col("period_end"), col("granularity"), col("value"), col("unit"), F.object,
            F.approx, col("change_kind"), col("change_value"), col("change_direction"), F.change_base_period,
            F.span_start, F.span_stop, D.url, D.published, S.name.label("source"), _review_status()]


def _with_names(query: Select, reviewed: bool) -> Select:
    I, T, S, D = s.Indicator, s.Territory, s.Source, s.Document
    return (query.outerjoin(I, I.id == _fact_column("indicator_id", reviewed))
            .outerjoin(T, T.id == _fact_column("territory_id", reviewed))
            .outerjoin(S, S.id == D.source_id))


# The order of fact lists: the ix_facts_page* indexes (period_start, document_id, ordinal) read backwards.
FACT_ORDER = keyset.Order(first=s.Fact.period_start, ties=(s.Fact.document_id, s.Fact.ordinal), ties_desc=True,
                          kinds=("date", "int", "int"))


def _filter_ids(db: Db, territory: str | None, indicator: str | None) -> tuple[list[int] | None, list[int] | None]:
    return (_territory_ids(db, territory) if territory else None,
            _indicator_ids(db, indicator) if indicator else None)


def _in(column, ids: list[int]):
    """Equality for one id (the index then gives the order too), IN for several."""
    return column == ids[0] if len(ids) == 1 else column.in_(ids)


def has_reviews(db: Db) -> bool:
    """Whether any fact was reviewed (the overlay is read only then)."""
    return _scalar(db, select(s.FactOverlay.fact_id).limit(1)) is not None


def fact_key_queries(db: Db, *, territory: str | None = None, indicator: str | None = None,
                     period: str | None = None, document_id: int | None = None, reviewed: bool = True,
                     after: tuple | None = None, overlay: bool | None = None) -> tuple[list[Select], dict[str, Any]]:
    """The keyset queries (ids and keys of facts nobody reviewed, or every fact as extracted) whose
    rows, in turn, are the facts after `after`, and their parameters: each an index range read on
    facts (see the EXPLAIN tests in tests/store/test_plans.py). Reviewed facts come from
    ``_reviewed_keys``. The statements are built once per shape of the filters."""
    tids, iids = _filter_ids(db, territory, indicator)
    if tids == [] or iids == []:
        return [], {}
    params: dict[str, Any] = {}
    for name, ids in (("t", tids), ("i", iids)):
        if ids is not None:
            params[name] = ids[0] if len(ids) == 1 else ids
    if period:
        p = _period(period)
        params.update(ps=p.start, pe=p.end)
    if document_id is not None:
        params["doc"] = document_id
    if after is not None:
        params.update({f"k{i}": v for i, v in enumerate(after) if v is not None})
    shape = (0 if tids is None else min(len(tids), 2), 0 if iids is None else min(len(iids), 2), bool(period),
             document_id is not None, bool(reviewed and (has_reviews(db) if overlay is None else overlay)),
             None if after is None else after[0] is None)
    return _key_segments(shape), params


@functools.lru_cache(maxsize=512)
def _key_segments(shape: tuple) -> list[Select]:
    F, D, O = s.Fact, s.Document, s.FactOverlay
    n_territories, n_indicators, period, document, overlay, after_null = shape
    # the document's status as a probe per row read (a join let SQLite build a Bloom filter over
    # every document for each page)
    base = (select(F.id, F.period_start, F.document_id, F.ordinal).select_from(F)
            .where(select(D.id).where(D.id == F.document_id, D.status == "ok").exists()))
    if overlay:
        base = base.where(~select(O.fact_id).where(O.fact_id == F.id).exists())
    for column, n, name in ((F.territory_id, n_territories, "t"), (F.indicator_id, n_indicators, "i")):
        if n == 1:
            base = base.where(column == bindparam(name, type_=Integer))
        elif n == 2:
            base = base.where(column.in_(bindparam(name, type_=Integer, expanding=True)))
    if period:
        base = base.where(F.period_start >= bindparam("ps", type_=Date), F.period_end <= bindparam("pe", type_=Date))
    if document:
        base = base.where(F.document_id == bindparam("doc", type_=Integer))
    after = None
    if after_null is not None:
        after = (None if after_null else bindparam("k0", type_=Date), bindparam("k1", type_=Integer),
                 bindparam("k2", type_=Integer))
    return keyset.segments(base, FACT_ORDER, after)


def _period(period: str):
    p = parse_period(period)
    if p is None:
        raise InvalidInput(f"expected a period like 2020, 2021-2024 or 2021-01..2021-08, got {period!r}")
    return p


def _reviewed_keys(db: Db, *, territory: str | None, indicator: str | None, period: str | None,
                   document_id: int | None, after: tuple | None) -> list[tuple]:
    """(id, period_start, document_id, ordinal) of reviewed facts that pass the filters as corrected
    (rejected ones left out), after `after`, in order: few rows, read from the overlay's side."""
    F, D, O = s.Fact, s.Document, s.FactOverlay
    start = _fact_column("period_start", True)
    query = (select(F.id, start, F.document_id, F.ordinal).select_from(O).join(F, F.id == O.fact_id)
             .join(D, D.id == F.document_id).where(D.status == "ok", O.hidden.is_(False)))
    query = _filtered(db, query, territory=territory, indicator=indicator, period=period, document_id=document_id,
                      reviewed=True)
    with _conn(db) as conn:
        rows = [tuple(r) for r in conn.execute(query)]
    rows = [(i, _as_date(ps), d, o) for i, ps, d, o in rows]
    if after is not None:
        mark = keyset.sort_key(FACT_ORDER, after)
        rows = [r for r in rows if keyset.sort_key(FACT_ORDER, r[1:]) > mark]
    return sorted(rows, key=lambda r: keyset.sort_key(FACT_ORDER, r[1:]))


def _as_date(value: Any) -> Any:
    if isinstance(value, str):  # SQLite hands back a coalesced date as its text
        return dt.date.fromisoformat(value[:10])
    return value


def fact_keys(db: Db, *, territory: str | None = None, indicator: str | None = None, period: str | None = None,
              document_id: int | None = None, reviewed: bool = True, after: tuple | None = None,
              n: int | None = 100) -> list[tuple]:
    """(id, period_start, document_id, ordinal) of the first `n` facts after `after`, as reviewed or
    as extracted: unreviewed facts by keyset over the indexes, reviewed ones merged in."""
    overlay = reviewed and has_reviews(db)
    filters = {"territory": territory, "indicator": indicator, "period": period, "document_id": document_id}

    queries, params = fact_key_queries(db, **filters, reviewed=reviewed, after=after, overlay=overlay)

    def execute(query: Select) -> list[tuple]:
        with _conn(db) as conn:
            return [tuple(r) for r in conn.execute(query, params)]
    rows = keyset.run(execute, queries, n)
    if overlay:
        rows = sorted(rows + _reviewed_keys(db, **filters, after=after),
                      key=lambda r: keyset.sort_key(FACT_ORDER, r[1:]))
    return rows if n is None else rows[:n]


def facts_page(db: Db, *, territory: str | None = None, indicator: str | None = None, period: str | None = None,
               document_id: int | None = None, reviewed: bool = True, limit: int = 100, offset: int = 0,
               cursor: str | None = None) -> tuple[list[dict[str, Any]], str | None]:
    """One page of ``list_facts`` and the cursor of the next one (None at the end). ``offset`` is
    for small offsets only (up to keyset.MAX_OFFSET); beyond, follow the cursor."""
    keyset.check_offset(offset, cursor)
    after = keyset.decode(cursor, FACT_ORDER.kinds) if cursor else None
    keys = fact_keys(db, territory=territory, indicator=indicator, period=period, document_id=document_id,
                     reviewed=reviewed, after=after, n=offset + limit + 1)
    more = len(keys) > offset + limit
    keys = keys[offset:offset + limit]
    if not keys:
        return [], None
    with _conn(db) as conn:
        found = {r["id"]: dict(r) for r in conn.execute(_rows_by_id(reviewed), {"ids": [k[0] for k in keys]})
                 .mappings()}
    rows = [found[k[0]] for k in keys if k[0] in found]
    return rows, (keyset.encode(keys[-1][1:]) if more else None)


@functools.cache
def _rows_by_id(reviewed: bool) -> Select:
    """Facts by id (an expanding ``ids`` parameter) with what list_facts shows: built once."""
    query = _facts_query(None, _fact_columns(reviewed), territory=None, indicator=None, period=None,
                         document_id=None, reviewed=False)
    return _with_names(query.where(s.Fact.id.in_(bindparam("ids", expanding=True))), reviewed)


COUNT_EXACT_UP_TO = 1_000  # counted exactly (a bounded read of ids); beyond, an estimate


def count_facts_bounded(db: Db, *, territory: str | None = None, indicator: str | None = None,
                        period: str | None = None, reviewed: bool = True) -> int | None:
    """The exact count when there are at most COUNT_EXACT_UP_TO facts, else None (a bounded read)."""
    keys = fact_keys(db, territory=territory, indicator=indicator, period=period, reviewed=reviewed,
                     n=COUNT_EXACT_UP_TO + 1)
    return len(keys) if len(keys) <= COUNT_EXACT_UP_TO else None


def estimate_facts(db: Db, *, territory: str | None = None, indicator: str | None = None,
                   period: str | None = None) -> int:
    """About how many facts pass the filters: counted on the facts' own indexes (as extracted,
    without the documents' status or the reviews); with no filter, from the ids' range."""
    F = s.Fact
    if not (territory or indicator or period):
        low, high = _scalar(db, select(func.min(F.id))), _scalar(db, select(func.max(F.id)))  # one each: indexed
        return 0 if high is None else high - low + 1
    tids, iids = _filter_ids(db, territory, indicator)
    query = select(func.count()).select_from(F)
    if tids is not None:
        query = query.where(_in(F.territory_id, tids) if tids else false())
    if iids is not None:
        query = query.where(_in(F.indicator_id, iids) if iids else false())
    if period:
        p = _period(period)
        query = query.where(F.period_start >= p.start, F.period_end <= p.end)
    return _scalar(db, query) or 0


def fact_by_id(db: Db, fact_id: int, *, reviewed: bool = True) -> dict[str, Any]:
    """One fact as list_facts shows it, by its id (a primary-key read); NotFound when there is none
    or (as reviewed) it was rejected."""
    query = _with_names(_facts_query(db, _fact_columns(reviewed), territory=None, indicator=None, period=None,
                                     document_id=None, reviewed=reviewed).where(s.Fact.id == fact_id), reviewed)
    rows = _rows(db, query)
    if not rows:
        raise NotFound(f"expected the id of a stored fact, got {fact_id}")
    return rows[0]


def count_facts(db: Db, *, territory: str | None = None, indicator: str | None = None,
                period: str | None = None, document_id: int | None = None, reviewed: bool = True) -> int:
    return _scalar(db, _facts_query(db, [func.count(s.Fact.id)], territory=territory, indicator=indicator,
                                     period=period, document_id=document_id, reviewed=reviewed))


TABLE_SORTS = {"period": "period_start", "value": "value", "indicator": "indicator", "published": "published"}
KINDS = ("year", "half", "quarter", "month", "range", "day")  # Fact.granularity


def territory_table(db: Db, *, territory_id: int, indicator: str | None = None, period: str | None = None,
                    kind: str | None = None, reviewed_only: bool = False, sort: str = "period", descending: bool = True,
                    limit: int = 100, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """One territory's figures as analysts left them, filtered and sorted, a page at a time, with
    their count: ``kind`` a granularity (KINDS), ``reviewed_only`` the confirmed and corrected ones,
    ``sort`` a key of TABLE_SORTS. The territory page's table and its downloads."""
    if sort not in TABLE_SORTS:
        raise InvalidInput(f"expected a sort among {', '.join(TABLE_SORTS)}, got {sort[:20]!r}")
    if kind and kind not in KINDS:
        raise InvalidInput(f"expected a kind of period among {', '.join(KINDS)}, got {kind[:20]!r}")
    if not 0 <= offset <= keyset.MAX_OFFSET:
        raise InvalidInput(f"expected an offset between 0 and {keyset.MAX_OFFSET}, got {offset}")
    F, O = s.Fact, s.FactOverlay

    def narrowed(query: Select) -> Select:
        query = query.where(_fact_column("territory_id", True) == territory_id)
        if kind:
            query = query.where(_fact_column("granularity", True) == kind)
        if reviewed_only:
            query = query.where(or_(O.verified.is_(True), *(getattr(O, n).is_not(None) for n in s.OVERLAID)))
        return query

    count = _scalar(db, narrowed(_facts_query(db, [func.count(F.id)], territory=None, indicator=indicator,
                                              period=period, document_id=None)))
    query = _with_names(narrowed(_facts_query(db, _fact_columns(True), territory=None, indicator=indicator,
                                              period=period, document_id=None)), True)
    column = {"indicator": s.Indicator.code, "published": s.Document.published}.get(
        sort, _fact_column(TABLE_SORTS[sort], True))
    order = column.desc().nulls_last() if descending else column.asc().nulls_last()
    rows = _rows(db, query.order_by(order, F.document_id.desc(), F.ordinal).offset(offset).limit(limit))
    return rows, count


# ================================================================ persons and instructions

def list_persons(db: Db, *, name: str | None = None, limit: int | None = 100,
                 offset: int = 0) -> list[dict[str, Any]]:
    """Persons with the name forms seen, their posts (newest first) and how many documents name them."""
    P, N, Po, M = s.Person, s.PersonName, s.Post, s.PersonMention
    query = select(P.id, P.full_name).order_by(P.full_name).offset(offset).limit(limit)
    if name:
        query = query.where(contains_text(P.full_name, name) | P.surname.contains(name.lower().replace("ё", "е")))
    persons = _rows(db, query)
    ids = [p["id"] for p in persons]
    forms: dict[int, list[str]] = {}
    for r in _rows(db, select(N.person_id, N.form).where(N.person_id.in_(ids)).order_by(N.id)):
        forms.setdefault(r["person_id"], []).append(r["form"])
    posts: dict[int, list[dict[str, Any]]] = {}
    for r in _rows(db, select(Po.person_id, Po.title, s.Organization.name.label("organization"), Po.document_id,
                              Po.as_of).outerjoin(s.Organization, s.Organization.id == Po.organization_id)
                   .where(Po.person_id.in_(ids)).order_by(Po.as_of.desc().nulls_last(), Po.id)):
        posts.setdefault(r.pop("person_id"), []).append(r)
    docs = {r["person_id"]: r["n"] for r in _rows(db, select(M.person_id, func.count(
        func.distinct(M.document_id)).label("n")).where(M.person_id.in_(ids)).group_by(M.person_id))}
    for p in persons:
        p.update(forms=forms.get(p["id"], []), posts=posts.get(p["id"], []), documents=docs.get(p["id"], 0))
    return persons


def list_instructions(db: Db, *, status: str | None = None, issuer: str | None = None,
                      document_id: int | None = None, limit: int | None = 100,
                      offset: int = 0) -> list[dict[str, Any]]:
    """Instructions with their issuer, deadline and current status, newest document first."""
    In, P, D = s.Instruction, s.Person, s.Document
    query = (select(In.id, In.document_id, In.ordinal, func.coalesce(P.full_name, In.issuer_text).label("issuer"),
                    In.text, In.addressee, In.deadline_text, In.deadline, In.status, In.span_start,
                    In.span_stop, D.url, D.published)
             .join(D, D.id == In.document_id).outerjoin(P, P.id == In.issuer_id)
             .where(D.status == "ok")
             .order_by(D.published.desc().nulls_last(), In.document_id, In.ordinal).offset(offset).limit(limit))
    if status:
        query = query.where(In.status == status)
    if issuer:
        query = query.where(contains_text(func.coalesce(P.full_name, In.issuer_text), issuer))
    if document_id is not None:
        query = query.where(In.document_id == document_id)
    return _rows(db, query)


# ================================================================ documents

def _documents_query(columns: list, *, status: str | None, source: str | None) -> Select:
    D, S = s.Document, s.Source
    query = select(*columns).select_from(D).outerjoin(S, S.id == D.source_id)
    if status:
        query = query.where(D.status == status)
    if source:
        query = query.where(S.name == source)
    return query


def list_documents(db: Db, *, status: str | None = None, source: str | None = None,
                   limit: int | None = 100, offset: int = 0) -> list[dict[str, Any]]:
    """Documents without their text: status ok | duplicate | failed, error, near-duplicate link, fact count."""
    D, S, F = s.Document, s.Source, s.Fact
    n_facts = select(func.count(F.id)).where(F.document_id == D.id).scalar_subquery()
    columns = [D.id, D.url, D.path, D.title, D.published, D.published_text, S.name.label("source"),
               D.language, D.status, D.error, D.near_duplicate_of, D.content_hash, D.ingested_at,
               n_facts.label("facts")]
    query = _documents_query(columns, status=status, source=source)
    return _rows(db, query.order_by(D.published.desc().nulls_last(), D.id.desc()).offset(offset).limit(limit))


def count_documents(db: Db, *, status: str | None = None, source: str | None = None) -> int:
    return _scalar(db, _documents_query([func.count(s.Document.id)], status=status, source=source))


def get_document(db: Db, id: int) -> dict[str, Any]:
    """One document with its text and everything stored from it; NotFound if there is none."""
    D, S = s.Document, s.Source
    rows = _rows(db, select(D.id, D.url, D.path, D.title, D.text, D.published, D.published_text,
                            S.name.label("source"), D.language, D.status, D.error, D.near_duplicate_of,
                            D.content_hash, D.extractor_version, D.ingested_at)
                 .outerjoin(S, S.id == D.source_id).where(D.id == id))
    if not rows:
        raise NotFound(f"expected an existing document id, got {id}")
    doc = rows[0]
    P, M, Po = s.Person, s.PersonMention, s.Post
    doc["facts"] = list_facts(db, document_id=id, reviewed=False, limit=None) if doc["status"] == "ok" else []
    doc["instructions"] = list_instructions(db, document_id=id, limit=None)
    doc["persons"] = _rows(db, select(P.id, P.full_name, func.min(M.span_start).label("first_mention"))
                           .join(M, M.person_id == P.id).where(M.document_id == id)
                           .group_by(P.id, P.full_name).order_by("first_mention"))
    doc["posts"] = _rows(db, select(Po.person_id, P.full_name, Po.title, s.Organization.name.label("organization"))
                         .join(P, P.id == Po.person_id)
                         .outerjoin(s.Organization, s.Organization.id == Po.organization_id)
                         .where(Po.document_id == id).order_by(Po.id))
    Pr, PM = s.Program, s.ProgramMention
    doc["programs"] = _rows(db, select(Pr.id, Pr.name, Pr.kind, Pr.period, PM.span_start, PM.span_stop)
                            .join(PM, PM.program_id == Pr.id).where(PM.document_id == id).order_by(PM.id))
    Me, MP = s.Meeting, s.MeetingParticipant
    meetings = _rows(db, select(Me.id, Me.kind, Me.title, Me.date, Me.place, Me.chair_text.label("chair"),
                                Me.topics, Me.span_start, Me.span_stop).where(Me.document_id == id)
                     .order_by(Me.id))
    for meeting in meetings:
        meeting["participants"] = _rows(db, select(MP.name, MP.role, MP.person_id)
                                        .where(MP.meeting_id == meeting["id"]).order_by(MP.id))
    doc["meetings"] = meetings
    return doc


# ================================================================ reference data

def list_territories(db: Db) -> list[dict[str, Any]]:
    T = s.Territory
    parent = aliased(T)
    return _rows(db, select(T.id, T.kato, T.name, T.kind, parent.kato.label("parent_kato"))
                 .outerjoin(parent, parent.id == T.parent_id).order_by(T.kato))


def list_indicators(db: Db) -> list[dict[str, Any]]:
    I = s.Indicator
    parent = aliased(I)
    return _rows(db, select(I.id, I.code, I.name, I.unit_family, parent.code.label("parent"))
                 .outerjoin(parent, parent.id == I.parent_id).order_by(I.code))

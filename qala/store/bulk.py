"""A document's rows written in as few statements as the database allows (inside the caller's transaction).

Each statement to PostgreSQL is a round trip to another process, so there the document, its simhash
bands and every child row (facts, person mentions, posts, program mentions, instructions and their
first status, meetings and their participants) go in as ONE statement: data-modifying CTEs over ONE
parameter, the document as JSON, each table's rows read from it by the table's own row type
(``jsonb_populate_record``). One JSON text is dumped in C, where dozens of array parameters were
adapted value by value in Python; and the statement's text depends only on which tables have rows,
so the server plans each shape once. One statement is atomic by itself, so the ingest connection
runs in autocommit there and opens a transaction block (``begin_block``) only for a document that
writes anything else first (a new person, program or source): most documents cost no BEGIN and
COMMIT round trips. SQLite runs in this process, where plain executemany per table is as cheap.

    doc_id = insert_document(session, values, bands, {schema.Fact.__table__: [row, ...]})

Participant rows name their meeting by its place in the meeting rows (``"meeting": 0``), as the
meetings' ids are not known before the statement runs.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import JSON, Connection, Table, TextClause, insert, text
from sqlalchemy.orm import Session

from qala.store import schema

# The document columns ingest sets (the rest take their defaults).
DOCUMENT_KEYS = ("content_hash", "fingerprint", "text", "url", "path", "title", "published", "published_text",
                 "source_id", "language", "status", "near_duplicate_of", "extractor_version", "ingested_at")
# The status-history row each new instruction starts with (and the time it is written).
FIRST_STATUS = {"status": "new", "changed_by": "ingest", "note": "extracted"}
MEETING = "meeting"  # the participant rows' key for their meeting's position among the meeting rows
ANALYZE_AT = frozenset(100 * 4 ** i for i in range(16))  # documents written by one run: 100, 400, 1600...

Row = dict[str, Any]


def on_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def begin_block(session: Session) -> None:
    """Open a transaction block on an autocommit PostgreSQL connection unless one is open (a no-op
    elsewhere): called before any write that must commit or roll back together with the document."""
    if not on_postgres(session):
        return
    from psycopg.pq import TransactionStatus

    driver = session.connection().connection.driver_connection
    if driver.autocommit and driver.info.transaction_status == TransactionStatus.IDLE:
        session.execute(text("BEGIN"))


def keep_statistics(connection: Connection, written: int) -> None:
    """ANALYZE what the near-duplicate look-up reads once a run has written 100, 400, 1,600... documents.

    A store that starts empty grows faster than autovacuum looks at it (some servers run without
    it): the look-up's cached plan, made while documents held a few rows, then scans the whole table
    for every new document. ANALYZE tells the planner the real size and drops the stale plans.
    """
    if written in ANALYZE_AT and connection.dialect.name == "postgresql":
        connection.execute(text("ANALYZE documents, document_bands"))
        connection.commit()  # ends the connection's own (autocommit) transaction: the next session begins anew


def insert_document(session: Session, values: Row, bands: Sequence[int],
                    children: Mapping[Table, Sequence[Row]] | None = None) -> int:
    """Insert one document (``values`` keyed by DOCUMENT_KEYS), its bands and its child rows (by
    table, without document_id; instructions get their first status; participants name their
    meeting by position); returns the document's id."""
    now = dt.datetime.now(dt.UTC)
    values = {key: values.get(key) for key in DOCUMENT_KEYS} | {"ingested_at": now}
    children = {table: rows for table, rows in (children or {}).items() if rows}
    status = FIRST_STATUS | {"changed_at": now}
    if on_postgres(session):
        payload = _payload(session, values, bands, children, status)
        if payload is not None:
            shape = tuple((table, tuple(rows[0])) for table, rows in children.items())
            return session.execute(_document_statement(shape, tuple(status)), {"doc": payload}).scalar_one()
        begin_block(session)  # a value JSON cannot carry (NaN, infinity): table by table, in one block
    D, B = schema.Document.__table__, schema.DocumentBand.__table__
    M, P = schema.Meeting.__table__, schema.MeetingParticipant.__table__
    doc_id = session.execute(insert(D).returning(D.c.id), values).scalar_one()
    session.execute(insert(B), [{"document_id": doc_id, "band": band} for band in bands])
    meeting_ids: list[int] = []
    for table, rows in children.items():
        if table is P:
            session.execute(insert(P), [{k: v for k, v in row.items() if k != MEETING}
                                        | {"meeting_id": meeting_ids[row[MEETING]]} for row in rows])
            continue
        rows = [row | {"document_id": doc_id} for row in rows]
        if table is schema.Instruction.__table__:
            ids = insert_returning_ids(session, table, rows)
            session.execute(insert(schema.InstructionStatus.__table__),
                            [status | {"instruction_id": iid} for iid in ids])
        elif table is M:
            meeting_ids = insert_returning_ids(session, table, rows)
        else:
            session.execute(insert(table), rows)
    return doc_id


def insert_returning_ids(session: Session, table: Table, rows: Sequence[Row]) -> list[int]:
    """The new ids, in the order of ``rows`` (one statement wherever RETURNING is supported)."""
    if not rows:
        return []
    query = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(session.execute(query, rows).scalars())


# ================================================================ PostgreSQL: one statement

def _plain(value: Any) -> str:
    if isinstance(value, dt.date):  # and datetime: ISO 8601, which date and timestamptz read back exactly
        return value.isoformat()
    raise TypeError(f"expected a JSON value, a date or a datetime, got {type(value).__name__}")


def _payload(session: Session, values: Row, bands: Sequence[int], children: Mapping[Table, Sequence[Row]],
             status: Row) -> str | None:
    """The document as one JSON text, or None when a value has no JSON form (NaN, infinity).

    JSON columns travel as the text the dialect's own serializer makes (the per-table path stores
    exactly that text, None as JSON null), floats as their shortest repr, which float8 reads back to the same double.
    """
    dumps = getattr(session.get_bind().dialect, "_json_serializer", None) or json.dumps
    doc: dict[str, Any] = {"document": values, "bands": list(bands), "first_status": status}
    for table, rows in children.items():
        kept = [key for key in rows[0] if key in table.c and isinstance(table.c[key].type, JSON)]
        doc[table.name] = [row | {key: dumps(row[key]) for key in kept} for row in rows] if kept else rows
    try:
        return json.dumps(doc, default=_plain, allow_nan=False, ensure_ascii=False, separators=(",", ":"))
    except ValueError:
        return None


def _select_list(table: Table, keys: Sequence[str]) -> str:
    """r.key per column (the row read by the table's type); JSON columns from their text."""
    return ", ".join(f"(e.v ->> '{key}')::json" if isinstance(table.c[key].type, JSON) else f"r.{key}"
                     for key in keys)


def _rows(table: Table) -> str:
    """FROM items: the table's rows in the payload, in the order given, each read as the table's type."""
    return (f"payload p, jsonb_array_elements(p.j -> '{table.name}') WITH ORDINALITY e(v, n), "
            f"jsonb_populate_record(NULL::{table.name}, e.v) r")


@lru_cache(maxsize=256)
def _document_statement(shape: tuple[tuple[Table, tuple[str, ...]], ...], status_keys: tuple[str, ...]) -> TextClause:
    """WITH payload AS (SELECT CAST(:doc AS jsonb) j),
         new_document AS (INSERT INTO documents (...) SELECT r.... FROM jsonb_populate_record(...) r RETURNING id),
         new_document_bands AS (INSERT INTO document_bands SELECT d.id, b FROM new_document d, the bands b),
         new_facts AS (INSERT INTO facts SELECT d.id, r.... FROM new_document d, the facts e, their rows r ORDER BY e.n),
         ... one per child table; new_instructions RETURNING id, then their first status;
         new_meetings RETURNING id, numbered in the order given, their participants joined by number
    SELECT id FROM new_document"""
    D, I, H = schema.Document.__table__, schema.Instruction.__table__, schema.InstructionStatus.__table__
    M, P = schema.Meeting.__table__, schema.MeetingParticipant.__table__
    ctes = ["payload AS (SELECT CAST(:doc AS jsonb) j)",
            (f"new_document AS (INSERT INTO {D.name} ({', '.join(DOCUMENT_KEYS)}) "
             f"SELECT {', '.join(f'r.{key}' for key in DOCUMENT_KEYS)} FROM payload p, "
             f"jsonb_populate_record(NULL::{D.name}, p.j -> 'document') r RETURNING id)"),
            ("new_document_bands AS (INSERT INTO document_bands (document_id, band) "
             "SELECT d.id, b::integer FROM new_document d, payload p, jsonb_array_elements_text(p.j -> 'bands') b)")]
    for table, keys in shape:
        if table is P:  # after the meetings (ItemWriter adds tables in that order)
            columns = [key for key in keys if key != MEETING]
            ctes.append(f"new_meeting_participants AS (INSERT INTO meeting_participants (meeting_id, "
                        f"{', '.join(columns)}) SELECT m.id, {_select_list(P, columns)} FROM {_rows(P)}, "
                        f"new_meeting_numbers m WHERE m.n = (e.v ->> '{MEETING}')::integer ORDER BY e.n)")
            continue
        returning = " RETURNING id" if table is I or table is M else ""
        # ORDER BY the rows' place: ids are drawn in the order the rows were given
        ctes.append(f"new_{table.name} AS (INSERT INTO {table.name} (document_id, {', '.join(keys)}) "
                    f"SELECT d.id, {_select_list(table, keys)} FROM new_document d, {_rows(table)} "
                    f"ORDER BY e.n{returning})")
        if table is M:
            ctes.append("new_meeting_numbers AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n "
                        "FROM new_meetings)")
        elif table is I:
            ctes.append(f"new_instruction_status AS (INSERT INTO {H.name} (instruction_id, {', '.join(status_keys)}) "
                        f"SELECT i.id, {', '.join(f'r.{key}' for key in status_keys)} FROM new_instructions i, "
                        f"payload p, jsonb_populate_record(NULL::{H.name}, p.j -> 'first_status') r)")
    return text("WITH " + ",\n".join(ctes) + "\nSELECT id FROM new_document")


__all__ = ["DOCUMENT_KEYS", "FIRST_STATUS", "MEETING", "begin_block", "insert_document", "insert_returning_ids",
           "keep_statistics", "on_postgres"]

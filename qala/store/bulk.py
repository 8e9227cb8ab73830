"""A document's rows written in as few statements as the database allows (inside the caller's transaction).

Each statement to PostgreSQL is a round trip to another process, so there the document, its simhash
bands and every child row that needs only the document's new id (facts, person mentions, posts,
program mentions, instructions and their first status) go in as ONE statement: data-modifying CTEs,
each table's rows passed as one array per column and unnested, so the statement text does not
change with the number of rows and the server plans it once. SQLite runs in this process, where
plain executemany per table is as cheap.

    doc_id = insert_document(session, values, bands, {schema.Fact.__table__: [row, ...]})
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Insert, Integer, Select, Table, bindparam, func, insert, select, true
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeEngine

from qala.store import schema

# The document columns ingest sets (the rest take their defaults).
DOCUMENT_KEYS = ("content_hash", "fingerprint", "text", "url", "path", "title", "published", "published_text",
                 "source_id", "language", "status", "near_duplicate_of", "extractor_version", "ingested_at")
# The status-history row each new instruction starts with (and the time it is written).
FIRST_STATUS = {"status": "new", "changed_by": "ingest", "note": "extracted"}

Row = dict[str, Any]


def on_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def insert_document(session: Session, values: Row, bands: Sequence[int],
                    children: Mapping[Table, Sequence[Row]] | None = None) -> int:
    """Insert one document (``values`` keyed by DOCUMENT_KEYS), its bands and its child rows (by
    table, without document_id; instructions get their first status); returns the document's id."""
    now = dt.datetime.now(dt.UTC)
    values = {key: values.get(key) for key in DOCUMENT_KEYS} | {"ingested_at": now}
    children = {table: rows for table, rows in (children or {}).items() if rows}
    status = FIRST_STATUS | {"changed_at": now}
    if on_postgres(session):
        shape = tuple((table, tuple(rows[0])) for table, rows in children.items())
        params = values | {"bands": list(bands)} | {f"first_{key}": value for key, value in status.items()}
        for table, keys in shape:
            params |= {f"{table.name}__{key}": _column(table, key, children[table]) for key in keys}
        return session.execute(_document_statement(shape, tuple(status)), params).scalar_one()
    D, B = schema.Document.__table__, schema.DocumentBand.__table__
    doc_id = session.execute(insert(D).returning(D.c.id), values).scalar_one()
    session.execute(insert(B), [{"document_id": doc_id, "band": band} for band in bands])
    for table, rows in children.items():
        rows = [row | {"document_id": doc_id} for row in rows]
        if table is schema.Instruction.__table__:
            ids = insert_returning_ids(session, table, rows)
            session.execute(insert(schema.InstructionStatus.__table__),
                            [status | {"instruction_id": iid} for iid in ids])
        else:
            session.execute(insert(table), rows)
    return doc_id


def insert_rows(session: Session, table: Table, rows: Sequence[Row]) -> None:
    """All rows in one statement (a multi-row INSERT on PostgreSQL, executemany elsewhere)."""
    if not rows:
        return
    if on_postgres(session):
        session.execute(insert(table).returning(table.c.id), rows)  # RETURNING makes it one multi-row INSERT
    else:
        session.execute(insert(table), rows)


def insert_returning_ids(session: Session, table: Table, rows: Sequence[Row]) -> list[int]:
    """The new ids, in the order of ``rows`` (one statement wherever RETURNING is supported)."""
    if not rows:
        return []
    query = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(session.execute(query, rows).scalars())


def _column(table: Table, key: str, rows: Sequence[Row]) -> list[Any]:
    """One column's values as one array; numbers made one type (psycopg dumps no mixed-type list)."""
    values = [row[key] for row in rows]
    kind = _number_type(table.c[key].type)
    return [None if v is None else kind(v) for v in values] if kind else values


@lru_cache(maxsize=256)
def _number_type(column_type: TypeEngine) -> type | None:
    try:
        kind = column_type.python_type
    except NotImplementedError:
        return None
    return kind if kind in (int, float) else None


@lru_cache(maxsize=256)
def _document_statement(shape: tuple[tuple[Table, tuple[str, ...]], ...], status_keys: tuple[str, ...]) -> Select:
    """WITH new_document AS (INSERT INTO documents ... RETURNING id),
         new_document_bands AS (INSERT INTO document_bands SELECT id, unnest(:bands) FROM new_document),
         new_facts AS (INSERT INTO facts SELECT new_document.id, rows.* FROM new_document, unnest(...) rows),
         ... one per child table; new_instructions RETURNING id, then their first status ...
    SELECT id FROM new_document"""
    D, B = schema.Document.__table__, schema.DocumentBand.__table__
    I, H = schema.Instruction.__table__, schema.InstructionStatus.__table__
    document = (insert(D).values({key: bindparam(key, type_=D.c[key].type) for key in DOCUMENT_KEYS})
                .returning(D.c.id).cte("new_document"))
    band = func.unnest(bindparam("bands", type_=ARRAY(Integer)), type_=Integer)
    ctes = [insert(B).from_select(["document_id", "band"], select(document.c.id, band)).cte("new_document_bands")]
    for table, keys in shape:
        arrays = (func.unnest(*(bindparam(f"{table.name}__{key}", type_=ARRAY(table.c[key].type)) for key in keys))
                  .table_valued(*keys).render_derived(f"{table.name}_rows"))
        rows = select(document.c.id, *(arrays.c[key] for key in keys)).select_from(document.join(arrays, true()))
        query: Insert = insert(table).from_select(["document_id", *keys], rows, include_defaults=False)
        if table is not I:
            ctes.append(query.cte(f"new_{table.name}"))
            continue
        instructions = query.returning(I.c.id).cte("new_instructions")
        first = select(instructions.c.id, *(bindparam(f"first_{key}", type_=H.c[key].type) for key in status_keys))
        ctes += [instructions, insert(H).from_select(["instruction_id", *status_keys], first,
                                                     include_defaults=False).cte("new_instruction_status")]
    return select(document.c.id).add_cte(document, *ctes, nest_here=True)


__all__ = ["DOCUMENT_KEYS", "FIRST_STATUS", "insert_document", "insert_returning_ids", "insert_rows", "on_postgres"]

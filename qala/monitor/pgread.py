"""PostgreSQL: the facts read as a few large text blocks, on two connections at once when there are many.

Fetching a million rows one by one costs several times more than letting the server write them as
delimited text in a few large blocks (one per 64k fact ids) that Arrow parses. Building that text
is the server's work, so with many facts it is split between two server processes: the caller's
transaction exports its snapshot and each half is read on a connection of its own that imports
it, so both halves see exactly the same facts (PostgreSQL's snapshot sharing, as pg_dump does).
"""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from sqlalchemy import Connection

from qala.monitor.sqliteread import IDS, NUMERIC, empty

PARALLEL_FROM = 200_000  # estimated facts from which the read is split in two
HALVES = 2


def _line() -> str:
    fs = " || chr(30) || "  # between fields; the packed text uses chr(31) inside its field
    clean = "translate(object, chr(10) || chr(13) || chr(30) || chr(31), '    ')"
    fields = [f"CAST({c} AS TEXT)" for c in ("id", "document_id")] + [
        f"COALESCE(CAST({c} AS TEXT), '')" for c in ("territory_id", "indicator_id", "value", "change_value")] + [
        f"CAST({c} AS TEXT)" for c in ("span_start", "span_stop")] + [f"COALESCE({clean}, '')", "packed"]
    return fs.join(fields)


def _blocks(conn: Connection, sql: str, half: int | None) -> list[str]:
    conn.exec_driver_sql("SET LOCAL DateStyle = 'ISO'")
    conn.exec_driver_sql("SET LOCAL extra_float_digits = 1")  # shortest text that reads back exactly
    where = "" if half is None else f" WHERE mod(f.id / 65536, {HALVES}) = {half}"
    return [r[0] for r in conn.exec_driver_sql(
        f"SELECT string_agg({_line()}, chr(10)) FROM ({sql}) f{where} GROUP BY f.id / 65536")]


def _in_snapshot(conn: Connection, snapshot: str, sql: str, half: int) -> list[str]:
    with conn.engine.connect() as other:
        other.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        other.exec_driver_sql(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
        try:
            return _blocks(other, sql, half)
        finally:
            other.rollback()


def _estimate(conn: Connection) -> float:
    return conn.exec_driver_sql("SELECT reltuples FROM pg_class WHERE oid = to_regclass('facts')").scalar() or 0


def fetch_blocks(conn: Connection, sql: str, *, parallel: bool = False) -> list[np.ndarray]:
    """The columns of `sql` (numeric first, then object and the packed text) as arrays.

    ``parallel``: the caller's transaction has written nothing yet (other connections could not see
    it), so a large read may be split over two connections sharing its snapshot.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv


    if parallel and _estimate(conn) >= PARALLEL_FROM:
        snapshot = conn.exec_driver_sql("SELECT pg_export_snapshot()").scalar_one()
        with ThreadPoolExecutor(max_workers=HALVES) as pool:
            halves = list(pool.map(lambda h: _in_snapshot(conn, snapshot, sql, h), range(HALVES)))
        blocks = [block for half in halves for block in half]
    else:
        blocks = _blocks(conn, sql, None)
    if not blocks:
        return empty()
    names = list(NUMERIC) + ["object", "packed"]
    types = {n: (pa.int64() if n in IDS else pa.float64()) for n in NUMERIC}
    types.update(object=pa.string(), packed=pa.string())
    table = pacsv.read_csv(io.BytesIO("\n".join(blocks).encode()),
                           read_options=pacsv.ReadOptions(column_names=names),
                           parse_options=pacsv.ParseOptions(delimiter="\x1e", quote_char=False),
                           convert_options=pacsv.ConvertOptions(column_types=types, strings_can_be_null=True,
                                                                null_values=[""]))
    out = []
    for name in names:
        col = table.column(name)
        if name in ("territory_id", "indicator_id"):
            out.append(col.fill_null(-1).to_numpy())
        elif name in IDS:
            out.append(col.to_numpy())
        elif name in ("value", "change_value"):
            out.append(col.to_numpy(zero_copy_only=False))  # nulls become NaN
        else:
            out.append(col.to_numpy(zero_copy_only=False).astype(object))
    return out

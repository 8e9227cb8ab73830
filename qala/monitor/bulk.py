"""Fast writes of many rows given as tuples: the driver's executemany on SQLite, COPY on PostgreSQL.

Both run on the connection's own transaction, so the rows appear and vanish with the rebuild.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection


def insert_rows(conn: Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert `rows` (tuples in the order of `columns`) into `table`; returns how many were written."""
    raw = conn.connection.driver_connection
    n = 0
    if conn.dialect.name == "postgresql":
        cur = raw.cursor()
        with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                n += 1
        return n
    rows = [tuple(v.isoformat() if type(v) is dt.date else v for v in row) for row in rows]
    raw.cursor().executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                             rows)
    return len(rows)

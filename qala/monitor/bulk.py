"""Fast writes of derived rows, optionally on a writer thread that overlaps the next step's work.

``insert_rows`` takes tuples and ``replace_table`` columns (numpy arrays); on SQLite they go as
multi-row INSERTs (a hundred rows to a statement), on PostgreSQL as COPY. All run on the
connection's own transaction, so the rows appear and vanish with the rebuild.

A rebuild spends much of its time handing rows to the database (executemany, COPY, index builds),
during which this process mostly waits. Inside ``overlapped(conn)`` every write given to ``later``
runs on one writer thread, in the order given, while the caller goes on computing. Any other
statement on the connection first waits for the writes queued before it, so a read sees every
earlier write, and a failed write raises in the caller at its next statement or at the end of the
block (the transaction then rolls back as usual).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import numpy as np
from sqlalchemy import Connection, Table, event, text

from qala.monitor import frame

SQLITE_ROWS_PER_INSERT = 100  # rows per INSERT statement: fewer statements, a fifth less time
SQLITE_MAX_PARAMETERS = 32_766 if sqlite3.sqlite_version_info >= (3, 32) else 999  # SQLite's default limit


class _Writer:
    def __init__(self) -> None:
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="qala-writer")
        self.pending: list[Future] = []
        self.thread: int | None = None

    def submit(self, fn: Callable[..., Any], *args: Any) -> None:
        def run() -> None:
            self.thread = threading.get_ident()
            fn(*args)
        self.pending.append(self.pool.submit(run))

    def wait(self) -> None:
        pending, self.pending = self.pending, []
        errors = [f.exception() for f in pending]  # every queued write finishes before any error is raised
        for error in errors:
            if error is not None:
                raise error

    def barrier(self, *_args: Any, **_kwargs: Any) -> None:
        if threading.get_ident() != self.thread:
            self.wait()


_writers: dict[int, _Writer] = {}  # id(connection) -> its writer while overlapped


@contextlib.contextmanager
def overlapped(conn: Connection) -> Iterator[None]:
    """Writes given to ``later`` on this connection run on a writer thread until the block ends."""
    writer = _Writer()
    _writers[id(conn)] = writer
    event.listen(conn, "before_execute", writer.barrier)
    try:
        yield
    finally:
        event.remove(conn, "before_execute", writer.barrier)
        del _writers[id(conn)]
        try:
            writer.wait()
        finally:
            writer.pool.shutdown()


def flush(conn: Connection) -> None:
    """Wait until the writes queued on this connection are done (a no-op outside ``overlapped``)."""
    writer = _writers.get(id(conn))
    if writer is not None:
        writer.wait()


def driver(conn: Connection) -> Any:
    """The DB-API connection beneath `conn`, once the writes queued on it are done: a statement run on
    it directly (cheaper for large ones) bypasses the barrier that ``overlapped`` keeps."""
    flush(conn)
    return conn.connection.driver_connection


def later(conn: Connection, fn: Callable[..., Any], *args: Any) -> None:
    """``fn(conn, *args)`` on the writer thread inside ``overlapped(conn)``, else now. The arguments
    must not change afterwards."""
    writer = _writers.get(id(conn))
    if writer is None:
        fn(conn, *args)
    else:
        writer.submit(fn, conn, *args)


def insert_rows(conn: Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert `rows` (tuples in the order of `columns`) into `table`; returns how many there are."""
    rows = [tuple(v.isoformat() if type(v) is dt.date and conn.dialect.name == "sqlite" else v for v in row)
            for row in rows]
    later(conn, _insert, table, tuple(columns), rows)
    return len(rows)


def _insert(conn: Connection, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
    raw = conn.connection.driver_connection
    if conn.dialect.name == "postgresql":
        with raw.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    _sqlite_insert(raw, table, columns, rows)


def replace_table(conn: Connection, table: Table, columns: dict[str, np.ndarray | list[Any]]) -> int:
    """Replace every row of a derived `table` with the rows given as columns.

    On SQLite the table is emptied and its secondary indexes are built once after the rows are in,
    which costs a third of keeping them up to date row by row (readers of a WAL store keep reading
    the last committed rows meanwhile). On PostgreSQL the rows are deleted and the indexes kept:
    TRUNCATE and DROP INDEX take a lock that holds every reader off until the rebuild commits, and
    a page built in the background while a rebuild runs would wait on it (rebuilds run off the
    request path, so their speed matters less than readers never waiting). Inside
    ``bulk.overlapped`` it runs on the writer thread (the columns must not change afterwards).
    """
    later(conn, _replace, table, columns)
    return len(next(iter(columns.values()))) if columns else 0


def _replace(conn: Connection, table: Table, columns: dict[str, np.ndarray | list[Any]]) -> int:
    conn.execute(text(f"DELETE FROM {table.name}"))
    if conn.dialect.name == "postgresql":
        return write(conn, table, columns)
    indexes = sorted(table.indexes, key=lambda i: i.name)
    for index in indexes:
        index.drop(conn)
    n = write(conn, table, columns)
    for index in indexes:
        index.create(conn)
    return n


def write(conn: Connection, table: str | Table, columns: dict[str, np.ndarray | list[Any]]) -> int:
    """Insert the rows given as columns (dates as datetime64[D], NaN/NaT/None for NULL). Given the
    Table, PostgreSQL gets them in binary COPY where its column types allow (qala.monitor.pgcopy)."""
    names = list(columns)
    n = len(next(iter(columns.values()))) if columns else 0
    if not n:
        return 0
    if conn.dialect.name == "postgresql":
        return _write_copy(conn, table, columns, n)
    table = table if isinstance(table, str) else table.name
    grid = np.empty((n, len(names)), dtype=object)
    for k, name in enumerate(names):
        col = columns[name]
        if isinstance(col, np.ndarray) and col.dtype.kind == "M":
            grid[:, k] = frame.iso(col)
        elif isinstance(col, np.ndarray) and col.dtype.kind == "f":
            grid[:, k] = frame.nullable(col)
        else:
            grid[:, k] = col.tolist() if isinstance(col, np.ndarray) else list(col)
    _sqlite_insert(conn.connection.driver_connection, table, names, grid)
    return n


def _sqlite_insert(raw: Any, table: str, names: Sequence[str], rows: list[tuple] | np.ndarray) -> None:
    """Rows (tuples, or a 2-D object array) inserted several to a statement: executemany's cost is
    mostly per statement, not per value."""
    per = max(1, min(SQLITE_ROWS_PER_INSERT, SQLITE_MAX_PARAMETERS // len(names)))
    one = f"({', '.join('?' * len(names))})"
    cur = raw.cursor()
    whole = len(rows) - len(rows) % per  # the rows that fill whole statements of `per` rows; then the rest
    flat = rows[:whole].ravel().tolist() if isinstance(rows, np.ndarray) else [v for row in rows[:whole] for v in row]
    width = per * len(names)
    if flat:
        cur.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES {', '.join([one] * per)}",
                        (flat[i:i + width] for i in range(0, len(flat), width)))
    rest = rows[whole:]
    cur.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES {one}",
                    rest.tolist() if isinstance(rest, np.ndarray) else rest)


def _write_copy(conn: Connection, table: str | Table, columns: dict[str, Any], n: int) -> int:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    from qala.monitor import pgcopy

    cur = conn.connection.driver_connection.cursor()
    if isinstance(table, Table):
        kinds = [pgcopy.kind_of(table.c[name].type) for name in columns]
        table = table.name
        if None not in kinds:
            with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT binary)") as copy:
                for block in pgcopy.encode(kinds, list(columns.values())):
                    copy.write(block)
            return n
    arrays = []
    for col in columns.values():
        if isinstance(col, np.ndarray) and col.dtype.kind == "M":
            arrays.append(pa.array(col, mask=np.isnat(col)))
        elif isinstance(col, np.ndarray) and col.dtype.kind == "f":
            arrays.append(pa.array(col, mask=np.isnan(col)))
        elif isinstance(col, np.ndarray) and col.dtype.kind in "iub":
            arrays.append(pa.array(col))
        else:  # text, or whole numbers with None among them
            arrays.append(pa.array(list(col)))
    out = io.BytesIO()
    pacsv.write_csv(pa.Table.from_arrays(arrays, names=list(columns)), out,
                    pacsv.WriteOptions(include_header=False, quoting_style="needed"))
    with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT csv)") as copy:
        copy.write(out.getvalue())
    return n

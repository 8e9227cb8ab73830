"""Fast writes of derived rows, optionally on a writer thread that overlaps the next step's work.

``insert_rows`` takes tuples (the driver's executemany on SQLite, COPY on PostgreSQL); both run on
the connection's own transaction, so the rows appear and vanish with the rebuild.

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
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from sqlalchemy import Connection, event


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
    raw.cursor().executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                             rows)

"""SQLite: the facts read into column arrays, on two processes at once when there are many.

Python's sqlite3 module builds a Python object for every value it returns, and that, not SQLite,
is most of what reading a million facts costs; it holds the interpreter lock while it does, so a
second thread does not help, but a second process does. With many facts in a database file, the
rows above a middle id are read by a child process (``python -m qala.monitor.sqliteread``) while
this one reads the rest; the child hands its columns back through a private temporary file.

Both read the same facts: the caller's connection first takes the write lock (BEGIN IMMEDIATE,
which the rebuild would take at its first write anyway), so no other connection can commit until
the rebuild does, and in WAL mode the child's reader sees exactly the last committed state, which
is what the caller's own transaction sees. Should the child fail, its half is read here instead.

This module imports only the standard library and numpy, so the child starts quickly.
"""

from __future__ import annotations

import logging
import os
import pickle
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

NUMERIC = ("fact_id", "document_id", "territory_id", "indicator_id", "value", "change_value", "span_start",
           "span_stop")
INTEGERS = ("fact_id", "document_id", "span_start", "span_stop")  # never NULL
IDS = INTEGERS + ("territory_id", "indicator_id")  # NULL ids become -1
PARALLEL_FROM = 200_000  # fact ids from which the read is split in two
CHILD_SHARE = 0.45  # the child starts a little later (a fresh interpreter), so it reads a little less
BATCH = 100_000
log = logging.getLogger(__name__)


def empty() -> list[np.ndarray]:
    return [np.zeros(0, dtype=np.int64 if n in IDS else float) for n in NUMERIC] + [
        np.zeros(0, dtype=object), np.zeros(0, dtype=object)]


def _numeric(col: np.ndarray, name: str) -> np.ndarray:
    if name in INTEGERS:
        return col.astype(np.int64)
    a = col.astype(float)  # None becomes NaN
    if name in IDS:
        return np.where(np.isnan(a), -1, a).astype(np.int64)
    return a


def columns(cur: sqlite3.Cursor, sql: str, params: tuple = ()) -> list[np.ndarray]:
    """The columns of `sql` (the NUMERIC ones first, then two text columns) as arrays."""
    cur.execute(sql, params)
    parts: list[list[np.ndarray]] = []
    while rows := cur.fetchmany(BATCH):
        table = np.array(rows, dtype=object)  # rows x columns in one C loop; then a cast per column
        parts.append([_numeric(table[:, k], name) for k, name in enumerate(NUMERIC)] + [table[:, 8], table[:, 9]])
    if not parts:
        return empty()
    return [np.concatenate(p) for p in zip(*parts)]


def _file_of(raw: sqlite3.Connection) -> str:
    """The main database's file ('' for an in-memory or temporary database)."""
    for _seq, name, file in raw.execute("PRAGMA database_list"):
        if name == "main":
            return file or ""
    return ""


def fetch(raw: sqlite3.Connection, sql: str, *, parallel: bool = False) -> list[np.ndarray]:
    """The columns of `sql` (a query of the facts table that returns its ``id`` first).

    ``parallel``: the caller's transaction has written nothing yet, so a large read may be split
    with a child process (see the module's note); the caller's connection then holds the write lock.
    """
    path = _file_of(raw) if parallel and not raw.in_transaction else ""
    lo, hi = raw.execute("SELECT MIN(id), MAX(id) FROM facts").fetchone() if path else (None, None)
    if lo is None or hi - lo + 1 < PARALLEL_FROM:
        return columns(raw.cursor(), sql)
    raw.execute("BEGIN IMMEDIATE")
    middle = hi - int((hi - lo + 1) * CHILD_SHARE)
    upper = f"SELECT * FROM ({sql}) WHERE id > ?"
    fd, out = tempfile.mkstemp(prefix="qala-read-", suffix=".pickle")
    os.close(fd)
    child = _start(path, upper, middle, out)
    try:
        mine = columns(raw.cursor(), f"SELECT * FROM ({sql}) WHERE id <= ?", (middle,))
        theirs = _collect(child, out)
        if theirs is None:  # the child failed: read its half here
            theirs = columns(raw.cursor(), upper, (middle,))
    finally:
        if child is not None and child.poll() is None:  # this read failed: the child's half is not wanted
            child.kill()
            child.wait()
        Path(out).unlink(missing_ok=True)
    return [np.concatenate([a, b]) for a, b in zip(mine, theirs)]


def _start(path: str, sql: str, middle: int, out: str) -> subprocess.Popen | None:
    package_root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH")) if p)}
    try:
        return subprocess.Popen([sys.executable, "-m", "qala.monitor.sqliteread", path, sql, str(middle), out],
                                env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
    except OSError:
        return None


def _collect(child: subprocess.Popen | None, out: str) -> list[np.ndarray] | None:
    if child is None:
        return None
    _, err = child.communicate()
    if child.returncode != 0:
        lines = err.decode(errors="replace").strip().splitlines()
        log.warning("the second reader failed (%s); reading its half here", lines[-1] if lines else child.returncode)
        return None
    with open(out, "rb") as f:
        return pickle.load(f)  # written by our own child into a file only this user can read


def main(argv: list[str]) -> int:
    """The child: read `sql` with its one parameter from the database file read-only, and pickle
    the columns into `out`."""
    path, sql, middle, out = argv
    raw = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        result = columns(raw.cursor(), sql, (int(middle),))
    finally:
        raw.close()
    with open(out, "wb") as f:
        pickle.dump(result, f, protocol=pickle.HIGHEST_PROTOCOL)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Rebuild every derived table in one transaction: overlay, commitments, series, checks, statuses,
instruction deadlines and repeats. The facts are read once into column arrays (qala.monitor.frame);
every step works on those, and only what it derived is written back, on a writer thread while
the next step computes (qala.monitor.bulk.overlapped): a step's time in ``timings`` is its own
work, and ``writes_left`` what the last writes took after the last step was done.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, Engine, insert, select

from qala.monitor import bulk, checks, commitments, control, frame, series
from qala.monitor.review import rebuild_overlay
from qala.store.schema import MonitorRun

log = logging.getLogger("qala.monitor.recompute")
SQLITE_CACHE_KIB = 256 * 1024  # page cache allowed while rebuilding (the staged facts live in it)


@contextlib.contextmanager
def _roomy_cache(conn: Connection) -> Iterator[None]:
    """On SQLite, let this connection cache the staged facts and derived tables while rebuilding
    (the default 2 MB spills them to temporary files); the previous sizes are restored after."""
    if conn.dialect.name != "sqlite":
        yield
        return
    before = {db: conn.exec_driver_sql(f"PRAGMA {db}.cache_size").scalar() for db in ("main", "temp")}
    for db in before:
        conn.exec_driver_sql(f"PRAGMA {db}.cache_size = -{SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        for db, size in before.items():
            conn.exec_driver_sql(f"PRAGMA {db}.cache_size = {int(size)}")


def recompute_all(engine: Engine, *, verified_only: bool = False, today: dt.date | None = None,
                  instructions: bool = True) -> dict[str, Any]:
    """Rebuild all derived tables; returns counts per table and check kind, and seconds per step."""
    started = time.perf_counter()
    timings: dict[str, float] = {}
    counts: dict[str, Any] = {}

    def step(name: str, t0: float) -> float:
        now = time.perf_counter()
        timings[name] = round(now - t0, 3)
        return now

    t = started
    counts["stamp"] = store_stamp(engine)  # what it is built from: a server seeing the same needs no rebuild
    counts["overlay"] = rebuild_overlay(engine)
    t = step("overlay", t)
    with engine.begin() as conn, _roomy_cache(conn), bulk.overlapped(conn):
        facts = frame.read_facts(conn, verified_only=verified_only, fresh=True)  # nothing written yet
        counts["staged_facts"] = len(facts)
        t = step("read", t)
        plans = commitments.detect(conn, facts)
        counts["commitments"] = len(plans["key"])
        t = step("commitments", t)
        found, points = series.build_series(conn, facts)
        counts.update(found)
        t = step("series", t)
        counts["checks"] = checks.build_checks(conn, facts, points, timings=timings)
        t = step("checks", t)
        counts["commitment_status"] = commitments.decide(conn, facts, plans, today=today)
        t = step("commitment_status", t)
        if instructions:
            counts["deadlines_resolved"] = control.refresh_deadlines(conn)
            counts["repeats_linked"] = control.link_repeats(conn)
            t = step("instructions", t)
        bulk.flush(conn)  # the writes still running on the writer thread count too
        t = step("writes_left", t)
        seconds = round(time.perf_counter() - started, 3)
        conn.execute(insert(MonitorRun.__table__).values(seconds=seconds, verified_only=verified_only,
                                                         counts={**counts, "timings": timings}))
    return {**counts, "seconds": seconds, "timings": timings}


# ================================================================ rebuilding off the request path

class Rebuilder:
    """Rebuilds the derived tables on one background thread, never on a reader's request.

    ``request()`` (after an ingest, a review, a status change, or a reader noticing that the store
    changed) marks the tables stale and wakes the thread; requests that come while a rebuild runs
    fold into one more rebuild after it. Readers meanwhile read the last complete rebuild: each
    rebuild is one transaction, so they never see half of one. ``pending`` says whether a rebuild
    is asked for or running (the pages' note "обновляется"); ``wait`` is for callers that must see
    the result (tests, a command that rebuilds at its end). ``run_now`` rebuilds in the caller's
    thread (POST /api/recompute), one rebuild at a time with the thread's.

    With a database ``url`` the thread runs each rebuild in a child process at a lower priority
    (``python -m qala.monitor.recompute URL``): the rebuild's Python work then never holds the
    server's interpreter lock, and the operating system serves requests first. Without one (or
    ``rebuild`` given), it rebuilds in the thread itself. After a rebuild the thread rests as long
    as the rebuild took (``pause`` times that) before the next one: a store written to without a
    break (an ingest of thousands of documents) is rebuilt every other stretch, not continuously.
    """

    def __init__(self, engine: Engine, rebuild: Any = None, *, url: str | None = None, pause: float = 1.0) -> None:
        self.engine = engine
        self.rebuild = rebuild or (_in_child(url) if url else recompute_all)
        self.pause = pause
        self.last_error: str | None = None
        self._lock = threading.Lock()  # one rebuild at a time
        self._state = threading.Condition()
        self._asked = False
        self._running = False
        self._thread: threading.Thread | None = None
        self._not_before = 0.0  # monotonic time before which no rebuild starts (the pause)

    @property
    def pending(self) -> bool:
        with self._state:
            return self._asked or self._running

    def request(self) -> None:
        with self._state:
            self._asked = True
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name="qala-rebuild", daemon=True)
                self._thread.start()
            self._state.notify_all()

    def wait(self, timeout: float | None = None) -> bool:
        """Until no rebuild is asked for or running (True), or `timeout` seconds passed (False)."""
        with self._state:
            return self._state.wait_for(lambda: not (self._asked or self._running), timeout)

    def run_now(self, **kwargs: Any) -> dict[str, Any]:
        with self._lock:
            return recompute_all(self.engine, **kwargs)

    def _loop(self) -> None:
        while True:
            with self._state:
                if not self._asked:
                    self._thread = None
                    self._state.notify_all()
                    return
                rest = self._not_before - time.monotonic()
            if rest > 0:  # the pause after the last rebuild
                time.sleep(rest)
            with self._state:
                self._asked, self._running = False, True
            started = time.monotonic()
            try:
                with self._lock:
                    self.rebuild(self.engine)
                self.last_error = None
            except Exception as e:  # noqa: BLE001 - logged; readers keep the last complete rebuild
                self.last_error = f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
                log.warning("rebuilding the derived tables failed: %s", self.last_error)
            finally:
                with self._state:
                    self._running = False
                    self._state.notify_all()
            self._not_before = time.monotonic() + (time.monotonic() - started) * self.pause


def store_stamp(engine: Engine) -> list[Any]:
    """The day and the store's stamp (qala.store.dashboard.store_stamp) as JSON keeps them."""
    from qala.store.dashboard import store_stamp as stamp_of
    from qala.store.db import transaction

    with transaction(engine) as session:
        return [dt.date.today().isoformat(), *stamp_of(session)]


def last_stamp(engine: Engine) -> list[Any] | None:
    """The stamp the last complete rebuild was made from (None before any, or from an older one)."""
    with engine.connect() as conn:
        counts = conn.scalar(select(MonitorRun.counts).order_by(MonitorRun.id.desc()).limit(1))
    return counts.get("stamp") if isinstance(counts, dict) else None


def last_rebuild(engine: Engine) -> dt.datetime | None:
    """When the last complete rebuild finished (its start plus its seconds), or None before any."""
    with engine.connect() as conn:
        row = conn.execute(select(MonitorRun.started_at, MonitorRun.seconds)
                           .order_by(MonitorRun.id.desc()).limit(1)).first()
    if row is None or row.started_at is None:
        return None
    return row.started_at + dt.timedelta(seconds=row.seconds or 0)


def rebuild_after_command(engine: Engine) -> None:
    """The CLI's way: a command that changed the store rebuilds the derived tables at its end
    (a server reading the store notices the change and serves the new tables from then on)."""
    recompute_all(engine)


CHILD_NICE = 10  # the rebuilding child process yields the processors to the server's requests


def _in_child(url: str) -> Any:
    def rebuild(_engine: Engine) -> None:
        import subprocess
        import sys

        done = subprocess.run([sys.executable, "-m", "qala.monitor.recompute", url], capture_output=True, text=True,
                              preexec_fn=lambda: os.nice(CHILD_NICE), check=False)
        if done.returncode:
            lines = (done.stderr or done.stdout or "no output").strip().splitlines() or ["no output"]
            raise RuntimeError(f"the rebuild process failed ({done.returncode}): {lines[-1][:300]}")
    return rebuild


def main(argv: list[str]) -> int:
    """``python -m qala.monitor.recompute URL``: one rebuild of the store at URL (the server's
    background rebuilds run so); errors as one line, exit 1."""
    from qala.store.db import open_store

    if len(argv) != 1:
        print("usage: python -m qala.monitor.recompute DATABASE_URL", file=sys.stderr)
        return 2
    try:
        engine = open_store(argv[0], upgrade=False)
        counts = recompute_all(engine)
        engine.dispose()
    except Exception as e:  # noqa: BLE001 - one line for the parent's log
        print(f"Error: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}", file=sys.stderr)
        return 1
    print(f"rebuilt in {counts['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

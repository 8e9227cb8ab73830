"""Rebuild every derived table in one transaction: overlay, commitments, series, checks, statuses,
instruction deadlines and repeats. The facts are read once into column arrays (qala.monitor.frame);
every step works on those, and only what it derived is written back, on a writer thread while
the next step computes (qala.monitor.bulk.overlapped): a step's time in ``timings`` is its own
work, and ``writes_left`` what the last writes took after the last step was done.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, Engine, insert

from qala.monitor import bulk, checks, commitments, control, frame, series
from qala.monitor.review import rebuild_overlay
from qala.store.schema import MonitorRun

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

"""Rebuild every derived table in one transaction: overlay, commitments, series, checks, statuses,
instruction deadlines and repeats. Set-based SQL does the work over facts; Python only judges
the candidates SQL leaves.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from sqlalchemy import Engine, insert

from qala.monitor import checks, commitments, control, series, stage
from qala.monitor.review import rebuild_overlay
from qala.store.schema import MonitorRun


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
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SET LOCAL work_mem = '256MB'")
        counts["staged_facts"] = stage.stage_facts(conn, verified_only=verified_only)
        t = step("stage", t)
        counts["commitments"] = commitments.detect(conn)
        stage.mark_plans(conn)
        t = step("commitments", t)
        counts.update(series.build_series(conn))
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("ANALYZE series_points")
        t = step("series", t)
        counts["checks"] = checks.build_checks(conn, timings=timings)
        t = step("checks", t)
        counts["commitment_status"] = commitments.decide(conn, today=today)
        stage.drop_stage(conn)
        t = step("commitment_status", t)
        if instructions:
            counts["deadlines_resolved"] = control.refresh_deadlines(conn)
            counts["repeats_linked"] = control.link_repeats(conn)
            t = step("instructions", t)
        seconds = round(time.perf_counter() - started, 3)
        conn.execute(insert(MonitorRun.__table__).values(seconds=seconds, verified_only=verified_only,
                                                         counts={**counts, "timings": timings}))
    return {**counts, "seconds": seconds, "timings": timings}

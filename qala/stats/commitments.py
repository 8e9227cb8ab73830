"""Commitments judged against official outcomes: a plan's target held against the official value
of its indicator, territory and unit for its period (the same period, else the year it ends with),
by the same status rule as press outcomes (qala.monitor.commitments.status_of)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Engine, text

from qala.monitor import labels
from qala.monitor.official import current_official


def attach_official(engine: Engine, commitments: list[dict[str, Any]], *, today: dt.date | None = None) -> None:
    """Set each commitment's ``official`` to the official outcome and its status, or None."""
    from qala.monitor.commitments import status_of

    for c in commitments:
        c["official"] = None
    wanted = [c for c in commitments if c.get("territory_id") and c.get("indicator_id") and c.get("target") is not None]
    if not wanted:
        return
    with engine.connect() as conn:
        katos = dict(conn.execute(text("SELECT id, kato FROM territories")).all())
        codes = dict(conn.execute(text("SELECT id, code FROM indicators")).all())
        pairs = {(katos.get(c["territory_id"]), codes.get(c["indicator_id"])) for c in wanted}
        rows = [r for k, i in pairs if k and i for r in current_official(conn, kato=k, code=i)]
    index: dict[tuple, dict[str, Any]] = {}
    for r in rows:
        index[(r["kato"], r["indicator_code"], r["unit"], r["period_start"], r["period_end"])] = r
    today = today or dt.date.today()
    for c in wanted:
        start, end = dt.date.fromisoformat(c["period_start"]), dt.date.fromisoformat(c["period_end"])
        base = (katos.get(c["territory_id"]), codes.get(c["indicator_id"]), c["unit"])
        found = index.get((*base, start, end)) or index.get((*base, dt.date(end.year, 1, 1), end))
        if found is None:
            continue
        status = status_of(c["target"], end, found["value"], found["vintage"], today, c.get("direction") or "up")
        c["official"] = {"value": found["value"], "period_start": found["period_start"].isoformat(),
                         "period_end": found["period_end"].isoformat(), "source": found["source"],
                         "reference": found["reference"], "vintage": found["vintage"].isoformat(), "status": status,
                         "status_label": labels.COMMITMENT_STATUS[status]}

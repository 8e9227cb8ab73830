"""Reported vs official: a press figure held against the Bureau's value of the same indicator,
territory, unit and period (same start and end, so the same kind of period: a year, a quarter, from
the start of the year, or a date).

Tolerance: rounding, and nothing else. Each figure stands for the range its written digits allow
(qala.monitor.tolerance.interval): "5,5%" for 5,45..5,55, "1,9 млн человек" for 1,85..1,95 млн, an
unrounded official 8.2176 for itself. They agree when those ranges overlap by more than their
common edge: an official 5.47 or 5.5 agrees with a reported 5,5%, and 5.5 does not agree with
5,6% (5.55 would have been published as 5.6). So a round press figure is not faulted for being
round, and a figure one written digit off is. One written as approximate ("около") gets its five
percent. Official tables are the reference; a value they revised is judged by its latest vintage.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from sqlalchemy import Connection, text

from qala.monitor import labels
from qala.monitor.tolerance import interval


def agrees(reported: float, official: float, approx: str | None = None) -> bool:
    """Whether a reported figure can be the official value, rounded as it was written.

    >>> agrees(5.5, 5.47), agrees(5.6, 5.5), agrees(1.9e6, 1916822.0), agrees(4.2, 5.5)
    (True, False, True, False)
    """
    lo_r, hi_r = interval(reported, approx)
    lo_o, hi_o = interval(official)
    edge = 1e-9 * max(abs(reported), abs(official), 1e-12)
    return min(hi_r, hi_o) - max(lo_r, lo_o) > edge or lo_r <= official <= hi_r


def current_official(conn: Connection, *, variant: str = "", kato: str | None = None,
                     code: str | None = None) -> list[dict[str, Any]]:
    """The latest vintage of every official series key (totals only by default; or of one territory
    and indicator), with the store's territory and indicator ids where it knows the KATO and code."""
    where, params = ["v.variant = :variant"], {"variant": variant}
    if kato is not None:
        where.append("v.kato = :kato")
        params["kato"] = kato
    if code is not None:
        where.append("v.indicator_code = :code")
        params["code"] = code
    rows = conn.execute(text(
        "SELECT v.id, v.source, v.vintage, v.indicator_code, v.kato, v.period_kind, v.period_start, v.period_end, "
        "v.granularity, v.value, v.unit, v.reference, t.id AS territory_id, i.id AS indicator_id "
        "FROM official_values v LEFT JOIN territories t ON t.kato = v.kato "
        "LEFT JOIN indicators i ON i.code = v.indicator_code WHERE " + " AND ".join(where) +
        " ORDER BY v.vintage, v.id"), params).mappings().all()
    latest: dict[tuple, dict[str, Any]] = {}
    for r in rows:
        key = (r["source"], r["indicator_code"], r["kato"], r["period_kind"], str(r["period_start"]),
               str(r["period_end"]), r["unit"], r["reference"])
        latest[key] = dict(r)  # ordered by vintage: the last one stays
    out = list(latest.values())
    for r in out:
        r["period_start"], r["period_end"] = _date(r["period_start"]), _date(r["period_end"])
        r["vintage"] = _date(r["vintage"])
    return out


def _date(v: Any) -> dt.date:
    return v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v)[:10])


def official_mismatches(conn: Connection, facts: Any, points: Any) -> list[dict[str, Any]]:
    """A check for every reported figure that no official value of its series and period agrees with."""
    from qala.monitor.checks import FACT_FIELDS, _row, records

    official = [r for r in current_official(conn) if r["territory_id"] is not None and r["indicator_id"] is not None]
    if not official or not len(facts):
        return []
    by_key: dict[tuple, list[dict[str, Any]]] = {}
    for r in official:
        by_key.setdefault((r["territory_id"], r["indicator_id"], r["unit"], r["period_start"], r["period_end"]),
                          []).append(r)
    territories = np.array(sorted({k[0] for k in by_key}))
    indicators = np.array(sorted({k[1] for k in by_key}))
    value = facts["value"]
    candidate = (np.isin(facts["territory_id"], territories) & np.isin(facts["indicator_id"], indicators)
                 & ~np.isnan(value) & facts["territorial"])  # a plant's figure is not its region's
    out = []
    for f in records(facts, np.flatnonzero(candidate), FACT_FIELDS):
        found = by_key.get((f.territory_id, f.indicator_id, f.unit, f.period_start, f.period_end))
        if not found or f.value is None:
            continue
        if any(agrees(f.value, r["value"], f.approx) for r in found):
            continue
        ref = min(found, key=lambda r: abs(r["value"] - f.value))
        source = ref["source"] + (f", {ref['reference']}" if ref["reference"] else "")
        out.append(_row("official_mismatch", f, fact_id=f.fact_id, document_id=f.document_id, value=f.value,
                        expected=ref["value"], official_id=ref["id"],
                        score=abs(f.value - ref["value"]) / max(abs(ref["value"]), 1e-12),
                        message=labels.MESSAGES["official_mismatch"].format(
                            value=labels.number(f.value), other=labels.number(ref["value"]), source=source,
                            vintage=ref["vintage"].isoformat())))
    return out

"""Check (d): a figure far outside the territory's own history, by a robust z-score (median and MAD).

The reported points are sorted by history (territory, indicator, unit, shape of the period,
scale) and value; medians are then read off by position in numpy, and only histories with enough
points are judged.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
from sqlalchemy import Connection

from qala.monitor import labels
from qala.monitor.frame import codes, isin_text, ymd
from qala.monitor.series import RATIO_UNITS

OUTLIER_MIN_POINTS = 5
OUTLIER_Z = 3.5


class _Point(NamedTuple):
    territory_id: int
    indicator_id: int
    unit: str
    period_start: Any
    period_end: Any


def _medians(x: np.ndarray, starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Per-group medians of `x`, which is sorted within each group."""
    return (x[starts + (sizes - 1) // 2] + x[starts + sizes // 2]) / 2


def outliers(conn: Connection, facts: Any, points: Any) -> list[dict[str, Any]]:
    """Robust z-score of each reported level within its series of like periods (same months of the
    year), on a log scale for positive quantities; only series with enough points are judged."""
    rows = np.flatnonzero((points["kind"] == "reported") & ~np.isnan(points["value"]))
    if not len(rows):
        return []
    start, end = points["period_start"][rows], points["period_end"][rows]
    ys, ms, ds = ymd(start)
    ye, me, de = ymd(end)
    shape = ((ms * 100 + ds) * 10_000 + me * 100 + de) * 1000 + (ye - ys)  # like periods across years
    unit_code, _ = codes(points["unit"][rows], sort=True)
    value = points["value"][rows]
    linear = isin_text(points["unit"][rows], RATIO_UNITS) | (value <= 0)
    keys = (points["territory_id"][rows], points["indicator_id"][rows], unit_code, shape, linear)
    order = np.lexsort((value,) + keys[::-1])
    rows, value, linear = rows[order], value[order], linear[order]
    n = len(rows)
    first = np.zeros(n, dtype=bool)
    first[0] = True
    for col in keys:  # a history starts where any part of its key changes
        a = col[order]
        first[1:] |= a[1:] != a[:-1]
    gid = np.cumsum(first) - 1
    starts = np.flatnonzero(first)
    sizes = np.diff(np.append(starts, n))
    with np.errstate(all="ignore"):
        x = np.where(linear, value, np.log10(np.where(linear, 1.0, value)))
    med = _medians(x, starts, sizes)
    dev = np.abs(x - med[gid])
    by_dev = np.lexsort((dev, gid))
    mad = _medians(dev[by_dev], starts, sizes)
    ok = (sizes >= OUTLIER_MIN_POINTS)[gid] & (mad[gid] > 0)
    with np.errstate(all="ignore"):
        z = np.where(ok, 0.6745 * (x - med[gid]) / np.where(ok, mad[gid], 1.0), 0.0)
    out = []
    for i in np.flatnonzero(np.abs(z) > OUTLIER_Z).tolist():
        p, m = int(rows[i]), float(med[gid[i]])
        median = m if linear[i] else 10 ** m
        point = _Point(int(points["territory_id"][p]), int(points["indicator_id"][p]), points["unit"][p],
                       points["period_start"][p].astype(object), points["period_end"][p].astype(object))
        out.append(_row(point, fact_id=int(points["fact_id"][p]), value=float(value[i]),
                        expected=float(median), score=round(float(z[i]), 2),
                        message=labels.MESSAGES["outlier"].format(value=labels.number(float(value[i])),
                                                                  expected=labels.number(median),
                                                                  score=f"{z[i]:.1f}".replace(".", ","))))
    return out


def _row(r: Any, **extra: Any) -> dict[str, Any]:
    from qala.monitor.checks import _row as row

    return row("outlier", r, **extra)

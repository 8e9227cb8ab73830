"""Check (d): a figure far outside the territory's own history, by a robust z-score (median and MAD).

SQL hands over the reported points sorted by history (territory, indicator, unit, shape of the
period, scale) and value; medians are then read off by position in numpy, without building frames,
and only histories with enough points are judged.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
from sqlalchemy import Connection, text

from qala.monitor import dialect, labels
from qala.monitor.series import RATIO_UNITS

OUTLIER_MIN_POINTS = 5
OUTLIER_Z = 3.5


class _Point(NamedTuple):
    territory_id: int
    indicator_id: int
    unit: str
    period_start: Any
    period_end: Any


def _shape_sql(d: str) -> str:
    """Periods alike across years: same first and last day of the year, same number of years spanned."""
    return (f"{dialect.month_day('period_start', d)} || {dialect.month_day('period_end', d)} || CAST("
            f"{dialect.year_of('period_end', d)} - {dialect.year_of('period_start', d)} AS TEXT)")


def _medians(x: np.ndarray, starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Per-group medians of `x`, which is sorted within each group."""
    return (x[starts + (sizes - 1) // 2] + x[starts + sizes // 2]) / 2


def outliers(conn: Connection) -> list[dict[str, Any]]:
    """Robust z-score of each reported level within its series of like periods (same months of the
    year), on a log scale for positive quantities; only series with enough points are judged."""
    d = dialect.name(conn)
    ratio_units = ", ".join(f"'{u}'" for u in RATIO_UNITS)
    rows = conn.execute(text(
        "SELECT territory_id, indicator_id, unit, shape, linear, value, fact_id, period_start, period_end FROM ("
        f"SELECT territory_id, indicator_id, unit, {_shape_sql(d)} AS shape, "
        f"CASE WHEN unit IN ({ratio_units}) OR value <= 0 THEN 1 ELSE 0 END AS linear, value, fact_id, "
        "period_start, period_end FROM series_points WHERE kind = 'reported' AND value IS NOT NULL) p "
        "ORDER BY territory_id, indicator_id, unit, shape, linear, value")).all()
    if not rows:
        return []
    columns = list(zip(*rows))
    n = len(rows)
    first = np.zeros(n, dtype=bool)
    first[0] = True
    for col in columns[:5]:  # a history starts where any part of its key changes
        a = np.array(col, dtype=object)
        first[1:] |= a[1:] != a[:-1]
    gid = np.cumsum(first) - 1
    starts = np.flatnonzero(first)
    sizes = np.diff(np.append(starts, n))
    value = np.array(columns[5], dtype=float)
    linear = np.array(columns[4], dtype=bool)
    with np.errstate(all="ignore"):
        x = np.where(linear, value, np.log10(np.where(linear, 1.0, value)))
    med = _medians(x, starts, sizes)
    dev = np.abs(x - med[gid])
    order = np.lexsort((dev, gid))
    mad = _medians(dev[order], starts, sizes)
    ok = (sizes >= OUTLIER_MIN_POINTS)[gid] & (mad[gid] > 0)
    with np.errstate(all="ignore"):
        z = np.where(ok, 0.6745 * (x - med[gid]) / np.where(ok, mad[gid], 1.0), 0.0)
    out = []
    for i in np.flatnonzero(np.abs(z) > OUTLIER_Z):
        r, m = rows[int(i)], float(med[gid[i]])
        median = m if linear[i] else 10 ** m
        out.append(_row(_Point(r[0], r[1], r[2], r[7], r[8]), fact_id=int(r[6]), value=float(r[5]),
                        expected=float(median), score=round(float(z[i]), 2),
                        message=labels.MESSAGES["outlier"].format(value=labels.number(r[5]),
                                                                  expected=labels.number(median),
                                                                  score=f"{z[i]:.1f}".replace(".", ","))))
    return out


def _row(r: Any, **extra: Any) -> dict[str, Any]:
    from qala.monitor.checks import _row as row

    return row("outlier", r, **extra)

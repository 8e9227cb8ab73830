"""Check (d): a figure far outside the territory's own history, by a robust z-score (median and MAD)."""

from __future__ import annotations

from typing import Any

import numpy as np
from sqlalchemy import Connection, text

from qala.monitor import labels
from qala.monitor.series import RATIO_UNITS

OUTLIER_MIN_POINTS = 5
OUTLIER_Z = 3.5


def outliers(conn: Connection) -> list[dict[str, Any]]:
    """Robust z-score of each reported level within its series of like periods (same months of the
    year), on a log scale for positive quantities; only series with enough points are judged."""
    import pandas as pd

    df = pd.DataFrame(conn.execute(text(
        "SELECT s.territory_id, s.indicator_id, s.unit, s.period_start, s.period_end, s.value, s.fact_id "
        "FROM series_points s JOIN (SELECT territory_id, indicator_id, unit FROM series_points "
        f"WHERE kind = 'reported' GROUP BY territory_id, indicator_id, unit HAVING COUNT(*) >= {OUTLIER_MIN_POINTS}) g "
        "ON g.territory_id = s.territory_id AND g.indicator_id = s.indicator_id AND g.unit = s.unit "
        "WHERE s.kind = 'reported' AND s.value IS NOT NULL")).all(),
        columns=["territory_id", "indicator_id", "unit", "period_start", "period_end", "value", "fact_id"])
    if df.empty:
        return []
    df["shape"] = df["period_start"].astype(str).str[5:10] + df["period_end"].astype(str).str[5:10] + \
        (df["period_end"].astype(str).str[:4].astype(int) - df["period_start"].astype(str).str[:4].astype(int)).astype(str)
    ratio = df["unit"].isin(RATIO_UNITS) | (df["value"] <= 0)
    df["x"] = np.where(ratio, df["value"], np.log10(df["value"].where(~ratio, 1.0)))
    df["log"] = ~ratio
    keys = ["territory_id", "indicator_id", "unit", "shape", "log"]
    grouped = df.groupby(keys)["x"]
    df["n"] = grouped.transform("size")
    df = df[df["n"] >= OUTLIER_MIN_POINTS].copy()
    if df.empty:
        return []
    df["med"] = df.groupby(keys)["x"].transform("median")
    df["dev"] = (df["x"] - df["med"]).abs()
    df["mad"] = df.groupby(keys)["dev"].transform("median")
    df = df[df["mad"] > 0]
    df["z"] = 0.6745 * (df["x"] - df["med"]) / df["mad"]
    out = []
    for r in df[df["z"].abs() > OUTLIER_Z].itertuples(index=False):
        median = 10 ** r.med if r.log else r.med
        out.append(_row(r, fact_id=int(r.fact_id), value=float(r.value), expected=float(median),
                        score=round(float(r.z), 2),
                        message=labels.MESSAGES["outlier"].format(value=labels.number(r.value),
                                                                  expected=labels.number(median),
                                                                  score=f"{r.z:.1f}".replace(".", ","))))
    return out


def _row(r: Any, **extra: Any) -> dict[str, Any]:
    from qala.monitor.checks import _row as row

    return row("outlier", r, **extra)

"""Official series beside the reported ones: the latest vintage of each official value of a
territory's indicator, as points in the shape of the merged series (kind "official")."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import Engine, text

from qala.monitor.official import current_official
from qala.periods import Period, period_label


def official_points(engine: Engine, *, territory_id: int, indicator_id: int, unit: str | None = None,
                    granularity: str | None = None) -> list[dict[str, Any]]:
    """Official points of one territory and indicator (totals, latest vintage, oldest period first);
    each names its source, the table it came from and its vintage, and keeps earlier vintages."""
    with engine.connect() as conn:
        kato = conn.execute(text("SELECT kato FROM territories WHERE id = :i"), {"i": territory_id}).scalar()
        code = conn.execute(text("SELECT code FROM indicators WHERE id = :i"), {"i": indicator_id}).scalar()
    if kato is None or code is None:
        return []
    return official_points_by_code(engine, kato=kato, code=code, unit=unit, granularity=granularity)


def official_points_by_code(engine: Engine, *, kato: str, code: str, unit: str | None = None,
                            granularity: str | None = None) -> list[dict[str, Any]]:
    """official_points for a KATO code and an indicator code (official-only indicators have no id)."""
    with engine.connect() as conn:
        rows = current_official(conn, kato=kato, code=code)
        history = _history(conn, kato, code) if rows else {}
    out = []
    for r in sorted(rows, key=lambda r: (r["period_start"], r["period_end"], r["source"])):
        if (unit and r["unit"] != unit) or (granularity and r["granularity"] != granularity):
            continue
        key = (r["source"], r["period_kind"], r["period_start"], r["period_end"], r["unit"], r["reference"])
        out.append({"period": period_label(Period(r["period_start"], r["period_end"], r["granularity"])),
                    "period_start": r["period_start"], "period_end": r["period_end"],
                    "granularity": r["granularity"], "unit": r["unit"], "value": r["value"], "value_min": r["value"],
                    "value_max": r["value"], "kind": "official", "source_kind": "official", "n_documents": 0,
                    "fact_id": None, "yoy_percent": None, "sources": [],
                    "official": {"id": r["id"], "source": r["source"], "reference": r["reference"],
                                 "vintage": r["vintage"], "period_kind": r["period_kind"],
                                 "history": history.get(key, [])}})
    return out


def _history(conn, kato: str, code: str) -> dict[tuple, list[dict[str, Any]]]:
    """Every vintage of each key, oldest first (a revised value keeps the ones before it)."""
    out: dict[tuple, list[dict[str, Any]]] = {}
    for r in conn.execute(text(
            "SELECT source, period_kind, period_start, period_end, unit, reference, vintage, value "
            "FROM official_values WHERE kato = :k AND indicator_code = :c AND variant = '' ORDER BY vintage, id"),
            {"k": kato, "c": code}).mappings():
        from qala.monitor.official import _date

        key = (r["source"], r["period_kind"], _date(r["period_start"]), _date(r["period_end"]), r["unit"],
               r["reference"])
        out.setdefault(key, []).append({"vintage": _date(r["vintage"]), "value": r["value"]})
    return out


def pick(points: list[dict[str, Any]], unit: str | None, granularity: str | None) -> tuple[str | None, str | None]:
    """With no reported figures to follow: the official unit and granularity with most periods (years first)."""
    if unit is None and points:
        unit = Counter(p["unit"] for p in points).most_common(1)[0][0]
    grains = Counter(p["granularity"] for p in points if p["unit"] == unit)
    if granularity is None and grains:
        granularity = "year" if grains.get("year", 0) >= 2 else max(grains, key=lambda g: (grains[g], g == "year"))
    return unit, granularity


def with_official(engine: Engine, points: list[dict[str, Any]], *, territory_id: int, indicator_id: int,
                  unit: str | None, granularity: str | None) -> tuple[list[dict[str, Any]], str | None, str | None]:
    """Reported points marked ``source_kind: reported``, then the official points of the same unit and
    granularity (or, with no reported points, the official series' own)."""
    for p in points:
        p.setdefault("source_kind", "reported")
    official = official_points(engine, territory_id=territory_id, indicator_id=indicator_id)
    if not points:
        unit, granularity = pick(official, unit, granularity)
    official = [p for p in official if p["unit"] == unit and p["granularity"] == granularity]
    return points + official, unit, granularity

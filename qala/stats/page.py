"""The territory page's official statistics: per official indicator of the territory, its latest
value and a chart of the official series (a line) with the press figures of the same indicator,
unit and kind of period as points over it, each labelled by its source."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import Engine, text

from qala.monitor.labels import number
from qala.stats.series import official_points

ORDER = ("unemployment_rate", "population", "grp_per_capita", "average_wage", "income_per_capita")
UNIT_ORDER = ("KZT", "%", "count", "USD")
MAX_CARDS = 8


def source_label(official: dict[str, Any]) -> str:
    ref = f", {official['reference']}" if official.get("reference") else ""
    return f"{official['source']}{ref} ({official['vintage']})"


def chart_point(p: dict[str, Any], label: str, url: str = "") -> dict[str, Any]:
    x = p["period_start"] if p["granularity"] == "day" else p["period_end"]
    return {"x": str(x), "y": p["value"], "label": f"{p['period']} · {label}", "url": url, "kind": p["kind"],
            "n": len(p.get("sources") or [])}


def _choose(points: list[dict[str, Any]]) -> tuple[str | None, str | None]:
    units = Counter(p["unit"] for p in points)
    if not units:
        return None, None
    unit = max(units, key=lambda u: (units[u], -UNIT_ORDER.index(u) if u in UNIT_ORDER else -99))
    grains = Counter(p["granularity"] for p in points if p["unit"] == unit)
    grain = "year" if grains.get("year", 0) >= 2 else max(grains, key=lambda g: (grains[g], g == "year"))
    return unit, grain


def reported_points(engine: Engine, territory_id: int, indicator_id: int, unit: str,
                    granularity: str) -> list[dict[str, Any]]:
    from qala.monitor.series import series_for

    out = []
    for p in series_for(engine, territory_id=territory_id, indicator_id=indicator_id, unit=unit):
        if p.kind != "reported" or p.granularity != granularity or p.value is None:
            continue
        j = p.to_json()
        first = j["sources"][0] if j["sources"] else None
        label = (f"пресс-релиз {first['published'] or ''}".strip() if first else "пресс-релиз")
        url = f"/documents/{first['document_id']}#fact-{first['fact_id']}" if first else ""
        out.append(chart_point(j, label, url))
    return out


def _reported_shapes(engine: Engine, territory_id: int, indicator_id: int) -> set[tuple[str, str]]:
    from qala.monitor.series import series_for

    return {(p.unit, p.granularity) for p in series_for(engine, territory_id=territory_id, indicator_id=indicator_id,
                                                       with_sources=False) if p.kind == "reported"}


def official_section(engine: Engine, *, territory_id: int, names: dict[str, str]) -> list[dict[str, Any]]:
    """Cards for the territory's official indicators: code, name, unit, latest value, source, chart."""
    with engine.connect() as conn:
        kato = conn.execute(text("SELECT kato FROM territories WHERE id = :i"), {"i": territory_id}).scalar()
        if kato is None:
            return []
        codes = [c for (c,) in conn.execute(text(
            "SELECT DISTINCT indicator_code FROM official_values WHERE kato = :k AND variant = ''"), {"k": kato})]
        ids = dict(conn.execute(text("SELECT code, id FROM indicators")).all())
    codes.sort(key=lambda c: (ORDER.index(c) if c in ORDER else len(ORDER), c))
    cards = []
    for code in codes[:MAX_CARDS]:
        every = _official(engine, territory_id, kato, code, ids)
        unit, grain = _choose(every)
        reported: list[dict[str, Any]] = []
        if code in ids:  # the unit and kind of period the press figures use, where the official series has them
            shapes = Counter((p["unit"], p["granularity"]) for p in every)
            for u, g in sorted(_reported_shapes(engine, territory_id, ids[code]), key=lambda s: -shapes[s]):
                if shapes[(u, g)] >= 2:
                    unit, grain = u, g
                    break
            reported = reported_points(engine, territory_id, ids[code], unit, grain)
        line = [p for p in every if p["unit"] == unit and p["granularity"] == grain]
        if not line:
            continue
        points = [chart_point(p, source_label(p["official"])) for p in line] + reported
        last = line[-1]
        cards.append({"code": code, "key": f"official-{code}", "name": names.get(code, code), "unit": unit,
                      "latest": {"value": last["value"], "shown": number(last["value"]), "period": last["period"]},
                      "source": source_label(last["official"]), "n_reported": sum(p["kind"] != "official" for p in points),
                      "points": points})
    return cards


def _official(engine: Engine, territory_id: int, kato: str, code: str, ids: dict[str, int]) -> list[dict[str, Any]]:
    if code in ids:
        return official_points(engine, territory_id=territory_id, indicator_id=ids[code])
    # an official-only indicator (no catalogue row): read it by code
    from qala.stats.series import official_points_by_code

    return official_points_by_code(engine, kato=kato, code=code)

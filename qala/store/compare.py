"""One indicator for one period across territories: the regions (the country's direct units) or the
units of one region (its districts and cities), ranked, with gaps for those without a figure.

Figures come from the monitor's merged series (table series_points: reviewed figures, the larger of
disagreeing reports), so a value here is the one the territory page and its chart show. Only
territories reporting the most common unit are ranked; the others are listed as gaps with the unit
they did report.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qala.errors import InvalidInput, NotFound
from qala.periods import parse_period, period_label
from qala.store.schema import Fact, Indicator, SeriesPoint, Territory

COUNTRY_KATO = "000000000"


def _units(session: Session, parent: Territory | None) -> list[Territory]:
    """The territories compared: the country's direct units, or the given territory's."""
    if parent is None:
        parent = session.scalar(select(Territory).where(Territory.kato == COUNTRY_KATO))
        if parent is None:
            return []
    return list(session.scalars(select(Territory).where(Territory.parent_id == parent.id).order_by(Territory.name)))


def _within(session: Session, key: str | None) -> Territory | None:
    if key is None or not key.strip():
        return None
    from qala.store.dashboard import find_territory

    return session.get(Territory, find_territory(session, key.strip())["id"])


def periods(session: Session, *, indicator_id: int, territory_ids: list[int]) -> list[dict[str, Any]]:
    """The periods with figures for these territories, the most reported first within a granularity,
    latest first."""
    if not territory_ids:
        return []
    rows = session.execute(
        select(SeriesPoint.period_start, SeriesPoint.period_end, SeriesPoint.granularity,
               func.count(func.distinct(SeriesPoint.territory_id)))
        .where(SeriesPoint.indicator_id == indicator_id, SeriesPoint.kind == "reported",
               SeriesPoint.value.is_not(None), SeriesPoint.territory_id.in_(territory_ids))
        .group_by(SeriesPoint.period_start, SeriesPoint.period_end, SeriesPoint.granularity)).all()
    from qala.periods import Period

    out = [{"period": period_label(Period(s, e, g or "range")), "granularity": g, "territories": n,
            "period_start": s, "period_end": e} for s, e, g, n in rows]
    return sorted(out, key=lambda p: (p["period_end"], p["territories"]), reverse=True)


def compare(session: Session, *, indicator: str, period: str | None = None,
            within: str | None = None) -> dict[str, Any]:
    """The comparison: ``rows`` ranked (largest first), ``gaps`` (no figure for the period, or only
    in another unit), the period (given, else the latest with most territories reporting) and its kind."""
    code = (indicator or "").strip()
    ind = session.scalar(select(Indicator).where(Indicator.code == code)) if code else None
    if ind is None:
        raise NotFound(f"expected a known indicator code, got {indicator!r}")
    parent = _within(session, within)
    units = _units(session, parent)
    ids = [t.id for t in units]
    available = periods(session, indicator_id=ind.id, territory_ids=ids)
    if period is not None and period.strip():
        wanted = parse_period(period.strip())
        if wanted is None:
            raise InvalidInput(f"expected a period like 2024, 2024-09 or 2024-01..2024-09, got {period!r}")
    else:
        best = max(available, key=lambda p: (p["granularity"] == "year", p["territories"], p["period_end"]),
                   default=None)
        wanted = parse_period(best["period"]) if best else None
    result: dict[str, Any] = {
        "indicator": {"code": ind.code, "name": ind.name, "unit_family": ind.unit_family},
        "within": None if parent is None else {"id": parent.id, "kato": parent.kato, "name": parent.name},
        "period": None, "period_start": None, "period_end": None, "granularity": None, "unit": None,
        "rows": [], "gaps": [{"id": t.id, "kato": t.kato, "name": t.name, "unit": None} for t in units],
        "periods": [p["period"] for p in available][:40],
    }
    if wanted is None or not ids:
        return result
    points = session.execute(
        select(SeriesPoint.territory_id, SeriesPoint.unit, SeriesPoint.value, SeriesPoint.value_min,
               SeriesPoint.value_max, SeriesPoint.n_documents, SeriesPoint.fact_id, SeriesPoint.granularity)
        .where(SeriesPoint.indicator_id == ind.id, SeriesPoint.kind == "reported", SeriesPoint.value.is_not(None),
               SeriesPoint.period_start == wanted.start, SeriesPoint.period_end == wanted.end,
               SeriesPoint.territory_id.in_(ids))).all()
    counts = Counter(p.unit for p in points)
    unit = max(counts, key=lambda u: (counts[u], u)) if counts else None
    docs = dict(session.execute(select(Fact.id, Fact.document_id)
                                .where(Fact.id.in_([p.fact_id for p in points if p.fact_id]))).all()) if points else {}
    by_id = {t.id: t for t in units}
    ranked = sorted((p for p in points if p.unit == unit), key=lambda p: (-p.value, by_id[p.territory_id].name))
    rows = []
    for n, p in enumerate(ranked, start=1):
        t = by_id[p.territory_id]
        rows.append({"rank": n, "id": t.id, "kato": t.kato, "name": t.name, "value": p.value, "unit": p.unit,
                     "low": p.value_min, "high": p.value_max, "n_documents": p.n_documents, "fact_id": p.fact_id,
                     "document_id": docs.get(p.fact_id)})
    other = {p.territory_id: p.unit for p in points if p.unit != unit}
    shown = {r["id"] for r in rows}
    result.update(period=period_label(wanted), period_start=wanted.start.isoformat(),
                  period_end=wanted.end.isoformat(), granularity=wanted.granularity, unit=unit, rows=rows,
                  gaps=[{"id": t.id, "kato": t.kato, "name": t.name, "unit": other.get(t.id)}
                        for t in units if t.id not in shown])
    return result

"""Series: every document's figures for one territory and indicator merged by period.

A figure reported by several documents is one point with several sources (near-duplicate
documents count once). A reported change with a level implies the base period's level
("1,052 трлн, +4,6%" implies about 1,006 трлн the year before); that base is kept as an
``implied`` point linked to the fact it came from. Year-on-year change is computed on reading.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, text

from qala.monitor import dialect
from qala.monitor.review import both_branches
from qala.monitor.stage import STAGE
from qala.periods import Period, period_label, previous

KEY = "territory_id, indicator_id, unit, period_start, period_end"
RATIO_UNITS = ("%",)  # levels given in percent: a change of them is in points, not a ratio


def sign_sql() -> str:
    return "(CASE WHEN e.change_direction = 'down' THEN -1.0 ELSE 1.0 END)"


def implied_sql(value: str) -> str:
    """The base level implied by a level `value` and the fact's change (NULL when it cannot be)."""
    s, cv = sign_sql(), "e.change_value"
    return (f"(CASE WHEN e.change_kind = 'percent' AND 1 + {s} * {cv} / 100.0 > 0 "
            f"THEN {value} / (1 + {s} * {cv} / 100.0) "
            f"WHEN e.change_kind = 'index' AND {cv} > 0 THEN {value} / ({cv} / 100.0) "
            f"WHEN e.change_kind = 'times' AND {cv} > 0 THEN "
            f"(CASE WHEN e.change_direction = 'down' THEN {value} * {cv} ELSE {value} / {cv} END) "
            f"WHEN e.change_kind = 'absolute' THEN {value} - {s} * {cv} END)")


def with_base_sql() -> str:
    """Staged outcome facts that carry a change whose base period is known."""
    return (f"SELECT e.* FROM {STAGE} e WHERE e.plan = 0 AND e.change_kind IS NOT NULL "
            "AND e.change_value IS NOT NULL AND e.base_start IS NOT NULL AND e.territory_id IS NOT NULL "
            "AND e.indicator_id IS NOT NULL")


COLUMNS = ("kind, territory_id, indicator_id, unit, period_start, period_end, granularity, value, value_min, "
           "value_max, n_facts, n_documents, fact_id")


def _merged(source: str, key: str, value: str, kind: str) -> str:
    """One series point per `key` of `source` rows (its first five columns name the point): levels'
    range, facts, documents (near-duplicates once), first fact."""
    point = ", ".join(key.split(", ")[:5])
    return (f"SELECT '{kind}', {point}, MAX(granularity), MAX({value}), MIN({value}), MAX({value}), COUNT(*), "
            f"COUNT(DISTINCT canon_doc), MIN(fact_id) FROM ({source}) s GROUP BY {key}")


def build_series(conn: Connection) -> dict[str, int]:
    """Rebuild series_points from the staged facts with two set-based statements."""
    conn.execute(text("DELETE FROM series_points"))
    reported = conn.execute(text(
        f"INSERT INTO series_points ({COLUMNS}) " + _merged(
            f"SELECT * FROM {STAGE} WHERE plan = 0 AND territory_id IS NOT NULL AND indicator_id IS NOT NULL "
            "AND unit IS NOT NULL AND value IS NOT NULL", KEY, "value", "reported"))).rowcount
    implied = conn.execute(text(
        f"INSERT INTO series_points ({COLUMNS}) " + _merged(
            f"SELECT e.*, {implied_sql('e.value')} AS implied FROM ({with_base_sql()}) e "
            f"WHERE e.value IS NOT NULL AND e.unit IS NOT NULL AND e.unit NOT IN ('%') "
            f"AND {implied_sql('e.value')} IS NOT NULL",
            "territory_id, indicator_id, unit, base_start, base_end, implied", "implied", "implied"))).rowcount
    return {"series_points": reported, "implied_points": implied}


# ================================================================ reading

@dataclass
class Source:
    fact_id: int
    document_id: int
    value: float | None
    published: dt.date | None
    span: tuple[int, int]


@dataclass
class Point:
    period: str
    period_start: dt.date
    period_end: dt.date
    granularity: str | None
    unit: str
    value: float | None
    value_min: float | None
    value_max: float | None
    kind: str  # reported | implied
    n_documents: int
    fact_id: int | None
    yoy_percent: float | None = None
    sources: list[Source] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        out = {k: getattr(self, k) for k in ("period", "granularity", "unit", "value", "value_min", "value_max",
                                              "kind", "n_documents", "fact_id", "yoy_percent")}
        out["period_start"], out["period_end"] = self.period_start.isoformat(), self.period_end.isoformat()
        out["sources"] = [{"fact_id": s.fact_id, "document_id": s.document_id, "value": s.value,
                           "published": s.published.isoformat() if s.published else None,
                           "span": list(s.span)} for s in self.sources]
        return out


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def series_for(engine: Engine, *, territory_id: int, indicator_id: int, unit: str | None = None,
               verified_only: bool = False, with_sources: bool = True) -> list[Point]:
    """One territory's indicator as points by period (from series_points; run recompute first).

    Each reported point lists its sources (facts and documents, near-duplicates folded); the
    year-on-year change is filled where the same stretch of the year before is known.
    """
    params = {"t": territory_id, "i": indicator_id}
    extra = " AND unit = :u" if unit else ""
    if unit:
        params["u"] = unit
    with engine.connect() as conn:
        d = dialect.name(conn)
        rows = conn.execute(text(
            "SELECT kind, unit, period_start, period_end, granularity, value, value_min, value_max, n_documents, "
            f"fact_id FROM series_points WHERE territory_id = :t AND indicator_id = :i{extra} "
            "ORDER BY unit, period_start, period_end, kind DESC"), params).all()
        sources: dict[tuple, list[Source]] = {}
        if with_sources and rows:
            template = ("SELECT e.fact_id, e.document_id, e.canon_doc, e.value, e.published, e.span_start, "
                        "e.span_stop, e.unit, e.period_start, e.period_end FROM ({eff}) e WHERE e.territory_id = :t "
                        f"AND e.indicator_id = :i{extra.replace('unit', 'e.unit')} AND e.value IS NOT NULL "
                        "AND e.period_start IS NOT NULL AND e.period_end IS NOT NULL")  # see undated_for
            seen: set[tuple] = set()
            for r in conn.execute(text(f"SELECT * FROM ({both_branches(template, d, verified_only=verified_only)}) u "
                                       "ORDER BY published, fact_id"), params):
                key = (r.unit, _date(r.period_start), _date(r.period_end))
                if (key, r.canon_doc, r.value) in seen:
                    continue  # a near-duplicate document repeating the same figure
                seen.add((key, r.canon_doc, r.value))
                sources.setdefault(key, []).append(Source(r.fact_id, r.document_id, r.value,
                                                          _date(r.published) if r.published else None,
                                                          (r.span_start, r.span_stop)))
    points = []
    for r in rows:
        start, end = _date(r.period_start), _date(r.period_end)
        p = Point(period_label(Period(start, end, r.granularity or "range")), start, end, r.granularity, r.unit,
                  r.value, r.value_min, r.value_max, r.kind, r.n_documents, r.fact_id)
        if r.kind == "reported":
            p.sources = sources.get((r.unit, start, end), [])
        points.append(p)
    _fill_yoy(points)
    return points


def undated_for(engine: Engine, *, territory_id: int, indicator_id: int, unit: str | None = None,
                verified_only: bool = False) -> list[Source]:
    """The territory's figures for the indicator that carry a value but no period.

    They cannot be placed in time, so they are no series point and no check compares them; they are
    listed here (oldest publication first, reviews applied) so that a reader still sees them.
    """
    params: dict[str, Any] = {"t": territory_id, "i": indicator_id}
    extra = ""
    if unit:
        extra, params["u"] = " AND e.unit = :u", unit
    template = ("SELECT e.fact_id, e.document_id, e.value, e.published, e.span_start, e.span_stop FROM ({eff}) e "
                f"WHERE e.territory_id = :t AND e.indicator_id = :i{extra} AND e.value IS NOT NULL "
                "AND (e.period_start IS NULL OR e.period_end IS NULL)")
    with engine.connect() as conn:
        sql = both_branches(template, dialect.name(conn), verified_only=verified_only)
        rows = conn.execute(text(f"SELECT * FROM ({sql}) u ORDER BY published, fact_id"), params).all()
    return [Source(r.fact_id, r.document_id, r.value, _date(r.published) if r.published else None,
                   (r.span_start, r.span_stop)) for r in rows]


def _fill_yoy(points: list[Point]) -> None:
    reported = {(p.unit, p.period_start, p.period_end): p for p in points if p.kind == "reported"}
    for p in points:
        if p.kind != "reported" or not p.value or p.unit in RATIO_UNITS:
            continue
        base = previous(Period(p.period_start, p.period_end, p.granularity or "range"))
        prior = reported.get((p.unit, base.start, base.end)) if base else None
        if prior and prior.value:
            p.yoy_percent = round((p.value / prior.value - 1) * 100, 2)

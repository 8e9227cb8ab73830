"""Series: every document's figures for one territory and indicator merged by period.

A series is one indicator, one territory and one kind of period (qala.monitor.period_kind): the
points of a territory's indicator are stored together, each with its period, and a reader takes
one kind (``Point.period_kind``): years with years, sums since January with their like.

A figure reported by several documents is one point with several sources (near-duplicate
documents count once). A reported change with a level implies the base period's level
("1,052 трлн, +4,6%" implies about 1,006 трлн the year before); that base is kept as an
``implied`` point linked to the fact it came from. Year-on-year change is computed on reading.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, text

from qala.monitor import bulk, dialect, frame
from qala.monitor.frame import Facts
from qala.monitor.period_kind import period_kind
from qala.monitor.review import both_branches
from qala.periods import Period, period_label, previous
from qala.store.schema import SeriesPoint

CHANGE_KINDS = ("percent", "index", "times", "absolute")
RATIO_UNITS = ("%",)  # levels given in percent: a change of them is in points, not a ratio
POINT_COLUMNS = ("kind", "territory_id", "indicator_id", "unit", "period_start", "period_end", "granularity", "value",
                 "value_min", "value_max", "n_facts", "n_documents", "fact_id")
POINT_TYPES = {"kind": object, "unit": object, "granularity": object, "period_start": "datetime64[D]",
               "period_end": "datetime64[D]", "territory_id": np.int64, "indicator_id": np.int64,
               "n_facts": np.int64, "n_documents": np.int64, "fact_id": np.int64}


def kind_masks(kind: np.ndarray | tuple[np.ndarray, np.ndarray]) -> list[np.ndarray]:
    """Where a change's kind (a text column, or its codes and distinct values) is each of CHANGE_KINDS."""
    coded = kind if isinstance(kind, tuple) else frame.codes(kind)
    return [frame.isin_text(coded, (k,)) for k in CHANGE_KINDS]


def implied(kind: np.ndarray | tuple[np.ndarray, np.ndarray], down: np.ndarray, level: np.ndarray,
            cv: np.ndarray) -> np.ndarray:
    """The base level implied by a level and a change (NaN where it cannot be): "1,052 трлн, +4,6%"
    implies about 1,006 трлн; an index of 117,2% divides by 1,172; "в 2 раза" halves or doubles.
    ``kind``: as for kind_masks."""
    sign = np.where(down, -1.0, 1.0)
    with np.errstate(all="ignore"):
        pct = np.where(1 + sign * cv / 100 > 0, level / (1 + sign * cv / 100), np.nan)
        idx = np.where(cv > 0, level / (cv / 100), np.nan)
        times = np.where(cv > 0, np.where(down, level * cv, level / cv), np.nan)
        absolute = level - sign * cv
    return np.select(kind_masks(kind), [pct, idx, times, absolute], default=np.nan)


def is_down(facts: Facts) -> np.ndarray:
    return facts.isin("change_direction", ("down",))


def territory_level(facts: Facts) -> np.ndarray:
    """Outcome facts about their territory as a whole: bound to a territory and an indicator, not a
    plan (plans are commitments) and not a figure of one object in it (qala.scope)."""
    return ((facts["plan"] == 0) & facts["territorial"] & (facts["territory_id"] >= 0)
            & (facts["indicator_id"] >= 0))


def with_base(facts: Facts) -> np.ndarray:
    """Territory-level outcome facts that carry a change whose base period is known (a mask)."""
    return territory_level(facts) & facts["has_change"] & ~np.isnat(facts["base_start"])


@dataclass
class Points:
    """The rebuilt series points as columns (reported first, then implied), and for every fact the
    reported point it belongs to (-1 for none)."""

    cols: dict[str, np.ndarray]
    of_fact: np.ndarray

    def __getitem__(self, name: str) -> np.ndarray:
        return self.cols[name]

    def __len__(self) -> int:
        return len(self.cols["kind"])


def _merge(facts: Facts, rows: np.ndarray, keys: list[np.ndarray], value: np.ndarray,
           kind: str) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """One point per distinct `keys` (over the facts `rows`; the first five keys name the point):
    the range of `value`, how many facts and documents (near-duplicates once), the first fact."""
    gid, n = frame.group_ids(*keys)
    if not n:
        return {name: np.zeros(0, dtype=POINT_TYPES.get(name, float)) for name in POINT_COLUMNS}, gid
    c, u = facts.codes("granularity")
    order = np.argsort(u)  # granularities in text order: the group's greatest is its label
    rank = np.empty(len(u) + 1, dtype=np.int64)
    rank[order], rank[-1] = np.arange(len(u)), -1
    gran, gran_values = rank[c][rows], u[order]
    agg = pd.DataFrame({"g": gid, "v": value, "f": facts["fact_id"][rows], "gran": gran}).groupby(
        "g", sort=True).agg(vmax=("v", "max"), vmin=("v", "min"), n=("v", "size"), f=("f", "min"),
                            gran=("gran", "max"))
    span = int(facts["canon_doc"].max()) + 1
    pairs = pd.unique(gid * span + facts["canon_doc"][rows])  # (point, document) once each, by hashing
    docs = np.bincount(pairs // span, minlength=n)
    first = np.full(n, -1, dtype=np.int64)
    first[gid[::-1]] = np.arange(len(gid))[::-1]
    names = ("territory_id", "indicator_id", "unit", "period_start", "period_end")
    cols = {name: keys[k][first] for k, name in enumerate(names)}
    g = agg["gran"].to_numpy()
    cols.update(kind=np.full(n, kind, dtype=object),
                granularity=np.where(g >= 0, np.append(gran_values, None)[g], None),
                value=agg["vmax"].to_numpy(), value_min=agg["vmin"].to_numpy(), value_max=agg["vmax"].to_numpy(),
                n_facts=agg["n"].to_numpy(), n_documents=docs, fact_id=agg["f"].to_numpy())
    return cols, gid


def build_series(conn: Connection, facts: Facts) -> tuple[dict[str, int], Points]:
    """Rebuild series_points from the facts: reported points, then the bases their changes imply."""
    reported = np.flatnonzero(territory_level(facts) & facts.not_null("unit") & ~np.isnan(facts["value"]))
    keys = [facts[k][reported] for k in ("territory_id", "indicator_id", "unit", "period_start", "period_end")]
    points, gid = _merge(facts, reported, keys, facts["value"][reported], "reported")
    of_fact = np.full(len(facts), -1, dtype=np.int64)
    of_fact[reported] = gid
    base = with_base(facts) & ~np.isnan(facts["value"]) & facts.not_null("unit")
    base &= ~facts.isin("unit", RATIO_UNITS)
    level = implied(facts.codes("change_kind"), is_down(facts), facts["value"], facts["change_value"])
    rows = np.flatnonzero(base & ~np.isnan(level))
    keys = [facts[k][rows] for k in ("territory_id", "indicator_id", "unit", "base_start", "base_end")]
    bases, _ = _merge(facts, rows, keys + [level[rows]], level[rows], "implied")
    cols = {name: np.concatenate([points[name], bases[name]]) for name in POINT_COLUMNS}
    bulk.replace_table(conn, SeriesPoint.__table__, cols)
    return ({"series_points": len(points["kind"]), "implied_points": len(bases["kind"])},
            Points(cols, of_fact))


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
    period_kind: str | None = None  # year | half | quarter | month | ytd | date | range (qala.monitor.period_kind)

    def to_json(self) -> dict[str, Any]:
        out = {k: getattr(self, k) for k in ("period", "granularity", "period_kind", "unit", "value", "value_min",
                                              "value_max", "kind", "n_documents", "fact_id", "yoy_percent")}
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
                  r.value, r.value_min, r.value_max, r.kind, r.n_documents, r.fact_id,
                  period_kind=period_kind(start, end, r.granularity))
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
    """Year-on-year change of each reported point against the same stretch of the year before, of
    the same kind of period (a sum since January against a sum since January, never a year)."""
    reported = {(p.unit, p.period_start, p.period_end): p for p in points if p.kind == "reported"}
    for p in points:
        if p.kind != "reported" or not p.value or p.unit in RATIO_UNITS:
            continue
        base = previous(Period(p.period_start, p.period_end, p.granularity or "range"))
        prior = reported.get((p.unit, base.start, base.end)) if base else None
        if prior and prior.value and prior.period_kind == p.period_kind:
            p.yoy_percent = round((p.value / prior.value - 1) * 100, 2)

"""Claim checks across documents, each keeping both facts (and so both sentences):

(a) contradiction: one indicator, territory, period and unit, values (or changes) that differ
    beyond the rounding they were written with;
(b) change_mismatch: a reported change that does not fit the stored level of its base period;
(c) part_whole: a part (child indicator) above its whole for the same territory, period, unit;
(d) outlier: a figure far outside the territory's own history (robust z-score, median and MAD).

SQL narrows each check to candidates set-wise; the precise judgement (written precision) runs
vectorized over the candidates only.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
from sqlalchemy import Connection, Engine, text

from qala.monitor import dialect, labels
from qala.monitor.bulk import insert_rows
from qala.monitor.consensus import disputes
from qala.monitor.history import outliers
from qala.monitor.series import implied_sql, sign_sql, with_base_sql
from qala.monitor.stage import STAGE
from qala.monitor.tolerance import interval, steps

COLUMNS = ("kind", "territory_id", "indicator_id", "other_indicator_id", "unit", "period_start", "period_end",
           "fact_id", "other_fact_id", "document_id", "other_document_id", "value", "expected", "score", "message")
KINDS = ("contradiction", "change_mismatch", "part_whole", "outlier")
CHANGE_SLACK = 0.005  # relative: rounding passed along a chain of publications
MONEY_DEFLATOR = 0.25  # largest yearly price rise allowed between a real-terms rate and nominal levels


def build_checks(conn: Connection, *, timings: dict[str, float] | None = None) -> dict[str, int]:
    """Rebuild the checks table from series_points and the staged facts; returns counts by kind."""
    import time

    conn.execute(text("DELETE FROM checks"))
    found: list[dict[str, Any]] = []
    for step in (value_contradictions, change_contradictions, change_mismatches, parts_above_whole, outliers):
        t = time.perf_counter()
        with dialect.hash_joins(conn):
            found += step(conn)
        if timings is not None:
            timings[step.__name__] = round(time.perf_counter() - t, 3)
    _fill_documents(conn, found)
    insert_rows(conn, "checks", COLUMNS, ([c.get(name) for name in COLUMNS] for c in found))
    counts = {kind: 0 for kind in KINDS}
    for c in found:
        counts[c["kind"]] += 1
    return counts


def _row(kind: str, r: Any, **extra: Any) -> dict[str, Any]:
    base = {"kind": kind, "territory_id": r.territory_id, "indicator_id": r.indicator_id,
            "other_indicator_id": None, "unit": getattr(r, "unit", None), "period_start": _d(r.period_start),
            "period_end": _d(r.period_end), "fact_id": None, "other_fact_id": None, "document_id": None,
            "other_document_id": None, "value": None, "expected": None, "score": None}
    base.update(extra)
    return base


def _d(value: Any) -> Any:
    import datetime as dt

    return value if isinstance(value, dt.date) or value is None else dt.date.fromisoformat(str(value)[:10])


# ================================================================ (a) contradictions

def value_contradictions(conn: Connection) -> list[dict[str, Any]]:
    # The few disputed points are set apart first, so the staged facts are read once against them
    # (SQLite: CROSS JOIN keeps the facts outside and indexes the small side; PostgreSQL hashes it).
    conn.execute(text("DROP TABLE IF EXISTS monitor_disputed"))
    conn.execute(text("CREATE TEMPORARY TABLE monitor_disputed AS SELECT territory_id, indicator_id, unit, "
                      "period_start, period_end FROM series_points WHERE kind = 'reported' AND value_min < value_max"))
    if conn.dialect.name == "postgresql":
        conn.execute(text("ANALYZE monitor_disputed"))  # a handful of rows: the planner hashes them
    rows = conn.execute(text(
        "SELECT e.fact_id, e.document_id, e.canon_doc, e.territory_id, e.indicator_id, e.unit, e.period_start, "
        f"e.period_end, e.value, e.approx, e.span_start, e.span_stop FROM {STAGE} e CROSS JOIN monitor_disputed s "
        "WHERE s.territory_id = e.territory_id AND s.indicator_id = e.indicator_id AND s.unit = e.unit "
        "AND s.period_start = e.period_start AND s.period_end = e.period_end AND e.value IS NOT NULL AND e.plan = 0 "
        "ORDER BY e.territory_id, e.indicator_id, e.unit, e.period_start, e.period_end, e.fact_id")).all()
    conn.execute(text("DROP TABLE monitor_disputed"))
    out = []
    for group in _groups(rows, lambda r: (r.territory_id, r.indicator_id, r.unit, str(r.period_start),
                                          str(r.period_end))):
        ranges = np.array([interval(r.value, r.approx) for r in group], dtype=float)
        ref, disputed = disputes(group, ranges[:, 0], ranges[:, 1], np.abs([r.value for r in group]))
        for r in disputed:
            out.append(_row("contradiction", r, fact_id=r.fact_id, other_fact_id=ref.fact_id,
                            document_id=r.document_id, other_document_id=ref.document_id, value=r.value,
                            expected=ref.value, score=abs(r.value - ref.value) / max(abs(ref.value), 1e-12),
                            message=labels.MESSAGES["contradiction"].format(
                                value=labels.number(r.value), other=labels.number(ref.value))))
    return out


def _norm_sql() -> str:
    """A change as signed percent (absolute changes stay as they are)."""
    s, cv = sign_sql(), "e.change_value"
    return (f"(CASE WHEN e.change_kind = 'percent' THEN {s} * {cv} WHEN e.change_kind = 'index' THEN {cv} - 100 "
            f"WHEN e.change_kind = 'times' AND {cv} > 0 THEN (CASE WHEN e.change_direction = 'down' "
            f"THEN (1.0 / {cv} - 1) * 100 ELSE ({cv} - 1) * 100 END) WHEN e.change_kind = 'absolute' THEN {s} * {cv} END)")


def _norm_interval(kind: str, value: float, direction: str | None) -> tuple[float, float]:
    lo, hi = interval(value)
    sign = -1.0 if direction == "down" else 1.0

    def f(x: float) -> float:
        if kind == "percent" or kind == "absolute":
            return sign * x
        if kind == "index":
            return x - 100
        if x <= 0:
            return math.nan
        return (1 / x - 1) * 100 if direction == "down" else (x - 1) * 100
    a, b = f(lo), f(hi)
    return min(a, b), max(a, b)


def change_contradictions(conn: Connection) -> list[dict[str, Any]]:
    src = (f"SELECT e.*, {_norm_sql()} AS norm, CASE WHEN e.change_kind = 'absolute' THEN 'abs' ELSE 'rel' END "
           f"AS cls FROM ({with_base_sql()}) e")
    key = "territory_id, indicator_id, period_start, period_end, base_years, cls"
    rows = conn.execute(text(
        "SELECT fact_id, document_id, canon_doc, territory_id, indicator_id, unit, period_start, period_end, "
        "change_kind, change_value, change_direction, norm, cls, span_start, span_stop FROM ("
        "SELECT c.*, MIN(c.norm) OVER w AS lo, MAX(c.norm) OVER w AS hi "
        f"FROM ({src}) c WINDOW w AS (PARTITION BY {key})) d WHERE lo < hi "
        f"ORDER BY {key}, fact_id")).all()
    out = []
    for group in _groups(rows, lambda r: (r.territory_id, r.indicator_id, str(r.period_start), str(r.period_end),
                                          r.cls)):
        spans = np.array([_norm_interval(r.change_kind, r.change_value, r.change_direction) for r in group],
                         dtype=float)
        ref, disputed = disputes(group, spans[:, 0], spans[:, 1], np.ones(len(group)))
        for r in disputed:
            out.append(_row("contradiction", r, fact_id=r.fact_id, other_fact_id=ref.fact_id,
                            document_id=r.document_id, other_document_id=ref.document_id, value=r.norm,
                            expected=ref.norm, score=abs(r.norm - ref.norm),
                            message=labels.MESSAGES["contradiction_change"].format(
                                value=_change_text(r), other=_change_text(ref))))
    return out


def _change_text(r: Any) -> str:
    v = labels.number(r.change_value)
    if r.change_kind == "index":
        return f"{v}%"
    if r.change_kind == "times":
        return f"в {v} раза"
    sign = "−" if r.change_direction == "down" else "+"
    return f"{sign}{v}{'%' if r.change_kind == 'percent' else ''}"


# ================================================================ (b) a change that does not fit its base

def change_mismatches(conn: Connection) -> list[dict[str, Any]]:
    # Two branches: a change stated with its level, and a bare change judged against the level
    # reported elsewhere for its period (`cur`). Only changes that may not fit are fetched.
    head = ("SELECT e.fact_id, e.document_id, e.territory_id, e.indicator_id, b.unit, e.period_start, e.period_end, "
            "e.value, e.approx, e.change_kind, e.change_value, e.change_direction, {cur_min} AS cur_min, "
            "{cur_max} AS cur_max, b.value_min AS base_min, b.value_max AS base_max, b.fact_id AS base_fact, "
            "b.period_start AS base_start, b.period_end AS base_end "
            f"FROM ({with_base_sql()}) e "
            "JOIN series_points b ON b.kind = 'reported' AND b.territory_id = e.territory_id "
            "AND b.indicator_id = e.indicator_id AND b.period_start = e.base_start AND b.period_end = e.base_end ")
    with_level = (head.format(cur_min="CAST(NULL AS FLOAT)", cur_max="CAST(NULL AS FLOAT)")
                  + "WHERE e.value IS NOT NULL AND e.unit = b.unit AND b.unit NOT IN ('%') AND e.approx IS NULL "
                  f"AND NOT {_fits_sql('e.value')}")
    bare = (head.format(cur_min="cur.value_min", cur_max="cur.value_max")
            + "JOIN series_points cur ON cur.kind = 'reported' AND cur.territory_id = e.territory_id "
            "AND cur.indicator_id = e.indicator_id AND cur.unit = b.unit AND cur.period_start = e.period_start "
            "AND cur.period_end = e.period_end "
            "WHERE e.value IS NULL AND cur.value_min IS NOT NULL AND b.unit NOT IN ('%') AND e.approx IS NULL "
            f"AND NOT {_fits_sql('cur.value_min')}")
    rows = conn.execute(text(f"SELECT * FROM ({with_level} UNION ALL {bare}) m ORDER BY fact_id, unit")).all()
    if not rows:
        return []
    cols = {name: np.array([getattr(r, name) for r in rows], dtype=float)
            for name in ("value", "cur_min", "cur_max", "change_value", "base_min", "base_max")}
    has_level = ~np.isnan(cols["value"])
    lo_v = np.where(has_level, cols["value"], cols["cur_min"])
    hi_v = np.where(has_level, cols["value"], cols["cur_max"])
    lo_v = lo_v - steps(lo_v) / 2
    hi_v = hi_v + steps(hi_v) / 2
    cv = cols["change_value"]
    lo_c, hi_c = cv - steps(cv) / 2, cv + steps(cv) / 2
    kind = np.array([r.change_kind for r in rows])
    down = np.array([r.change_direction == "down" for r in rows])
    corners = [_implied(kind, down, lv, c) for lv in (lo_v, hi_v) for c in (lo_c, hi_c)]
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        imp_lo = np.nanmin(np.vstack(corners), axis=0) * (1 - CHANGE_SLACK)
        imp_hi = np.nanmax(np.vstack(corners), axis=0) * (1 + CHANGE_SLACK)
    # Money growth is usually stated in real terms: prices may put the nominal base below the implied one.
    money = np.array([bool(r.unit and len(r.unit) == 3 and r.unit.isupper()) for r in rows])
    imp_lo = np.where(money & np.isin(kind, ("percent", "index", "times")), imp_lo / (1 + MONEY_DEFLATOR), imp_lo)
    b_lo = cols["base_min"] - steps(cols["base_min"]) / 2
    b_hi = cols["base_max"] + steps(cols["base_max"]) / 2
    approx = np.array([r.approx is not None for r in rows])
    bad = np.isfinite(imp_lo) & np.isfinite(imp_hi) & ~approx & ((imp_hi < b_lo) | (imp_lo > b_hi))
    out, seen = [], set()
    for idx in np.nonzero(bad)[0]:
        r = rows[int(idx)]
        said = (r.territory_id, r.indicator_id, str(r.period_start), str(r.period_end), r.value, r.change_kind,
                r.change_value, r.change_direction)
        if said in seen:
            continue  # the same claim in another document: one check
        seen.add(said)
        level = r.value if r.value is not None else (r.cur_min + r.cur_max) / 2
        expected = float(_implied(kind[idx:idx + 1], down[idx:idx + 1], np.array([level]),
                                  np.array([r.change_value]))[0])
        base = (r.base_min + r.base_max) / 2
        from qala.periods import Period, period_label
        base_label = period_label(Period(_d(r.base_start), _d(r.base_end), "range"))
        if r.value is not None:
            msg = labels.MESSAGES["change_mismatch"].format(change=_change_text(r), value=labels.number(level),
                                                            expected=labels.number(expected), base=base_label,
                                                            other=labels.number(base))
        else:
            msg = labels.MESSAGES["change_mismatch_level"].format(
                value=labels.number(level), other=labels.number(base), base=base_label,
                actual=f"{(level / base - 1) * 100:+.1f}%".replace(".", ","), change=_change_text(r))
        out.append(_row("change_mismatch", r, fact_id=r.fact_id, other_fact_id=r.base_fact, document_id=r.document_id,
                        value=base, expected=expected, score=abs(expected - base) / max(abs(base), 1e-12),
                        message=msg))
    return out


def _fits_sql(level: str) -> str:
    """A coarse SQL test that a change certainly fits its base (only the rest are judged precisely):
    the base implied by the centres of level and change lies between the precise test's corners,
    which are then widened by CHANGE_SLACK, so a centre within the base's range widened by less
    can never be flagged. Poles of the formulas (falls of 50% or more, changes of zero or less) and
    non-positive figures are left to the precise test."""
    centre = implied_sql(level)
    margin = 1 + CHANGE_SLACK * 0.8
    return (f"(e.change_value > 0 AND NOT (e.change_kind = 'percent' AND e.change_direction = 'down' "
            f"AND e.change_value >= 50) AND b.value_min > 0 AND {centre} > 0 "
            f"AND {centre} >= b.value_min / {margin} AND {centre} <= b.value_max * {margin})")


def _implied(kind: np.ndarray, down: np.ndarray, level: np.ndarray, cv: np.ndarray) -> np.ndarray:
    sign = np.where(down, -1.0, 1.0)
    with np.errstate(all="ignore"):
        pct = np.where(1 + sign * cv / 100 > 0, level / (1 + sign * cv / 100), np.nan)
        idx = np.where(cv > 0, level / (cv / 100), np.nan)
        times = np.where(cv > 0, np.where(down, level * cv, level / cv), np.nan)
        absolute = level - sign * cv
    return np.select([kind == "percent", kind == "index", kind == "times", kind == "absolute"],
                     [pct, idx, times, absolute], default=np.nan)


# ================================================================ (c) a part above its whole

def parts_above_whole(conn: Connection) -> list[dict[str, Any]]:
    rows = conn.execute(text(
        "SELECT c.territory_id, c.indicator_id, p.indicator_id AS parent_id, c.unit, c.period_start, c.period_end, "
        "c.value_min AS child, c.fact_id, p.value_max AS whole, p.fact_id AS parent_fact "
        "FROM series_points c JOIN indicators i ON i.id = c.indicator_id "
        "JOIN series_points p ON p.kind = 'reported' AND p.indicator_id = i.parent_id "
        "AND p.territory_id = c.territory_id AND p.unit = c.unit AND p.period_start = c.period_start "
        "AND p.period_end = c.period_end "
        "WHERE c.kind = 'reported' AND c.unit NOT IN ('%') AND c.value_min > p.value_max")).all()
    out = []
    for r in rows:
        if interval(r.child)[0] > interval(r.whole)[1]:
            out.append(_row("part_whole", r, other_indicator_id=r.parent_id, fact_id=r.fact_id,
                            other_fact_id=r.parent_fact, value=r.child, expected=r.whole,
                            score=r.child / r.whole if r.whole else None,
                            message=labels.MESSAGES["part_whole"].format(value=labels.number(r.child),
                                                                         other=labels.number(r.whole))))
    return out


# ================================================================ helpers and reading

def _groups(rows: list[Any], key) -> list[list[Any]]:
    out: list[list[Any]] = []
    last = object()
    for r in rows:
        k = key(r)
        if k != last:
            out.append([])
            last = k
        out[-1].append(r)
    return [g for g in out if len(g) > 1]


def _fill_documents(conn: Connection, found: list[dict[str, Any]]) -> None:
    missing = {c[f] for c in found for f in ("fact_id", "other_fact_id") if c[f] is not None}
    docs: dict[int, int] = {}
    ids = sorted(missing)
    for i in range(0, len(ids), 1000):
        chunk = ids[i:i + 1000]
        for fid, did in conn.execute(text(f"SELECT id, document_id FROM facts WHERE id IN ({','.join(map(str, chunk))})")):
            docs[fid] = did
    for c in found:
        c["document_id"] = c["document_id"] or docs.get(c["fact_id"])
        c["other_document_id"] = c["other_document_id"] or docs.get(c["other_fact_id"])


def list_checks(engine: Engine, *, kind: str | None = None, territory_id: int | None = None,
                document_id: int | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    """Checks with both sides shown: each fact's document, span and sentence text."""
    if kind is not None and kind not in KINDS:
        from qala.errors import InvalidInput

        raise InvalidInput(f"expected a check kind among {', '.join(KINDS)}, got {kind!r}")
    where, params = [], {}
    if kind:
        where.append("c.kind = :kind")
        params["kind"] = kind
    if territory_id is not None:
        where.append("c.territory_id = :t")
        params["t"] = territory_id
    if document_id is not None:
        where.append("(c.document_id = :doc OR c.other_document_id = :doc)")
        params["doc"] = document_id
    sql = ("SELECT c.*, t.name AS territory, i.name AS indicator, "
           "f1.span_start AS s1, f1.span_stop AS e1, f2.span_start AS s2, f2.span_stop AS e2, "
           "SUBSTR(d1.text, f1.span_start + 1, f1.span_stop - f1.span_start) AS sentence, "
           "SUBSTR(d2.text, f2.span_start + 1, f2.span_stop - f2.span_start) AS other_sentence, "
           "d1.url AS url, d2.url AS other_url, d1.published AS published, d2.published AS other_published "
           "FROM checks c LEFT JOIN territories t ON t.id = c.territory_id "
           "LEFT JOIN indicators i ON i.id = c.indicator_id "
           "LEFT JOIN facts f1 ON f1.id = c.fact_id LEFT JOIN facts f2 ON f2.id = c.other_fact_id "
           "LEFT JOIN documents d1 ON d1.id = f1.document_id LEFT JOIN documents d2 ON d2.id = f2.document_id"
           + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY c.kind, c.territory_id, c.period_start, c.id")
    if limit:
        sql += f" LIMIT {int(limit)}"
    with engine.connect() as conn:
        rows = conn.execute(text(sql), params).mappings().all()
    out = []
    for r in rows:
        side = {"fact_id": r["fact_id"], "document_id": r["document_id"], "span": [r["s1"], r["e1"]],
                "sentence": r["sentence"], "url": r["url"], "published": _iso(r["published"])}
        other = {"fact_id": r["other_fact_id"], "document_id": r["other_document_id"], "span": [r["s2"], r["e2"]],
                 "sentence": r["other_sentence"], "url": r["other_url"], "published": _iso(r["other_published"])}
        out.append({"id": r["id"], "kind": r["kind"], "kind_label": labels.CHECK_KIND[r["kind"]],
                    "territory_id": r["territory_id"], "territory": r["territory"], "indicator_id": r["indicator_id"],
                    "indicator": r["indicator"], "other_indicator_id": r["other_indicator_id"], "unit": r["unit"],
                    "period_start": _iso(r["period_start"]), "period_end": _iso(r["period_end"]),
                    "value": r["value"], "expected": r["expected"], "score": r["score"], "message": r["message"],
                    "fact": side, "other": other})
    return out


def _iso(value: Any) -> str | None:
    return None if value is None else str(value)[:10]

"""Claim checks across documents, each keeping both facts (and so both sentences):

(a) contradiction: one indicator, territory, period and unit, values (or changes) that differ
    beyond the rounding they were written with;
(b) change_mismatch: a reported change that does not fit the stored level of its base period;
(c) part_whole: a part (child indicator) above its whole for the same territory, period, unit;
(d) outlier: a figure far outside the territory's own history (robust z-score, median and MAD);
(e) official_mismatch: a figure the official statistics of its period disagree with (official.py).

Each check narrows the facts and points (column arrays read once per rebuild) to candidates with
vectorized tests; the precise judgement (written precision) runs on the candidates only.
"""

from __future__ import annotations

import math
import warnings
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, text

from qala.monitor import frame, labels
from qala.monitor.bulk import insert_rows, later
from qala.monitor.consensus import disputes
from qala.monitor.frame import Facts
from qala.monitor.period_kind import period_kind
from qala.monitor.series import RATIO_UNITS, Points, implied, is_down, kind_masks, with_base
from qala.monitor.tolerance import interval, steps
from qala.periods import Period, period_label

COLUMNS = ("kind", "territory_id", "indicator_id", "other_indicator_id", "unit", "period_start", "period_end",
           "fact_id", "other_fact_id", "document_id", "other_document_id", "value", "expected", "score", "message",
           "official_id")
KINDS = ("contradiction", "change_mismatch", "part_whole", "outlier", "official_mismatch")
CHANGE_SLACK = 0.005  # relative: rounding passed along a chain of publications
MONEY_DEFLATOR = 0.25  # largest yearly price rise allowed between a real-terms rate and nominal levels


def build_checks(conn: Connection, facts: Facts, points: Points, *,
                 timings: dict[str, float] | None = None) -> dict[str, int]:
    """Rebuild the checks table from the series points and the facts; returns counts by kind."""
    import time

    found: list[dict[str, Any]] = []
    from qala.monitor.history import outliers
    from qala.monitor.official import official_mismatches

    for step in (value_contradictions, change_contradictions, change_mismatches, parts_above_whole, outliers,
                 official_mismatches):
        t = time.perf_counter()
        found += step(conn, facts, points)
        if timings is not None:
            timings[step.__name__] = round(time.perf_counter() - t, 3)
    _fill_documents(facts, found)
    later(conn, lambda c: c.execute(text("DELETE FROM checks")))  # with the rows: a read here would wait on the writer
    insert_rows(conn, "checks", COLUMNS, ([c.get(name) for name in COLUMNS] for c in found))
    counts = {kind: 0 for kind in KINDS}
    for c in found:
        counts[c["kind"]] += 1
    return counts


def _row(kind: str, r: Any, **extra: Any) -> dict[str, Any]:
    base = {"kind": kind, "territory_id": r.territory_id, "indicator_id": r.indicator_id,
            "other_indicator_id": None, "unit": getattr(r, "unit", None), "period_start": _d(r.period_start),
            "period_end": _d(r.period_end), "fact_id": None, "other_fact_id": None, "document_id": None,
            "other_document_id": None, "value": None, "expected": None, "score": None, "official_id": None}
    base.update(extra)
    return base


def _d(value: Any) -> Any:
    import datetime as dt

    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else value.astype(object)
    return value if isinstance(value, dt.date) or value is None else dt.date.fromisoformat(str(value)[:10])


def records(cols: Any, rows: np.ndarray, names: tuple[str, ...], **more: np.ndarray) -> list[SimpleNamespace]:
    """Plain Python records for a few rows of a column set (facts or points), for the judgement
    that reads them one by one; numbers as Python numbers, dates as dates, NaN as None."""
    out = []
    columns = {n: cols[n][rows] for n in names}
    columns.update({n: v[rows] for n, v in more.items()})
    plain = {}
    for n, col in columns.items():
        if col.dtype.kind == "M":
            plain[n] = col.astype(object).tolist()
        elif col.dtype.kind == "f":
            plain[n] = frame.nullable(col)
        else:
            plain[n] = col.tolist()
    for values in zip(*plain.values()):
        out.append(SimpleNamespace(**dict(zip(plain, values))))
    return out


FACT_FIELDS = ("fact_id", "document_id", "canon_doc", "territory_id", "indicator_id", "unit", "period_start",
               "period_end", "value", "approx", "span_start", "span_stop", "change_kind", "change_value",
               "change_direction")


def _grouped_records(facts: Facts, gid: np.ndarray, rows: np.ndarray, **more: np.ndarray) -> list[list[Any]]:
    """The facts `rows` as records, split by group (in fact order within a group); groups of one
    fact left out."""
    if not len(rows):
        return []
    order = np.lexsort((facts["fact_id"][rows], gid))
    g, r = gid[order], rows[order]
    sizes = np.diff(np.flatnonzero(np.r_[True, np.diff(g) != 0, True]))
    keep = np.repeat(sizes > 1, sizes)
    flat = records(facts, r[keep], FACT_FIELDS, **more)
    out, at = [], 0
    for size in sizes[sizes > 1].tolist():
        out.append(flat[at:at + size])
        at += size
    return out


# ================================================================ (a) contradictions

def value_contradictions(conn: Connection, facts: Facts, points: Points) -> list[dict[str, Any]]:
    """Reports of one point whose written ranges miss the range most documents back."""
    disputed = np.flatnonzero((points["kind"] == "reported") & (points["value_min"] < points["value_max"]))
    if not len(disputed):
        return []
    mark = np.zeros(len(points), dtype=bool)
    mark[disputed] = True
    rows = np.flatnonzero((points.of_fact >= 0) & mark[np.maximum(points.of_fact, 0)])
    out = []
    for group in _grouped_records(facts, points.of_fact[rows], rows):
        ranges = np.array([interval(r.value, r.approx) for r in group], dtype=float)
        ref, disputed_rows = disputes(group, ranges[:, 0], ranges[:, 1], np.abs([r.value for r in group]))
        for r in disputed_rows:
            out.append(_row("contradiction", r, fact_id=r.fact_id, other_fact_id=ref.fact_id,
                            document_id=r.document_id, other_document_id=ref.document_id, value=r.value,
                            expected=ref.value, score=abs(r.value - ref.value) / max(abs(ref.value), 1e-12),
                            message=labels.MESSAGES["contradiction"].format(
                                value=labels.number(r.value), other=labels.number(ref.value),
                                gap=gap_text(gap("contradiction", r.value, ref.value)))))
    return out


def normalized_change(facts: Facts) -> np.ndarray:
    """Each change as signed percent (absolute changes stay as they are); NaN where undefined."""
    cv, down = facts["change_value"], is_down(facts)
    sign = np.where(down, -1.0, 1.0)
    with np.errstate(all="ignore"):
        times = np.where(cv > 0, np.where(down, (1.0 / cv - 1) * 100, (cv - 1) * 100), np.nan)
    return np.select(kind_masks(facts.codes("change_kind")), [sign * cv, cv - 100, times, sign * cv], default=np.nan)


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


def change_contradictions(conn: Connection, facts: Facts, points: Points) -> list[dict[str, Any]]:
    """Changes reported for one period against one base that differ beyond their rounding (relative
    and absolute changes compared among themselves)."""
    rows = np.flatnonzero(with_base(facts))
    if not len(rows):
        return []
    norm = normalized_change(facts)[rows]
    absolute = facts.isin("change_kind", ("absolute",))[rows]
    gid, _ = frame.group_ids(*(facts[k][rows] for k in ("territory_id", "indicator_id", "period_start",
                                                        "period_end", "base_years")), absolute)
    lo = pd.Series(norm).groupby(gid).transform("min").to_numpy()
    hi = pd.Series(norm).groupby(gid).transform("max").to_numpy()
    keep = lo < hi
    out = []
    norm_all = np.full(len(facts), np.nan)
    norm_all[rows] = norm
    for group in _grouped_records(facts, gid[keep], rows[keep], norm=norm_all):
        spans = np.array([_norm_interval(r.change_kind, r.change_value, r.change_direction) for r in group],
                         dtype=float)
        ref, disputed = disputes(group, spans[:, 0], spans[:, 1], np.ones(len(group)))
        for r in disputed:
            out.append(_row("contradiction", r, fact_id=r.fact_id, other_fact_id=ref.fact_id,
                            document_id=r.document_id, other_document_id=ref.document_id, value=r.norm,
                            expected=ref.norm, score=abs(r.norm - ref.norm),
                            message=labels.MESSAGES["contradiction_change"].format(
                                value=_change_text(r), other=_change_text(ref),
                                gap=gap_text({"absolute": r.norm - ref.norm, "relative": None, "points": True}))))
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

def _point_frame(points: Points, prefix: str) -> pd.DataFrame:
    reported = np.flatnonzero(points["kind"] == "reported")
    return pd.DataFrame({f"{prefix}point": reported,
                         **{k: points[k][reported] for k in ("territory_id", "indicator_id")},
                         "ps": points["period_start"][reported], "pe": points["period_end"][reported],
                         "unit": points["unit"][reported]})


def change_mismatches(conn: Connection, facts: Facts, points: Points) -> list[dict[str, Any]]:
    """Changes whose implied base misses the level stored for the base period. Two kinds: a change
    stated with its level, and a bare change judged against the level reported elsewhere for its
    own period (cur). A coarse test sets aside what certainly fits; the rest is judged precisely."""
    rows = np.flatnonzero(with_base(facts) & ~facts.not_null("approx"))
    if not len(rows) or not len(points):
        return []
    left = pd.DataFrame({"row": rows, "territory_id": facts["territory_id"][rows],
                         "indicator_id": facts["indicator_id"][rows], "ps": facts["base_start"][rows],
                         "pe": facts["base_end"][rows]})
    base = _point_frame(points, "b")
    pairs = left.merge(base, on=["territory_id", "indicator_id", "ps", "pe"])
    pairs = pairs[~frame.isin_text(pairs["unit"].to_numpy(dtype=object), RATIO_UNITS)]
    r, b = pairs["row"].to_numpy(), pairs["bpoint"].to_numpy()
    unit = pairs["unit"].to_numpy(dtype=object)
    has_level = ~np.isnan(facts["value"][r])
    level = has_level & (facts["unit"][r] == unit)
    # a bare change: the level of its own period, in the base's unit, as reported elsewhere
    bare = pairs[~has_level]
    cur = _point_frame(points, "c").rename(columns={"ps": "cps", "pe": "cpe"})
    bare = bare.assign(cps=facts["period_start"][bare["row"].to_numpy()],
                       cpe=facts["period_end"][bare["row"].to_numpy()]).merge(
        cur, on=["territory_id", "indicator_id", "unit", "cps", "cpe"])
    cand_r = np.concatenate([r[level], bare["row"].to_numpy()])
    cand_b = np.concatenate([b[level], bare["bpoint"].to_numpy()])
    cand_c = np.concatenate([np.full(int(level.sum()), -1), bare["cpoint"].to_numpy()])
    if not len(cand_r):
        return []
    with_cur = cand_c >= 0
    cur_min = np.where(with_cur, points["value_min"][np.maximum(cand_c, 0)], np.nan)
    cur_max = np.where(with_cur, points["value_max"][np.maximum(cand_c, 0)], np.nan)
    value = facts["value"][cand_r]
    kind = facts["change_kind"][cand_r]
    down = is_down(facts)[cand_r]
    cv = facts["change_value"][cand_r]
    base_min, base_max = points["value_min"][cand_b], points["value_max"][cand_b]
    centre = implied(kind, down, np.where(with_cur, cur_min, value), cv)
    margin = 1 + CHANGE_SLACK * 0.8
    with np.errstate(invalid="ignore"):
        fits = ((cv > 0) & ~((kind == "percent") & down & (cv >= 50)) & (base_min > 0) & (centre > 0)
                & (centre >= base_min / margin) & (centre <= base_max * margin))
        unknown = np.isnan(centre) & ~fits & (cv > 0) & ~((kind == "percent") & down & (cv >= 50)) & (base_min > 0)
    todo = np.flatnonzero(~fits & ~unknown)
    order = np.lexsort((points["unit"][cand_b[todo]].astype(str), facts["fact_id"][cand_r[todo]]))
    todo = todo[order]
    return _judge_changes(facts, points, cand_r[todo], cand_b[todo], cur_min[todo], cur_max[todo])


def _judge_changes(facts: Facts, points: Points, r: np.ndarray, b: np.ndarray, cur_min: np.ndarray,
                   cur_max: np.ndarray) -> list[dict[str, Any]]:
    if not len(r):
        return []
    value, cv = facts["value"][r], facts["change_value"][r]
    kind, down = facts["change_kind"][r], is_down(facts)[r]
    has_level = ~np.isnan(value)
    lo_v = np.where(has_level, value, cur_min)
    hi_v = np.where(has_level, value, cur_max)
    lo_v = lo_v - steps(lo_v) / 2
    hi_v = hi_v + steps(hi_v) / 2
    lo_c, hi_c = cv - steps(cv) / 2, cv + steps(cv) / 2
    corners = [implied(kind, down, lv, c) for lv in (lo_v, hi_v) for c in (lo_c, hi_c)]
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        imp_lo = np.nanmin(np.vstack(corners), axis=0) * (1 - CHANGE_SLACK)
        imp_hi = np.nanmax(np.vstack(corners), axis=0) * (1 + CHANGE_SLACK)
    # Money growth is usually stated in real terms: prices may put the nominal base below the implied one.
    unit = points["unit"][b]
    money = np.array([bool(u and len(u) == 3 and u.isupper()) for u in unit])
    imp_lo = np.where(money & np.isin(kind, ("percent", "index", "times")), imp_lo / (1 + MONEY_DEFLATOR), imp_lo)
    base_min, base_max = points["value_min"][b], points["value_max"][b]
    b_lo = base_min - steps(base_min) / 2
    b_hi = base_max + steps(base_max) / 2
    bad = np.flatnonzero(np.isfinite(imp_lo) & np.isfinite(imp_hi) & ((imp_hi < b_lo) | (imp_lo > b_hi)))
    if not len(bad):
        return []
    found = records(facts, r[bad], FACT_FIELDS)
    out, seen = [], set()
    for k, rec in zip(bad.tolist(), found):
        rec.unit = unit[k]
        said = (rec.territory_id, rec.indicator_id, str(rec.period_start), str(rec.period_end), rec.value,
                rec.change_kind, rec.change_value, rec.change_direction)
        if said in seen:
            continue  # the same claim in another document: one check
        seen.add(said)
        level = rec.value if rec.value is not None else (cur_min[k] + cur_max[k]) / 2
        expected = float(implied(kind[k:k + 1], down[k:k + 1], np.array([level]), np.array([rec.change_value]))[0])
        base = (base_min[k] + base_max[k]) / 2
        base_label = period_label(Period(_d(points["period_start"][b[k]]), _d(points["period_end"][b[k]]), "range"))
        if rec.value is not None:
            msg = labels.MESSAGES["change_mismatch"].format(change=_change_text(rec), value=labels.number(level),
                                                            expected=labels.number(expected), base=base_label,
                                                            other=labels.number(base))
        else:
            msg = labels.MESSAGES["change_mismatch_level"].format(
                value=labels.number(level), other=labels.number(base), base=base_label,
                actual=f"{(level / base - 1) * 100:+.1f}%".replace(".", ","), change=_change_text(rec))
        out.append(_row("change_mismatch", rec, fact_id=rec.fact_id, other_fact_id=int(points["fact_id"][b[k]]),
                        document_id=rec.document_id, value=float(base), expected=expected,
                        score=abs(expected - base) / max(abs(base), 1e-12), message=msg))
    return out


# ================================================================ (c) a part above its whole

def parts_above_whole(conn: Connection, facts: Facts, points: Points) -> list[dict[str, Any]]:
    """A part (child indicator) whose smallest report is above its whole's largest, beyond rounding."""
    has = facts["indicator_parent"] >= 0
    ids, first = np.unique(facts["indicator_id"][has], return_index=True)  # a parent per indicator
    parents = np.stack([ids, facts["indicator_parent"][has][first]], axis=1)
    if not len(parents) or not len(points):
        return []
    child = _point_frame(points, "c")
    child = child[~frame.isin_text(child["unit"].to_numpy(dtype=object), RATIO_UNITS)]
    child = child.merge(pd.DataFrame(parents, columns=["indicator_id", "parent_id"]), on="indicator_id")
    whole = _point_frame(points, "p").rename(columns={"indicator_id": "parent_id"})
    pairs = child.merge(whole, on=["territory_id", "parent_id", "unit", "ps", "pe"])
    c, p = pairs["cpoint"].to_numpy(), pairs["ppoint"].to_numpy()
    above = points["value_min"][c] > points["value_max"][p]
    out = []
    for ci, pi, parent in zip(c[above].tolist(), p[above].tolist(), pairs["parent_id"].to_numpy()[above].tolist()):
        r = records(points, np.array([ci]), ("territory_id", "indicator_id", "unit", "period_start", "period_end",
                                             "value_min", "fact_id"))[0]
        whole_value = float(points["value_max"][pi])
        if interval(r.value_min)[0] > interval(whole_value)[1]:
            out.append(_row("part_whole", r, other_indicator_id=parent, fact_id=r.fact_id,
                            other_fact_id=int(points["fact_id"][pi]), value=r.value_min, expected=whole_value,
                            score=r.value_min / whole_value if whole_value else None,
                            message=labels.MESSAGES["part_whole"].format(value=labels.number(r.value_min),
                                                                         other=labels.number(whole_value))))
    return out


# ================================================================ helpers and reading

def _fill_documents(facts: Facts, found: list[dict[str, Any]]) -> None:
    """Each check's documents, from the facts it names."""
    order = np.argsort(facts["fact_id"])
    ids = facts["fact_id"][order]
    docs = facts["document_id"][order]

    def doc(fact_id: int | None) -> int | None:
        if fact_id is None or not len(ids):
            return None
        k = int(np.searchsorted(ids, fact_id))
        return int(docs[k]) if k < len(ids) and ids[k] == fact_id else None
    for c in found:
        c["document_id"] = c["document_id"] or doc(c["fact_id"])
        c["other_document_id"] = c["other_document_id"] or doc(c["other_fact_id"])


def list_checks(engine: Engine, *, kind: str | None = None, territory_id: int | None = None,
                document_id: int | None = None, limit: int | None = None,
                ids: list[int] | None = None) -> list[dict[str, Any]]:
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
    if ids is not None:  # one page, its ids found by keyset (qala.api.monitoring.checks_page)
        where.append(f"c.id IN ({', '.join(str(int(i)) for i in ids) or 'NULL'})")
    sql = ("SELECT c.*, t.name AS territory, i.name AS indicator, "
           "f1.span_start AS s1, f1.span_stop AS e1, f2.span_start AS s2, f2.span_stop AS e2, "
           "SUBSTR(d1.text, f1.span_start + 1, f1.span_stop - f1.span_start) AS sentence, "
           "SUBSTR(d2.text, f2.span_start + 1, f2.span_stop - f2.span_start) AS other_sentence, "
           "d1.url AS url, d2.url AS other_url, d1.published AS published, d2.published AS other_published, "
           "o.source AS o_source, o.reference AS o_reference, o.vintage AS o_vintage, o.value AS o_value, "
           "o.period_kind AS o_kind "
           "FROM checks c LEFT JOIN territories t ON t.id = c.territory_id "
           "LEFT JOIN official_values o ON o.id = c.official_id "
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
                    "gap": gap(r["kind"], r["value"], r["expected"], r["message"]),
                    "period_kind": period_kind(r["period_start"], r["period_end"]), "fact": side, "other": other,
                    "official": None if r["official_id"] is None else {
                        "id": r["official_id"], "source": r["o_source"], "reference": r["o_reference"],
                        "vintage": _iso(r["o_vintage"]), "value": r["o_value"], "period_kind": r["o_kind"]}})
    return out


def gap(kind: str, value: float | None, expected: float | None, message: str | None = None) -> dict[str, Any] | None:
    """How far a check's figure is from the one it is held against: absolute (in the figure's unit,
    or in percentage points between two rates of change) and relative to the other figure.

    >>> gap("contradiction", 1500.0, 3400.0)
    {'absolute': -1900.0, 'relative': -0.5588, 'points': False}
    >>> gap("contradiction", 7.7, 6.7, "Разные темпы изменения за один период: +7,7% и 6,7%")["points"]
    True
    """
    if value is None or expected is None:
        return None
    points = kind == "contradiction" and (message or "").startswith(
        labels.MESSAGES["contradiction_change"].split("{")[0])
    absolute = value - expected
    relative = None if points or not expected else round(absolute / abs(expected), 4)
    return {"absolute": absolute, "relative": relative, "points": points}


def gap_text(g: dict[str, Any] | None) -> str:
    """A gap as a reader writes it: "разница 1,9 тыс. (56%)", "разница 1 п.п."."""
    if not g:
        return ""
    if g["points"]:
        return labels.MESSAGES["gap_points"].format(absolute=labels.number(abs(g["absolute"])))
    share = "" if g["relative"] is None else f" ({abs(g['relative']) * 100:.0f}%)"
    return labels.MESSAGES["gap"].format(absolute=labels.number(abs(g["absolute"])), share=share)


def _iso(value: Any) -> str | None:
    return None if value is None else str(value)[:10]

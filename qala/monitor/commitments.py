"""Plans held against outcomes.

A commitment is a figure announced for a period that had not ended when the document was
published: a period wholly in the future, or one under way with the sentence phrased as a plan
("планируется", "будет", "предусмотрено"...). Later figures for the same territory, indicator,
unit and period decide its status; figures for the start of the period are listed as progress.

Status rules (as of `today`):
- done (выполнено): a later final figure reaches the target (within its written rounding);
- partial (выполнено частично): it reaches at least PARTIAL_SHARE of the target;
- failed (не выполнено): it reaches less than that;
- in_progress (в работе): no final figure yet and the period is not over (or the final figure
  falls short but was reported before the period ended);
- no_data (нет данных): the period is over and nothing final was reported.

Those rules are for a floor ("ввести 92 проекта"). A plan whose clause asks for a decrease or sets
a ceiling ("снизить число безработных до 20 тысяч", "не более 40 тыс. тонн") is a ceiling
(direction "down", `direction_of`; derived at each rebuild, not stored):
- done: the latest final figure is at or below the target (within its written rounding);
- in_progress and no_data: as for a floor;
- partial: the final figure is above the target but below the baseline: the outcome figure for the
  same territory, indicator, unit and period length, for a period over when it was told and told on
  or before the announcement, with the latest period (of its reports, the latest published);
- failed: above the target and not below the baseline (or with no baseline).

Every change of status is appended to commitment_history, which survives rebuilds.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, text

from qala.monitor import bulk, frame, labels
from qala.monitor.frame import Facts
from qala.monitor.tolerance import interval
from qala.monitor.wording import CONTEXT_BEFORE, direction_of, head, is_planned
from qala.store.schema import Commitment

PARTIAL_SHARE = 0.5
PLAN_COLUMNS = ("key", "fact_id", "document_id", "territory_id", "indicator_id", "unit", "object", "period_start",
                "period_end", "granularity", "target", "announced")
COLUMNS = PLAN_COLUMNS + ("status", "actual", "actual_fact_id", "evidence")
_FROM_FACTS = {"fact_id": "fact_id", "document_id": "document_id", "territory_id": "territory_id",
               "indicator_id": "indicator_id", "unit": "unit", "object": "object", "period_start": "period_start",
               "period_end": "period_end", "granularity": "granularity", "target": "value", "announced": "published"}


def _targets(facts: Facts) -> np.ndarray:
    """Figures for a period not over at publication, with a level: a unit that adds up, or percent
    for an indicator whose levels are percent (an unemployment rate of 4,8%, not a growth of 4,8%)."""
    percent = facts.isin("unit", ("%",))
    level = ~percent | (facts["percent_level"] & ~facts["has_change"])
    with np.errstate(invalid="ignore"):
        return (~np.isnat(facts["published"]) & (facts["period_end"] > facts["published"])
                & ~np.isnan(facts["value"]) & facts.not_null("unit") & level)


def _keys(facts: Facts, rows: np.ndarray) -> list[str]:
    """Each commitment's stable key: document, span, indicator and period."""
    ind = facts["indicator_id"][rows].tolist()
    return [f"{d}:{a}:{b}:{i if i >= 0 else None}:{s}:{e}" for d, a, b, i, s, e in zip(
        facts["document_id"][rows].tolist(), facts["span_start"][rows].tolist(), facts["span_stop"][rows].tolist(),
        ind, frame.iso(facts["period_start"][rows]), frame.iso(facts["period_end"][rows]))]


def detect(conn: Connection, facts: Facts) -> dict[str, np.ndarray]:
    """This rebuild's commitments among the facts, as columns: PLAN_COLUMNS, plus "direction" and
    "last_status" (the latest in the history), which `decide` uses; marks their facts with plan = 1
    (targets are not outcomes).

    A period wholly in the future is a commitment whatever the wording; a period under way, when its
    clause reads as a plan. Each commitment's clause is read once, also for its direction. Several
    facts of one clause, indicator and period are one commitment (the first fact stands for them).
    """
    targets = _targets(facts)
    with np.errstate(invalid="ignore"):
        future = targets & (facts["period_start"] > facts["published"])
    rows = np.flatnonzero(future)
    gid, n = frame.group_ids(*(facts[k][rows] for k in ("document_id", "span_start", "span_stop", "indicator_id",
                                                        "period_start", "period_end")))
    first = pd.Series(facts["fact_id"][rows]).groupby(gid).idxmin().to_numpy() if n else np.zeros(0, dtype=int)
    chosen = rows[first]
    underway = np.flatnonzero(targets & ~future)
    planned, context = _planned(conn, facts, underway[np.argsort(facts["fact_id"][underway], kind="stable")])
    chosen = np.concatenate([chosen, planned]).astype(np.int64)
    chosen = chosen[np.argsort(facts["fact_id"][chosen], kind="stable")]
    facts["plan"] = np.zeros(len(facts), dtype=np.int8)
    facts["plan"][chosen] = 1
    plans = {name: facts[src][chosen] for name, src in _FROM_FACTS.items()}
    plans["key"] = np.array(_keys(facts, chosen), dtype=object)
    plans["unit_code"] = facts.codes("unit")[0][chosen]  # joins compare integers, not unit names
    plans["territorial"] = facts["territorial"][chosen]  # a plant's plan: no region's figure is its evidence
    spans = _spans(facts, chosen)
    context.update(_clauses(conn, sorted(set(spans) - set(context))))
    plans["direction"] = np.array([direction_of(head(context.get(s, ""))) for s in spans], dtype=object)
    plans["last_status"] = last_status(conn, plans["key"])  # read now: later reads would wait on the writes
    return plans


def _spans(facts: Facts, rows: np.ndarray) -> list[tuple[int, int, int]]:
    return list(zip(facts["document_id"][rows].tolist(), facts["span_start"][rows].tolist(),
                    facts["span_stop"][rows].tolist()))


def _planned(conn: Connection, facts: Facts, rows: np.ndarray) -> tuple[np.ndarray, dict[tuple[int, int, int], str]]:
    """Of the figures for a period under way (in fact order), those whose clause announces a plan,
    one per key; and the clauses read. Each distinct clause is read from its document once."""
    if not len(rows):
        return rows, {}
    spans = _spans(facts, rows)
    context = _clauses(conn, sorted(set(spans)))
    found, seen = [], set()
    same = zip(spans, facts["indicator_id"][rows].tolist(), facts["period_start"][rows].view(np.int64).tolist(),
               facts["period_end"][rows].view(np.int64).tolist())  # what the commitment key is made of
    for row, span, key in zip(rows.tolist(), spans, same):
        if key not in seen and is_planned(head(context.get(span, ""))):
            seen.add(key)
            found.append(row)
    return np.array(found, dtype=np.int64), context


def _clauses(conn: Connection, spans: list[tuple[int, int, int]]) -> dict[tuple[int, int, int], str]:
    """Each (document, start, stop) span's text with up to CONTEXT_BEFORE characters before it.

    Tens of thousands of spans in a large rebuild: they go on the driver connection (SQLAlchemy's
    statement handling would cost as much as the query), as three arrays on PostgreSQL and as
    VALUES lists of a thousand on SQLite."""
    out: dict[tuple[int, int, int], str] = {}
    if not spans:
        return out
    raw = bulk.driver(conn)
    lead = f"(CASE WHEN s.a > {CONTEXT_BEFORE} THEN s.a - {CONTEXT_BEFORE} ELSE 0 END)"
    select = f"SELECT s.doc, s.a, s.b, SUBSTR(d.text, {lead} + 1, s.b - {lead}) FROM {{s}} JOIN documents d ON d.id = s.doc"
    if conn.dialect.name == "postgresql":
        found = raw.execute(select.format(s="unnest(%s::bigint[], %s::int[], %s::int[]) AS s(doc, a, b)"),
                            [list(x) for x in zip(*spans)]).fetchall()
    else:
        found = []
        for i in range(0, len(spans), 1000):
            values = ", ".join(f"({int(d)}, {int(a)}, {int(b)})" for d, a, b in spans[i:i + 1000])
            found += raw.execute(f"WITH s(doc, a, b) AS (VALUES {values}) " + select.format(s="s")).fetchall()
    for doc, a, b, clause in found:
        out[(doc, a, b)] = clause or ""
    return out


def decide(conn: Connection, facts: Facts, plans: dict[str, np.ndarray], *,
           today: dt.date | None = None) -> dict[str, int]:
    """Decide every commitment's status from later reported figures, write the commitments table in
    one pass, and append changed statuses to the history."""
    today = today or dt.date.today()
    listed, final = _evidence(facts, plans)
    last = plans["last_status"]
    counts = {status: 0 for status in labels.COMMITMENT_STATUS}
    history: list[tuple] = []
    status_col: list[str] = []
    has, at = final >= 0, np.maximum(final, 0)
    value = np.where(has, facts["value"][at], np.nan)
    got = [v if h else None for v, h in zip(value.tolist(), has.tolist())]
    published = facts["published"][at].astype(object).tolist()
    fact_ids, doc_ids = facts["fact_id"][at].tolist(), facts["document_id"][at].tolist()
    direction = plans["direction"].tolist()
    baseline = [None if np.isnan(b) else b for b in _baseline(facts, plans, direction).tolist()]
    for k, (key, target, period_end) in enumerate(zip(plans["key"].tolist(), plans["target"].tolist(),
                                                      plans["period_end"].astype(object).tolist())):
        status = status_of(target, period_end, got[k], published[k], today, direction[k], baseline[k])
        counts[status] += 1
        status_col.append(status)
        if last[k] != status:
            history.append((key, status, got[k], doc_ids[k] if got[k] is not None else None, today))
    bulk.replace_table(conn, Commitment.__table__, {
        **{name: plans[name] for name in PLAN_COLUMNS}, "indicator_id": _ids(plans["indicator_id"]),
        "territory_id": _ids(plans["territory_id"]), "direction": direction, "status": status_col, "actual": value,
        "actual_fact_id": [f if h else None for f, h in zip(fact_ids, has.tolist())], "evidence": listed})
    now = dt.datetime.now(dt.UTC)
    if conn.dialect.name == "sqlite":  # stored as SQLAlchemy stores it there: naive UTC text
        now = now.replace(tzinfo=None).isoformat(" ")
    bulk.insert_rows(conn, "commitment_history", ("commitment_key", "status", "actual", "evidence_document_id", "as_of",
                                             "changed_at"), (h + (now,) for h in history))
    return counts


def last_status(conn: Connection, keys: np.ndarray) -> np.ndarray:
    """Each commitment's latest status in the history (None when it has none)."""
    # oldest first, so each key's latest row is the one the dict keeps
    last = dict(bulk.driver(conn).execute("SELECT commitment_key, status FROM commitment_history ORDER BY id"))
    return np.array([last.get(k) for k in keys.tolist()], dtype=object)


def _ids(values: np.ndarray) -> list[int | None]:
    return [v if v >= 0 else None for v in values.tolist()]


def _evidence(facts: Facts, plans: dict[str, np.ndarray]) -> tuple[list[str], np.ndarray]:
    """For each commitment (by position): its evidence as JSON text (the later outcome figures for
    its territory, indicator, unit and start, up to its end, oldest publication first) and the
    latest figure for its whole period (the fact's row, or -1). A plan of one object (a plant, a
    pool) takes none: the territory's later figures are not the plant's."""
    n = len(plans["key"])
    listed, final = ["[]"] * n, np.full(n, -1, dtype=np.int64)
    outcome = _outcomes(facts)
    if not len(outcome) or not n:
        return listed, final
    left = pd.DataFrame({"k": np.arange(n), "t": plans["territory_id"], "i": plans["indicator_id"],
                         "u": plans["unit_code"], "ps": plans["period_start"], "end": plans["period_end"],
                         "announced": plans["announced"]})
    left = left[(left["t"] >= 0) & (left["i"] >= 0) & plans["territorial"]]
    right = pd.DataFrame({"row": outcome, **{c: facts[k][outcome] for c, k in (
        ("t", "territory_id"), ("i", "indicator_id"), ("ps", "period_start"))}, "u": facts.codes("unit")[0][outcome],
        "pe": facts["period_end"][outcome], "published": facts["published"][outcome],
        "fact_id": facts["fact_id"][outcome]})
    pairs = left.merge(right, on=["t", "i", "u", "ps"])
    pairs = pairs[(pairs["pe"] <= pairs["end"]) & (pairs["published"] > pairs["announced"])]
    pairs = pairs.sort_values(["k", "published", "fact_id"], kind="stable")
    if not len(pairs):
        return listed, final
    k, rows = pairs["k"].to_numpy(), pairs["row"].to_numpy()
    whole = facts["period_end"][rows] == pairs["end"].to_numpy().astype("datetime64[D]")
    last = pd.Series(rows[whole]).groupby(k[whole]).last()
    final[last.index.to_numpy()] = last.to_numpy()
    starts = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])
    texts = _json_items(facts, rows, whole, np.append(starts, len(rows)))
    for plan, item in zip(k[starts].tolist(), texts):
        listed[plan] = item
    return listed, final


def _outcomes(facts: Facts) -> np.ndarray:
    """Rows of reported (not planned) figures of a whole territory (not of one plant or project in it)
    with a territory, indicator, unit, period and date."""
    return np.flatnonzero((facts["plan"] == 0) & facts["territorial"] & ~np.isnan(facts["value"])
                          & (facts["territory_id"] >= 0)
                          & (facts["indicator_id"] >= 0) & facts.not_null("unit")
                          & ~np.isnat(facts["period_start"]) & ~np.isnat(facts["period_end"])
                          & ~np.isnat(facts["published"]))


def _months(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """A period's length in whole months (a year is 12, a quarter 3)."""
    return ((end + 1).astype("datetime64[M]") - start.astype("datetime64[M]")).astype(np.int64)


def _baseline(facts: Facts, plans: dict[str, np.ndarray], direction: list[str]) -> np.ndarray:
    """Each ceiling's baseline (module docstring; NaN for floors and where there is none), by one as-of
    join on publication: each outcome carries the best (latest period) of its series told up to it."""
    out = np.full(len(plans["key"]), np.nan)
    down = np.flatnonzero((np.array(direction, dtype=object) == "down") & (plans["territory_id"] >= 0)
                          & (plans["indicator_id"] >= 0))
    rows = _outcomes(facts) if len(down) else np.zeros(0, dtype=np.int64)
    if not len(rows := rows[facts["period_end"][rows] <= facts["published"][rows]]):  # periods over when told
        return out
    rows = rows[np.lexsort((facts["fact_id"][rows], facts["published"][rows], facts["period_end"][rows]))]
    key = ["t", "i", "u", "m"]
    right = pd.DataFrame({"m": _months(facts["period_start"][rows], facts["period_end"][rows]),
                          "best": np.arange(len(rows)), "u": facts.codes("unit")[0][rows],
                          **{c: facts[k][rows] for c, k in (("t", "territory_id"), ("i", "indicator_id"),
                                                            ("published", "published"))}})
    right = right.sort_values(["published", "best"], kind="stable")
    right["best"] = right.groupby(key, sort=False)["best"].cummax()
    left = pd.DataFrame({"k": down, "t": plans["territory_id"][down], "i": plans["indicator_id"][down],
                         "u": plans["unit_code"][down],
                         "m": _months(plans["period_start"][down], plans["period_end"][down]),
                         "announced": plans["announced"][down]}).sort_values("announced", kind="stable")
    found = pd.merge_asof(left, right, left_on="announced", right_on="published", by=key).dropna(subset=["best"])
    best, k = rows[found["best"].to_numpy(dtype=np.int64)], found["k"].to_numpy()
    earlier = facts["period_start"][best] < plans["period_start"][k]  # so it is, for periods in whole months
    out[k[earlier]] = facts["value"][best[earlier]]
    return out


def _json_items(facts: Facts, rows: np.ndarray, whole: np.ndarray, offsets: np.ndarray) -> list[str]:
    """JSON lists of evidence items {fact_id, document_id, value, published, period_end, final},
    one list per run of `rows` between `offsets`, written by Arrow (no Python loop per item)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    def text_(values: Any) -> pa.Array:
        return pc.cast(pa.array(values), pa.string())
    parts = ['{"fact_id": ', text_(facts["fact_id"][rows]), ', "document_id": ', text_(facts["document_id"][rows]),
             ', "value": ', text_(facts["value"][rows]), ', "published": "', pa.array(frame.iso(facts["published"][rows])),
             '", "period_end": "', pa.array(frame.iso(facts["period_end"][rows])), '", "final": ',
             pa.array(np.where(whole, "true", "false")), "}"]
    items = pc.binary_join_element_wise(*[p if isinstance(p, pa.Array) else pa.scalar(p) for p in parts], "")
    lists = pa.ListArray.from_arrays(pa.array(offsets, type=pa.int32()), items)
    return pc.binary_join_element_wise("[", pc.binary_join(lists, ", "), "]", "").to_pylist()


def status_of(target: float, period_end: dt.date, final: float | None, published: dt.date | None,
              today: dt.date, direction: str = "up", baseline: float | None = None) -> str:
    """The status rule (see the module docstring), given the latest figure for the whole period
    (`final`, published on `published`), or None; for a ceiling (direction "down"), the figure
    before the plan (`baseline`), or None.

    >>> [status_of(20000, dt.date(2025, 12, 31), final, dt.date(2026, 2, 1), dt.date(2026, 3, 1), "down", 25000)
    ...  for final in (19800, 23000, 26000)]
    ['done', 'partial', 'failed']
    """
    if final is None:
        return "in_progress" if today <= period_end else "no_data"
    lo, hi = interval(final)
    if (lo <= target) if direction == "down" else (hi >= target):
        return "done"
    if today <= period_end and published <= period_end:
        return "in_progress"
    if direction == "down":
        return "partial" if baseline is not None and final < baseline else "failed"
    return "partial" if final >= PARTIAL_SHARE * target else "failed"


def list_commitments(engine: Engine, *, territory_id: int | None = None, status: str | None = None,
                     document_id: int | None = None) -> list[dict[str, Any]]:
    """Tracked commitments with their Russian status, evidence, status history and, where official
    statistics have the outcome, its official value and the status it gives (``official``)."""
    if status is not None and status not in labels.COMMITMENT_STATUS:
        from qala.errors import InvalidInput

        raise InvalidInput(f"expected a status among {', '.join(labels.COMMITMENT_STATUS)}, got {status!r}")
    where, params = [], {}
    for column, value in (("territory_id", territory_id), ("status", status), ("document_id", document_id)):
        if value is not None:
            where.append(f"c.{column} = :{column}")
            params[column] = value
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT c.*, t.name AS territory, i.name AS indicator, f.indicator_text, f.territory_text, "
            "SUBSTR(d.text, f.span_start + 1, f.span_stop - f.span_start) AS sentence FROM commitments c "
            "LEFT JOIN territories t ON t.id = c.territory_id LEFT JOIN indicators i ON i.id = c.indicator_id "
            "LEFT JOIN facts f ON f.id = c.fact_id LEFT JOIN documents d ON d.id = c.document_id"
            + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY c.period_end, c.id"),
            params).mappings().all()
        hist: dict[str, list[dict[str, Any]]] = {}
        for h in conn.execute(text("SELECT commitment_key, status, actual, evidence_document_id, as_of, changed_at "
                                   "FROM commitment_history ORDER BY id")).mappings():
            hist.setdefault(h["commitment_key"], []).append(
                {"status": h["status"], "label": labels.COMMITMENT_STATUS.get(h["status"], h["status"]),
                 "actual": h["actual"], "evidence_document_id": h["evidence_document_id"],
                 "as_of": None if h["as_of"] is None else str(h["as_of"])[:10]})
    plain = ("id", "key", "fact_id", "document_id", "territory_id", "territory", "indicator_id", "territory_text",
             "unit", "object", "target", "direction", "status", "actual", "actual_fact_id", "sentence")
    out = [{**{k: r[k] for k in plain}, "indicator": r["indicator"] or r["indicator_text"],
             "period_start": str(r["period_start"])[:10], "period_end": str(r["period_end"])[:10],
             "announced": None if r["announced"] is None else str(r["announced"])[:10],
             "status_label": labels.COMMITMENT_STATUS[r["status"]], "history": hist.get(r["key"], []),
             "evidence": (json.loads(r["evidence"]) if isinstance(r["evidence"], str) else r["evidence"]) or []}
           for r in rows]
    from qala.stats.commitments import attach_official

    attach_official(engine, out)  # the official outcome, where official statistics have one
    return out

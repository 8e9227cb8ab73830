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
Every change of status is appended to commitment_history, which survives rebuilds.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

from sqlalchemy import Column, Connection, Engine, MetaData, Table, text

from qala.monitor import dialect, labels
from qala.monitor.bulk import insert_rows
from qala.monitor.stage import PLANS, STAGE
from qala.monitor.tolerance import interval
from qala.store.schema import Commitment

PARTIAL_SHARE = 0.5
CONTEXT_BEFORE = 80  # characters before a fact's clause searched for plan words
PLAN_WORDS = re.compile(
    r"(планир|запланир|\bплан[аеуы]?\b|\bбудет\b|\bбудут\b|предусмотр|намеч|\bожида|предстоит|прогноз|намерен|"
    r"целев|поставлен\w* задач|\bдолж(ен|на|но|ны)\b|\bпримут\b|\bпредполага)", re.IGNORECASE)


@functools.lru_cache(maxsize=4096)
def is_planned(sentence: str) -> bool:
    """Whether a clause announces a plan rather than reports an outcome.

    >>> is_planned("в текущем году планируется ввести 92 проекта"), is_planned("введено 92 проекта")
    (True, False)
    >>> is_planned("до 2035 года построят 164 школы"), is_planned("построили 164 школы")
    (True, False)
    """
    if PLAN_WORDS.search(sentence or ""):
        return True
    from qala.monitor.control import WORD, morph

    # a verb in the future tense ("построят", "введут") announces what is still to come
    return any(p.pos == "VERB" and p.feats.get("Tense") == "Fut"
               for w in WORD.findall(sentence or "") for p in morph().parse(w.lower())[:1])


def _d(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _key_sql() -> str:
    """The commitment key in SQL, spelled as Python spells it (None for a missing indicator)."""
    return ("CAST(e.document_id AS TEXT) || ':' || CAST(e.span_start AS TEXT) || ':' || CAST(e.span_stop AS TEXT) "
            "|| ':' || COALESCE(CAST(e.indicator_id AS TEXT), 'None') || ':' || CAST(e.period_start AS TEXT) || ':' "
            "|| CAST(e.period_end AS TEXT)")


PLAN_COLUMNS = ("key", "fact_id", "document_id", "territory_id", "indicator_id", "unit", "object", "period_start",
                "period_end", "granularity", "target", "announced")
COLUMNS = PLAN_COLUMNS + ("status", "actual", "actual_fact_id", "evidence")
TARGETS = ("e.published IS NOT NULL AND e.period_end > e.published AND e.value IS NOT NULL "
           "AND e.unit IS NOT NULL AND e.unit NOT IN ('%')")


def _plans_table() -> Table:
    c = Commitment.__table__.c
    return Table(PLANS, MetaData(), *(Column(name, c[name].type) for name in PLAN_COLUMNS), prefixes=["TEMPORARY"])


def detect(conn: Connection) -> int:
    """Find this rebuild's commitments among the staged facts, into the temporary table PLANS
    (`decide` writes them, with their statuses, to the commitments table).

    A period wholly in the future is a commitment whatever the wording: those are found set-wise.
    Only figures for a period under way have their clause read for plan words. Several facts of one
    clause, indicator and period are one commitment (the first fact stands for them).
    """
    conn.execute(text(f"DROP TABLE IF EXISTS {PLANS}"))
    _plans_table().create(conn)
    future = f"{TARGETS} AND e.period_start > e.published"
    n = conn.execute(text(
        f"INSERT INTO {PLANS} ({', '.join(PLAN_COLUMNS)}) SELECT {_key_sql()}, e.fact_id, e.document_id, "
        "e.territory_id, e.indicator_id, e.unit, e.object, e.period_start, e.period_end, e.granularity, e.value, "
        f"e.published FROM {STAGE} e WHERE {future} AND e.fact_id IN ("
        f"SELECT MIN(e.fact_id) FROM {STAGE} e WHERE {future} "
        "GROUP BY e.document_id, e.span_start, e.span_stop, e.indicator_id, e.period_start, e.period_end)")).rowcount
    rows = conn.execute(text(
        f"SELECT {_key_sql()} AS key, e.fact_id, e.document_id, e.territory_id, e.indicator_id, e.unit, e.object, "
        "e.period_start, e.period_end, e.granularity, e.value, e.published, "
        f"SUBSTR(d.text, (CASE WHEN e.span_start > {CONTEXT_BEFORE} THEN e.span_start - {CONTEXT_BEFORE} ELSE 0 END) "
        f"+ 1, e.span_stop - (CASE WHEN e.span_start > {CONTEXT_BEFORE} THEN e.span_start - {CONTEXT_BEFORE} ELSE 0 "
        f"END)) AS context FROM {STAGE} e JOIN documents d ON d.id = e.document_id "
        f"WHERE {TARGETS} AND e.period_start <= e.published ORDER BY e.fact_id")).all()
    found, keys = [], set()
    for r in rows:
        key, clause = r[0], r[12]
        if key in keys:
            continue
        cut = max(clause.rfind(". ", 0, CONTEXT_BEFORE), clause.rfind("\n", 0, CONTEXT_BEFORE))
        if not is_planned(clause[cut + 1:] if cut >= 0 else clause):
            continue
        keys.add(key)
        found.append(tuple(r[:12]))
    return n + insert_rows(conn, PLANS, PLAN_COLUMNS, found)


def decide(conn: Connection, *, today: dt.date | None = None) -> dict[str, int]:
    """Decide every commitment's status from later staged figures, write the commitments table in
    one pass, and append changed statuses to the history."""
    today = today or dt.date.today()
    plans = conn.execute(text(f"SELECT {', '.join(PLAN_COLUMNS)} FROM {PLANS} ORDER BY fact_id")).all()
    evidence: dict[int, list[Any]] = {}
    with dialect.hash_joins(conn):
        found = conn.execute(text(
            "SELECT c.fact_id AS cid, e.fact_id, e.document_id, e.value, CAST(e.published AS TEXT) AS published, "
            f"e.period_start, CAST(e.period_end AS TEXT) AS period_end, {_evidence_json_sql(conn.dialect.name)} AS item "
            f"FROM {PLANS} c JOIN {STAGE} e ON e.territory_id = c.territory_id "
            "AND e.indicator_id = c.indicator_id AND e.unit = c.unit AND e.period_start = c.period_start "
            "AND e.period_end <= c.period_end AND e.published > c.announced "
            "WHERE e.value IS NOT NULL AND e.plan = 0 ORDER BY e.published, e.fact_id")).all()
    for r in found:
        evidence.setdefault(r[0], []).append(r)
    last = {r[0]: r[1] for r in conn.execute(text(
        "SELECT h.commitment_key, h.status FROM commitment_history h JOIN (SELECT commitment_key, MAX(id) AS id "
        "FROM commitment_history GROUP BY commitment_key) m ON m.id = h.id"))}
    counts = {status: 0 for status in labels.COMMITMENT_STATUS}
    history: list[tuple] = []
    written: list[tuple] = []
    for plan in plans:
        key, fact_id, target, period_end = plan[0], plan[1], plan[10], plan[8]
        rows = evidence.get(fact_id)
        final, listed = None, "[]"
        if rows:
            listed = "[" + ", ".join(r[7] for r in rows) + "]"
            status, final = status_of(target, _d(period_end), rows, today)
        else:
            status = "in_progress" if today <= _d(period_end) else "no_data"
        counts[status] += 1
        written.append(tuple(plan) + (status, final.value if final else None, final.fact_id if final else None,
                                      listed))
        if last.get(key) != status:
            history.append((key, status, final.value if final else None, final.document_id if final else None,
                            today))
    conn.execute(text("DELETE FROM commitments"))
    insert_rows(conn, "commitments", COLUMNS, written)
    conn.execute(text(f"DROP TABLE {PLANS}"))
    now = dt.datetime.now(dt.UTC)
    if conn.dialect.name == "sqlite":  # stored as SQLAlchemy stores it there: naive UTC text
        now = now.replace(tzinfo=None).isoformat(" ")
    insert_rows(conn, "commitment_history", ("commitment_key", "status", "actual", "evidence_document_id", "as_of",
                                             "changed_at"), (h + (now,) for h in history))
    return counts


def _evidence_json_sql(d: str) -> str:
    """One evidence entry as JSON text, written by the database: {fact_id, document_id, value,
    published, period_end, final} (final: the figure is for the commitment's whole period)."""
    if d == "postgresql":
        return ("CAST(json_build_object('fact_id', e.fact_id, 'document_id', e.document_id, 'value', e.value, "
                "'published', e.published, 'period_end', e.period_end, 'final', e.period_end = c.period_end) AS TEXT)")
    return ("json_object('fact_id', e.fact_id, 'document_id', e.document_id, 'value', e.value, 'published', "
            "e.published, 'period_end', e.period_end, 'final', "
            "json(CASE WHEN e.period_end = c.period_end THEN 'true' ELSE 'false' END))")


def _iso(value: Any) -> str:
    return value[:10] if isinstance(value, str) else value.isoformat()


def status_of(target: float, period_end: dt.date, evidence: list[Any], today: dt.date) -> tuple[str, Any]:
    """The status rule (see the module docstring); returns (status, the deciding final figure)."""
    end = period_end.isoformat()
    finals = [r for r in evidence if _iso(r.period_end) == end]
    if not finals:
        return ("in_progress" if today <= period_end else "no_data"), None
    final = finals[-1]  # the latest report
    _, hi = interval(final.value)
    if hi >= target:
        return "done", final
    if today <= period_end and _d(final.published) <= period_end:
        return "in_progress", final
    return ("partial" if final.value >= PARTIAL_SHARE * target else "failed"), final


def list_commitments(engine: Engine, *, territory_id: int | None = None, status: str | None = None,
                     document_id: int | None = None) -> list[dict[str, Any]]:
    """Tracked commitments with their Russian status, evidence and status history."""
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
    out = []
    for r in rows:
        import json

        evidence = r["evidence"]
        if isinstance(evidence, str):
            evidence = json.loads(evidence)
        out.append({"id": r["id"], "key": r["key"], "fact_id": r["fact_id"], "document_id": r["document_id"],
                    "territory_id": r["territory_id"], "territory": r["territory"],
                    "indicator_id": r["indicator_id"], "indicator": r["indicator"] or r["indicator_text"],
                    "territory_text": r["territory_text"], "unit": r["unit"],
                    "object": r["object"], "period_start": str(r["period_start"])[:10],
                    "period_end": str(r["period_end"])[:10], "target": r["target"],
                    "announced": None if r["announced"] is None else str(r["announced"])[:10],
                    "status": r["status"], "status_label": labels.COMMITMENT_STATUS[r["status"]],
                    "actual": r["actual"], "actual_fact_id": r["actual_fact_id"], "sentence": r["sentence"],
                    "evidence": evidence or [], "history": hist.get(r["key"], [])})
    return out

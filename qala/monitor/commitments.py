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
import re
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, insert, text, update

from qala.monitor import labels
from qala.monitor.stage import STAGE
from qala.monitor.tolerance import interval
from qala.store.schema import Commitment, CommitmentStatus

PARTIAL_SHARE = 0.5
CONTEXT_BEFORE = 80  # characters before a fact's clause searched for plan words
PLAN_WORDS = re.compile(
    r"(планир|запланир|\bплан[аеуы]?\b|\bбудет\b|\bбудут\b|предусмотр|намеч|\bожида|предстоит|прогноз|намерен|"
    r"целев|поставлен\w* задач|\bдолж(ен|на|но|ны)\b|\bпримут\b|\bпредполага)", re.IGNORECASE)


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


def detect(conn: Connection) -> int:
    """Rebuild the commitments table's rows from the staged facts (statuses decided by `decide`)."""
    conn.execute(text("DELETE FROM commitments"))
    rows = conn.execute(text(
        "SELECT e.fact_id, e.document_id, e.territory_id, e.indicator_id, e.unit, e.object, e.period_start, "
        "e.period_end, e.granularity, e.value, e.published, e.span_start, e.span_stop, "
        f"CASE WHEN e.period_start <= e.published THEN SUBSTR(d.text, "
        f"(CASE WHEN e.span_start > {CONTEXT_BEFORE} THEN e.span_start - {CONTEXT_BEFORE} ELSE 0 END) + 1, "
        f"e.span_stop - (CASE WHEN e.span_start > {CONTEXT_BEFORE} THEN e.span_start - {CONTEXT_BEFORE} ELSE 0 END)) "
        f"END AS context FROM {STAGE} e JOIN documents d ON d.id = e.document_id "
        "WHERE e.published IS NOT NULL AND e.period_end > e.published AND e.value IS NOT NULL "
        "AND e.unit IS NOT NULL AND e.unit NOT IN ('%')")).all()
    found, keys = [], set()
    for r in rows:
        if r.context is not None:
            clause = r.context
            cut = max(clause.rfind(". ", 0, CONTEXT_BEFORE), clause.rfind("\n", 0, CONTEXT_BEFORE))
            if not is_planned(clause[cut + 1:] if cut >= 0 else clause):
                continue
        key = f"{r.document_id}:{r.span_start}:{r.span_stop}:{r.indicator_id}:{_d(r.period_start)}:{_d(r.period_end)}"
        if key in keys:
            continue
        keys.add(key)
        found.append({"key": key, "fact_id": r.fact_id, "document_id": r.document_id, "territory_id": r.territory_id,
                      "indicator_id": r.indicator_id, "unit": r.unit, "object": r.object,
                      "period_start": _d(r.period_start), "period_end": _d(r.period_end),
                      "granularity": r.granularity, "target": r.value, "announced": _d(r.published),
                      "status": "in_progress", "evidence": []})
    for i in range(0, len(found), 5000):
        conn.execute(insert(Commitment.__table__), found[i:i + 5000])
    return len(found)


def decide(conn: Connection, *, today: dt.date | None = None) -> dict[str, int]:
    """Decide every commitment's status from later staged figures; append changed statuses to the history."""
    today = today or dt.date.today()
    commitments = conn.execute(text("SELECT id, key, target, period_end, announced FROM commitments")).all()
    evidence: dict[int, list[Any]] = {}
    for r in conn.execute(text(
            "SELECT c.id AS cid, e.fact_id, e.document_id, e.value, e.published, e.period_start, e.period_end "
            f"FROM commitments c JOIN {STAGE} e ON e.territory_id = c.territory_id "
            "AND e.indicator_id = c.indicator_id AND e.unit = c.unit AND e.period_start = c.period_start "
            "AND e.period_end <= c.period_end AND e.published > c.announced "
            "WHERE e.value IS NOT NULL AND e.plan = 0 ORDER BY e.published, e.fact_id")):
        evidence.setdefault(r.cid, []).append(r)
    last = {r.commitment_key: r.status for r in conn.execute(text(
        "SELECT h.commitment_key, h.status FROM commitment_history h JOIN (SELECT commitment_key, MAX(id) AS id "
        "FROM commitment_history GROUP BY commitment_key) m ON m.id = h.id"))}
    counts = {status: 0 for status in labels.COMMITMENT_STATUS}
    history: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for c in commitments:
        rows = evidence.get(c.id, [])
        status, final = status_of(c.target, _d(c.period_end), rows, today)
        counts[status] += 1
        listed = [{"fact_id": r.fact_id, "document_id": r.document_id, "value": r.value,
                   "published": str(_d(r.published)), "period_end": str(_d(r.period_end)),
                   "final": _d(r.period_end) == _d(c.period_end)} for r in rows]
        updates.append({"cid": c.id, "s": status, "a": final.value if final else None,
                        "f": final.fact_id if final else None, "e": listed})
        if last.get(c.key) != status:
            history.append({"commitment_key": c.key, "status": status, "actual": final.value if final else None,
                            "evidence_document_id": final.document_id if final else None, "as_of": today})
    table = Commitment.__table__
    if updates:
        conn.execute(update(table).where(table.c.id == bindparam("cid")).values(
            status=bindparam("s"), actual=bindparam("a"), actual_fact_id=bindparam("f"), evidence=bindparam("e")),
            updates)
    if history:
        conn.execute(insert(CommitmentStatus.__table__), history)
    return counts


def status_of(target: float, period_end: dt.date, evidence: list[Any], today: dt.date) -> tuple[str, Any]:
    """The status rule (see the module docstring); returns (status, the deciding final figure)."""
    finals = [r for r in evidence if _d(r.period_end) == period_end]
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

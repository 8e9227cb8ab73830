"""Human review as an overlay: confirm, correct or reject an extracted item, never editing it.

A review addresses its item by (document, kind, span, field), so it survives re-extraction. The
overlay table ``fact_overlay`` is rebuilt from the reviews; every monitoring query reads facts
through ``effective_facts_sql``, which hides rejected facts and uses corrected values.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Engine, delete, select

from qala.clean import check_text, check_values
from qala.errors import InvalidInput, NotFound
from qala.monitor import dialect
from qala.periods import parse_period
from qala.store.db import transaction
from qala.store.schema import OVERLAID, Fact, FactOverlay, Instruction, Review

ACTIONS = ("confirm", "correct", "reject")
ITEM_KINDS = ("fact", "person", "instruction", "program")
# Fact fields a reviewer may correct, with the type of their value.
FACT_FIELDS = {"value": float, "unit": str, "indicator_id": int, "territory_id": int, "period": str,
               "change_kind": str, "change_value": float, "change_direction": str}


def _fact_state(fact: Fact) -> dict[str, Any]:
    return {"ordinal": fact.ordinal, "indicator_text": fact.indicator_text, "indicator_id": fact.indicator_id,
            "territory_id": fact.territory_id, "period": fact.period, "value": fact.value, "unit": fact.unit,
            "change_kind": fact.change_kind, "change_value": fact.change_value,
            "change_direction": fact.change_direction}


def _check_after(field: str | None, after: dict[str, Any] | None) -> dict[str, Any]:
    if not after:
        raise InvalidInput("expected the corrected value in `after`, e.g. {\"value\": 1052000000000}, got nothing")
    fields = [field] if field else list(after)
    clean: dict[str, Any] = {}
    for name in fields:
        if name not in FACT_FIELDS:
            raise InvalidInput(f"expected a fact field among {', '.join(FACT_FIELDS)}, got {name!r}")
        if name not in after:
            raise InvalidInput(f"expected `after` to hold {name!r}, got keys {sorted(after)}")
        try:
            clean[name] = FACT_FIELDS[name](after[name])
        except (TypeError, ValueError):
            raise InvalidInput(f"expected {name} to be a {FACT_FIELDS[name].__name__}, "
                               f"got {after[name]!r}") from None
        if name == "period" and parse_period(clean[name]) is None:
            raise InvalidInput(f"expected a period like 2020, 2021-2024 or 2019-01..2019-08, got {after[name]!r}")
    return clean


def review(engine: Engine, document_id: int, item_kind: str, span: tuple[int, int], field: str | None,
           action: str, after: dict[str, Any] | None, user: str, *,
           match: dict[str, Any] | None = None) -> int:
    """Record one decision on an extracted item and refresh the overlay; returns the review id.

    `match` picks among several facts read from the same span (e.g. {"ordinal": 3} or {"value": 5.1}).
    """
    if action not in ACTIONS:
        raise InvalidInput(f"expected action confirm, correct or reject, got {action!r}")
    if item_kind not in ITEM_KINDS:
        raise InvalidInput(f"expected item kind among {', '.join(ITEM_KINDS)}, got {item_kind!r}")
    if not user:
        raise InvalidInput("expected the reviewing user's name, got nothing")
    check_values(after, "after")  # a NUL kept here would break every rebuild on PostgreSQL
    check_text(field, "field")
    start, stop = int(span[0]), int(span[1])
    with transaction(engine) as session:
        before: dict[str, Any] | None = None
        if item_kind == "fact":
            on_span = session.scalars(select(Fact).where(Fact.document_id == document_id, Fact.span_start == start,
                                                         Fact.span_stop == stop).order_by(Fact.ordinal)).all()
            facts = on_span
            if match:
                facts = [f for f in on_span if all(_fact_state(f).get(k) == v for k, v in match.items())]
            if not facts:
                raise NotFound(f"no fact at span {start}-{stop} of document {document_id}"
                               + (f" matching {match}" if match and on_span else ""))
            before = _fact_state(facts[0])
            if len(on_span) > 1:  # counted before `match` narrows them: the review names one of these
                before["shared_span"] = len(on_span)
        elif item_kind == "instruction":
            item = session.scalars(select(Instruction).where(
                Instruction.document_id == document_id, Instruction.span_start == start,
                Instruction.span_stop == stop)).first()
            if item is None:
                raise NotFound(f"no instruction at span {start}-{stop} of document {document_id}")
            before = {"text": item.text, "addressee": item.addressee, "deadline": item.deadline_text}
        if action == "correct" and item_kind == "fact":
            after = _check_after(field, after)
        row = Review(document_id=document_id, item_kind=item_kind, span_start=start, span_stop=stop, field=field,
                     action=action, before=before, after=after if action == "correct" else None, user=user)
        session.add(row)
        session.flush()
        review_id = row.id
    rebuild_overlay(engine, document_id=document_id)
    return review_id


def _fold(reviews: list[Review]) -> dict[str, Any]:
    """Fold one item's reviews, oldest first, into its overlay state."""
    state: dict[str, Any] = {"hidden": False, "verified": False}
    for r in reviews:
        if r.action == "reject":
            state.update(hidden=True, verified=True)
        elif r.action == "confirm":
            state.update(hidden=False, verified=True)
        else:
            state.update(hidden=False, verified=True)
            for name, value in (r.after or {}).items():
                if name == "period":
                    period = parse_period(value)
                    if period:
                        state.update(period_start=period.start, period_end=period.end,
                                     granularity=period.granularity)
                elif name in OVERLAID:
                    state[name] = value
    return state


def rebuild_overlay(engine: Engine, *, document_id: int | None = None) -> int:
    """Rebuild fact_overlay from the reviews (of one document, or all); returns rows written."""
    with transaction(engine) as session:
        q = select(Review).where(Review.item_kind == "fact").order_by(Review.created_at, Review.id)
        fq = select(Fact)
        wipe = delete(FactOverlay)
        if document_id is not None:
            q = q.where(Review.document_id == document_id)
            fq = fq.where(Fact.document_id == document_id)
            wipe = wipe.where(FactOverlay.fact_id.in_(select(Fact.id).where(Fact.document_id == document_id)))
        session.execute(wipe)
        items: dict[tuple[int, int, int], list[Review]] = {}
        for r in session.scalars(q):
            items.setdefault((r.document_id, r.span_start, r.span_stop), []).append(r)
        if not items:
            return 0
        docs = {key[0] for key in items}
        spans: dict[tuple[int, int, int], list[Fact]] = {}
        for fact in session.scalars(fq.where(Fact.document_id.in_(docs)).order_by(Fact.ordinal)):
            key = (fact.document_id, fact.span_start, fact.span_stop)
            if key in items:
                spans.setdefault(key, []).append(fact)
        written = 0
        for key, facts in spans.items():
            mine: dict[int, list[Review]] = {}
            for r in items[key]:
                fact = addressed_fact(r.before, facts)
                if fact is not None:
                    mine.setdefault(fact.id, []).append(r)
            for fact_id, revs in mine.items():
                session.add(FactOverlay(fact_id=fact_id, **_fold(revs)))
                written += 1
    return written


def addressed_fact(before: dict[str, Any] | None, facts: list[Fact]) -> Fact | None:
    """The one fact of a span (`facts`, by ordinal) a review names, or None when it names none.

    A span holding one fact is addressed by the span alone, so the review survives re-extraction.
    When it holds several, `before` tells which: same ordinal and value, else the only fact with
    that value (ordinals shift when a document is extracted again). A review never spreads to
    every fact of a shared span.
    """
    if len(facts) == 1:
        return facts[0]
    before = before or {}
    exact = [f for f in facts if f.ordinal == before.get("ordinal") and f.value == before.get("value")]
    if len(exact) == 1:
        return exact[0]
    same_value = [f for f in facts if f.value == before.get("value")
                  and f.indicator_text == before.get("indicator_text", f.indicator_text)]
    return same_value[0] if len(same_value) == 1 else None


def effective_facts_sql(dialect_name: str, *, verified_only: bool = False, plans: str = "exclude",
                        branch: str | None = None) -> str:
    """SELECT of facts as reviewed: rejected hidden, corrections applied, near-duplicates folded.

    plans: "exclude" leaves out facts tracked as commitments (targets are not outcomes) and figures
    of one object in the territory (scope 'object': a plant's jobs are not its region's), "only"
    keeps just them, "all" keeps everything. branch: "raw" gives only unreviewed facts (plain
    columns, so joins on them use the facts indexes), "reviewed" only facts with an overlay row,
    None both (UNION ALL). Use ``both_branches`` to keep index-driven joins on each branch.
    """
    if branch is None:
        parts = [effective_facts_sql(dialect_name, verified_only=verified_only, plans=plans, branch=b)
                 for b in (("reviewed",) if verified_only else ("raw", "reviewed"))]
        return "\nUNION ALL\n".join(parts)
    t = dialect.true(dialect_name)
    where = []
    if plans == "exclude":  # outcomes of the territory: no plans, no figure of one plant or project in it
        where.append("NOT EXISTS (SELECT 1 FROM commitments c WHERE c.fact_id = f.id)")
        where.append("f.scope <> 'object'")
    elif plans == "only":
        where.append("EXISTS (SELECT 1 FROM commitments c WHERE c.fact_id = f.id)")
    head = ("SELECT f.id AS fact_id, f.document_id, COALESCE(d.near_duplicate_of, d.id) AS canon_doc,\n"
            "  d.published, f.approx, f.object, f.change_base_period, f.span_start, f.span_stop,\n  ")
    if branch == "raw":
        cols = ", ".join(f"f.{c} AS {c}" for c in OVERLAID)
        where.insert(0, "NOT EXISTS (SELECT 1 FROM fact_overlay o WHERE o.fact_id = f.id)")
        return (head + cols + "\nFROM facts f JOIN documents d ON d.id = f.document_id\nWHERE "
                + " AND ".join(where))
    cols = ", ".join(f"COALESCE(o.{c}, f.{c}) AS {c}" for c in OVERLAID)
    where[:0] = ["f.id = o.fact_id", "d.id = f.document_id", f"o.hidden <> {t}"]
    if verified_only:
        where.append(f"o.verified = {t}")
    # CROSS JOIN keeps SQLite driving from the (small) overlay; PostgreSQL plans it as an inner join.
    return (head + cols + "\nFROM fact_overlay o CROSS JOIN facts f CROSS JOIN documents d\nWHERE "
            + " AND ".join(where))


def both_branches(template: str, dialect_name: str, *, verified_only: bool = False, plans: str = "exclude") -> str:
    """`template` (with {eff} where the effective facts go) once per branch, joined by UNION ALL, so
    that each branch's joins can use indexes."""
    branches = ("reviewed",) if verified_only else ("raw", "reviewed")
    return "\nUNION ALL\n".join(
        template.format(eff=effective_facts_sql(dialect_name, verified_only=verified_only, plans=plans, branch=b))
        for b in branches)


def reviews_of(engine: Engine, document_id: int) -> list[dict[str, Any]]:
    """The audit trail of one document: who did what, when, before and after."""
    with transaction(engine) as session:
        rows = session.scalars(select(Review).where(Review.document_id == document_id)
                               .order_by(Review.created_at, Review.id)).all()
        return [{"id": r.id, "item_kind": r.item_kind, "span": [r.span_start, r.span_stop], "field": r.field,
                 "action": r.action, "before": r.before, "after": r.after, "user": r.user,
                 "created_at": r.created_at.isoformat() if isinstance(r.created_at, dt.datetime) else None}
                for r in rows]

"""The store's figures as reviewers left them: the read side of the review overlay.

Reviews never edit a fact; qala.monitor.review folds them into ``fact_overlay`` (one row per reviewed
fact: hidden, verified, corrected columns). The dashboard reads facts through that table exactly as
the monitor's ``effective_facts_sql`` does: a rejected figure is hidden, a corrected one shows its
corrected columns (which may move it to another territory, indicator or period), and the rest are
the extractor's own. Checks limited to verified figures are filtered here in SQL too, so the
"verified only" view never loads every check to throw most of them away.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, Subquery, and_, func, null, or_, select, union_all
from sqlalchemy.orm import aliased

from qala.periods import Period, period_label
from qala.store.schema import OVERLAID, Check, Commitment, Document, Fact, FactOverlay, Indicator, Territory


def _branch(reviewed: bool, *, territory_id: int, indicator_id: int | None, outcomes_only: bool,
            verified_only: bool = False) -> Select:
    """Unreviewed facts (plain columns, so filters and sorts on them use the facts indexes), or the
    few reviewed ones (corrected columns, rejected left out)."""
    o = FactOverlay
    col = {c: func.coalesce(getattr(o, c), getattr(Fact, c)) if reviewed else getattr(Fact, c) for c in OVERLAID}
    query = (select(Fact.id.label("id"), Fact.document_id, Fact.ordinal, Fact.indicator_text, Fact.territory_text,
                    Fact.period, *(col[c].label(c) for c in OVERLAID), Fact.object, Fact.approx,
                    Fact.change_base_period, Fact.span_start, Fact.span_stop, Document.published,
                    func.coalesce(Document.near_duplicate_of, Document.id).label("canon_doc"),
                    (o.period_start if reviewed else null()).label("period_fix"))
             .select_from(o.__table__.join(Fact.__table__, Fact.id == o.fact_id) if reviewed else Fact.__table__)
             .join(Document, and_(Document.id == Fact.document_id, Document.status == "ok"))
             .where(col["territory_id"] == territory_id))
    if reviewed:
        query = query.where(o.hidden.is_(False), *([o.verified.is_(True)] if verified_only else []))
    else:
        query = query.where(~select(o.fact_id).where(o.fact_id == Fact.id).exists())
    if indicator_id is not None:
        query = query.where(col["indicator_id"] == indicator_id)
    if outcomes_only:  # targets tracked as commitments are plans, not outcomes (as in the monitor's series)
        query = query.where(~select(Commitment.id).where(Commitment.fact_id == Fact.id).exists())
        query = query.where(Fact.scope != "object")  # one plant's or project's figure is not its territory's
    return query


def effective_facts(*, territory_id: int, indicator_id: int | None = None, outcomes_only: bool = True,
                    verified_only: bool = False) -> Subquery:
    """One territory's facts (of one indicator, if given) as reviewed, as a subquery.

    Columns: the fact's, with the reviewed ones corrected, plus ``published``, ``canon_doc`` (the
    near-duplicate group) and ``period_fix`` (set when a reviewer corrected the period). As in the
    monitor, two branches: the unreviewed facts, and the reviewed ones, whose corrected columns
    decide where they belong (a correction may move a figure to another territory or indicator).
    Filters on the subquery reach each branch, so the unreviewed one stays on the facts index.
    ``verified_only``: only figures a reviewer confirmed or corrected (the reviewed branch alone).
    """
    opts = {"territory_id": territory_id, "indicator_id": indicator_id, "outcomes_only": outcomes_only}
    if verified_only:
        return _branch(True, **opts, verified_only=True).subquery("effective_facts")
    return union_all(_branch(False, **opts), _branch(True, **opts)).subquery("effective_facts")


def named(eff: Subquery) -> Select:
    """SELECT of effective facts with their indicator's and territory's names (for ``fact_row``)."""
    return (select(eff, Indicator.code.label("indicator"),
                   func.coalesce(Indicator.name, eff.c.indicator_text).label("indicator_name"),
                   Territory.kato.label("territory_kato"), Territory.name.label("territory"))
            .outerjoin(Indicator, Indicator.id == eff.c.indicator_id)
            .outerjoin(Territory, Territory.id == eff.c.territory_id))


def indicators_of(session: Any, *, territory_id: int) -> list[int]:
    """Ids of the indicators that may have figures for the territory: those of its facts (read off
    the facts index) and those a correction moved a figure to. Reviews may leave some empty."""
    filed = select(Fact.indicator_id).where(Fact.territory_id == territory_id, Fact.indicator_id.is_not(None))
    moved = (select(func.coalesce(FactOverlay.indicator_id, Fact.indicator_id)).join(Fact, Fact.id == FactOverlay.fact_id)
             .where(func.coalesce(FactOverlay.territory_id, Fact.territory_id) == territory_id))
    return sorted({i for i in session.scalars(filed.distinct().union(moved)) if i is not None})


def fact_row(row: Any) -> dict[str, Any]:
    """An effective fact (a row of ``named``) as the dict the pages and the API use for every figure."""
    out = dict(row._mapping)
    if out.pop("period_fix", None) is not None and out["period_start"] and out["period_end"]:
        out["period"] = period_label(Period(out["period_start"], out["period_end"], out["granularity"] or "range"))
    for extra in ("canon_doc", "rank", "territory_id", "indicator_id"):
        out.pop(extra, None)
    return out


# ================================================================ checks of verified figures

def _verified(fact_id: Any) -> Any:
    """SQL: no figure on this side, or one a reviewer confirmed or corrected (and did not reject)."""
    return or_(fact_id.is_(None), select(FactOverlay.fact_id).where(
        FactOverlay.fact_id == fact_id, FactOverlay.verified.is_(True), FactOverlay.hidden.is_(False)).exists())


def check_filters(query: Select, *, kind: str | None, territory_id: int | None, document_id: int | None) -> Select:
    """Checks of one kind, territory or document (either side), where given."""
    if kind is not None:
        query = query.where(Check.kind == kind)
    if territory_id is not None:
        query = query.where(Check.territory_id == territory_id)
    if document_id is not None:
        query = query.where(or_(Check.document_id == document_id, Check.other_document_id == document_id))
    return query


def _iso(value: Any) -> str | None:
    return None if value is None else str(value)[:10]


def verified_checks(conn: Any, *, kind: str | None = None, territory_id: int | None = None,
                    document_id: int | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    """Checks whose figures are all verified, in the shape and order of the monitor's list_checks
    (without ``kind_label``, which the caller adds); `conn` is a Connection or Session."""
    f1, f2 = aliased(Fact), aliased(Fact)
    d1, d2 = aliased(Document), aliased(Document)
    query = (select(Check.__table__, Territory.name.label("territory"), Indicator.name.label("indicator"),
                    f1.span_start.label("s1"), f1.span_stop.label("e1"), f2.span_start.label("s2"),
                    f2.span_stop.label("e2"), d1.url.label("url"), d2.url.label("other_url"),
                    d1.published.label("published"), d2.published.label("other_published"))
             .outerjoin(Territory, Territory.id == Check.territory_id)
             .outerjoin(Indicator, Indicator.id == Check.indicator_id)
             .outerjoin(f1, f1.id == Check.fact_id).outerjoin(f2, f2.id == Check.other_fact_id)
             .outerjoin(d1, d1.id == f1.document_id).outerjoin(d2, d2.id == f2.document_id)
             .where(_verified(Check.fact_id), _verified(Check.other_fact_id))
             .order_by(Check.kind, Check.territory_id, Check.period_start, Check.id))
    query = check_filters(query, kind=kind, territory_id=territory_id, document_id=document_id)
    if limit:
        query = query.limit(limit)
    out = []
    for r in conn.execute(query).mappings():
        out.append({**{k: r[k] for k in ("id", "kind", "territory_id", "territory", "indicator_id", "indicator",
                                          "other_indicator_id", "unit")},
                    "period_start": _iso(r["period_start"]), "period_end": _iso(r["period_end"]),
                    **{k: r[k] for k in ("value", "expected", "score", "message")},
                    "fact": {"fact_id": r["fact_id"], "document_id": r["document_id"], "span": [r["s1"], r["e1"]],
                             "sentence": None, "url": r["url"], "published": _iso(r["published"])},
                    "other": {"fact_id": r["other_fact_id"], "document_id": r["other_document_id"],
                              "span": [r["s2"], r["e2"]], "sentence": None, "url": r["other_url"],
                              "published": _iso(r["other_published"])}})
    return out

"""Read functions behind the territory page and the JSON API: one query feeds both.

Every function takes a Session and keyword-only arguments and returns plain dicts (never ORM
rows), so the web and API layers stay free of SQLAlchemy. Figures are read as reviewed (see
qala.store.reviewed): a rejected figure never shows, a corrected one shows corrected. A key
indicator's card shows the monitor's merged point for its latest period (table series_points:
the larger of disagreeing reports, with their range) and falls back to the facts themselves
before the monitor has run. The lists (documents, persons, programs, meetings, instructions)
live in qala.store.records and are re-exported here, so ``dashboard.list_posts`` etc. keep working.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from qala.errors import NotFound
from qala.store.records import (  # noqa: F401 -- re-exported: the API routes, views and fulltext use them
    BOARD,
    MAX_LIMIT,
    STATUSES,
    _count,
    _doc_dict,
    _page,
    about,
    add_document,
    board_status,
    document_detail,
    indicators_of_territory,
    instruction_years,
    list_documents,
    list_instructions,
    list_meetings,
    list_posts,
    list_programs,
    meeting,
    organizations_with_posts,
    set_instruction_status,
    with_sources,
)
from qala.store.reviewed import effective_facts, fact_row, indicators_of, named
from qala.store.schema import (
    Document,
    Fact,
    Indicator,
    Instruction,
    InstructionStatus,
    Meeting,
    MonitorRun,
    Post,
    Program,
    ProgramMention,
    Review,
    SeriesPoint,
    Territory,
)

HOME_KATO = "750000000"  # г. Алматы: the territory the dashboard opens on
POOL_INDICATOR = "investment_projects"  # the figures listed as investment pools


# ================================================================ territories

def list_territories(session: Session) -> list[dict[str, Any]]:
    """Territories that have facts, the home territory first, then by number of facts."""
    counts = (select(Fact.territory_id, func.count().label("n")).where(Fact.territory_id.is_not(None))
              .group_by(Fact.territory_id).subquery())
    rows = session.execute(select(Territory, counts.c.n).join(counts, counts.c.territory_id == Territory.id)
                           .order_by((Territory.kato != HOME_KATO), counts.c.n.desc(), Territory.name))
    return [{"id": t.id, "kato": t.kato, "name": t.name, "kind": t.kind, "facts": n} for t, n in rows]


def find_territory(session: Session, key: str | int | None = None) -> dict[str, Any]:
    """A territory by KATO code or id; with no key, the home territory (else the one with most facts)."""
    if key is None or key == "":
        row = session.scalar(select(Territory).where(Territory.kato == HOME_KATO))
        if row is None:
            first = list_territories(session)
            if not first:
                raise NotFound("no territory has any facts yet: ingest some documents first")
            row = session.get(Territory, first[0]["id"])
    else:
        cond = Territory.kato == str(key)
        if str(key).isdigit() and len(str(key)) < 9:
            cond = or_(cond, Territory.id == int(key))
        elif not str(key).isdigit():
            cond = or_(cond, Territory.name == str(key), func.lower(Territory.name) == str(key).lower())
        row = session.scalars(select(Territory).where(cond).order_by(Territory.id)).first()
    if row is None:
        raise NotFound(f"expected a known territory (KATO code or id), got {key!r}")
    return {"id": row.id, "kato": row.kato, "name": row.name, "kind": row.kind}


# ================================================================ facts and series

def _indicator_id(session: Session, code: str) -> int:
    found = session.scalar(select(Indicator.id).where(Indicator.code == code))
    if found is None:
        raise NotFound(f"expected a known indicator code, got {code!r}")
    return found


def find_indicator(session: Session, code: str) -> dict[str, Any]:
    ind = session.get(Indicator, _indicator_id(session, code))
    return {"id": ind.id, "code": ind.code, "name": ind.name, "unit_family": ind.unit_family}


def series(session: Session, *, territory: str | int, indicator: str,
           granularity: str | None = None, limit: int = 40, verified_only: bool = False) -> dict[str, Any]:
    """An indicator's series for a territory from the reviewed facts: one point per period.

    This is the fallback before the monitor has merged the series, so it picks as the monitor does:
    the unit with most periods, the largest report of a period (the earliest of equal ones), and,
    with no granularity given, years when there are two or more, else the granularity with most
    periods, so years are never mixed with months. Plans tracked as commitments are left out.
    """
    terr = find_territory(session, territory)
    ind = find_indicator(session, indicator)
    eff = effective_facts(territory_id=terr["id"], indicator_id=ind["id"], verified_only=verified_only)
    dated = and_(eff.c.value.is_not(None), eff.c.period_start.is_not(None), eff.c.period_end.is_not(None))
    shapes = session.execute(select(eff.c.unit, eff.c.granularity, func.count(func.distinct(eff.c.period_start)))
                             .where(dated).group_by(eff.c.unit, eff.c.granularity)).all()
    units: Counter = Counter()
    for unit, _grain, n in shapes:
        units[unit] += n
    unit = max(units, key=lambda u: (units[u], u or "")) if units else None
    grains = {g: n for u, g, n in shapes if u == unit}
    if granularity is None and grains:
        granularity = "year" if grains.get("year", 0) >= 2 else max(grains, key=lambda g: (grains[g], g == "year"))
    rank = func.row_number().over(partition_by=(eff.c.period_start, eff.c.period_end),
                                  order_by=(eff.c.value.desc(), eff.c.published.asc().nulls_last(), eff.c.id))
    ranked = (select(eff, rank.label("rank"))
              .where(dated, eff.c.unit == unit, eff.c.granularity == granularity).subquery())
    best = (select(ranked).where(ranked.c.rank == 1).order_by(ranked.c.period_start.desc())
            .limit(limit).subquery())
    points = sorted((fact_row(r) for r in session.execute(named(best))),
                    key=lambda p: p["period_start"] or dt.date.min)
    return {"territory": terr, "indicator": {k: ind[k] for k in ("code", "name", "unit_family")},
            "granularity": granularity, "points": points}


# ================================================================ key indicators

def _latest_point(points: list[SeriesPoint]) -> SeriesPoint | None:
    """The latest period of the unit with most periods (the unit the chart draws)."""
    if not points:
        return None
    units = Counter(p.unit for p in points)
    unit = max(units, key=lambda u: (units[u], u))
    return max((p for p in points if p.unit == unit), key=lambda p: (p.period_start, p.period_end))


def _period_card(session: Session, territory_id: int, indicator_id: int, unit: str | None, start: dt.date,
                 end: dt.date, *, point: SeriesPoint | None = None, verified_only: bool = False) -> dict[str, Any] | None:
    """A card for one period: the reviewed reports' range and the earliest report of the value shown
    (the sentence the card links to). The value is the merged `point`'s when given, else the larger
    report (as the monitor merges them). None when the reports no longer match the point: a review
    came after the monitor's last rebuild."""
    eff = effective_facts(territory_id=territory_id, indicator_id=indicator_id, verified_only=verified_only)
    same = and_(eff.c.unit == unit, eff.c.period_start == start, eff.c.period_end == end, eff.c.value.is_not(None))
    low, high, docs = session.execute(select(func.min(eff.c.value), func.max(eff.c.value),
                                             func.count(func.distinct(eff.c.canon_doc))).where(same)).one()
    if high is None or (point is not None and (low, high) != (point.value_min, point.value_max)):
        return None
    source = session.execute(named(eff).where(same, eff.c.value == (high if point is None else point.value))
                             .order_by(eff.c.published.asc().nulls_last(), eff.c.id).limit(1)).first()
    if source is None:
        return None
    return {"latest": fact_row(source), "low": low, "high": high, "n_documents": docs}


def _fact_card(session: Session, territory_id: int, indicator_id: int, *,
               verified_only: bool = False) -> dict[str, Any] | None:
    """The card from the reviewed facts (before the monitor has run, or of verified figures only): the
    latest figure, merged with the other reports of its period as the monitor merges them (the larger
    shown, the range kept)."""
    eff = effective_facts(territory_id=territory_id, indicator_id=indicator_id, verified_only=verified_only)
    latest = session.execute(named(eff).order_by(eff.c.period_start.desc().nulls_last(),
                                                 eff.c.period_end.desc().nulls_last(),
                                                 eff.c.value.is_(None), eff.c.id).limit(1)).first()
    if latest is None:
        return None
    if latest.value is None or latest.period_start is None or latest.period_end is None:
        return {"latest": fact_row(latest), "low": None, "high": None, "n_documents": 1}
    return _period_card(session, territory_id, indicator_id, latest.unit, latest.period_start, latest.period_end,
                        verified_only=verified_only)


def key_indicators(session: Session, *, territory_id: int, chart_points: int = 12,
                   verified_only: bool = False) -> list[dict[str, Any]]:
    """Each indicator with reviewed outcome figures for the territory: its card and (when the monitor
    has no merged series for it, so the chart falls back to the facts) its series. ``verified_only``:
    from the figures a reviewer confirmed or corrected alone (the merged series hold every figure).

    A card holds ``latest`` (the figure, linked to its sentence), ``range`` (low and high, when the
    reports of that period disagree), ``n_documents`` and ``computed`` (read from the monitor's
    merged point, else from the facts).
    """
    points: dict[int, list[SeriesPoint]] = {}
    merged = [] if verified_only else session.scalars(select(SeriesPoint).where(
        SeriesPoint.territory_id == territory_id, SeriesPoint.kind == "reported", SeriesPoint.value.is_not(None)))
    for p in merged:
        points.setdefault(p.indicator_id, []).append(p)
    ids = indicators_of(session, territory_id=territory_id)
    result = []
    for ind in session.scalars(select(Indicator).where(Indicator.id.in_(ids)).order_by(Indicator.code)):
        point = _latest_point(points.get(ind.id, []))
        card = point and _period_card(session, territory_id, ind.id, point.unit, point.period_start,
                                      point.period_end, point=point)
        computed = bool(card)
        card = card or _fact_card(session, territory_id, ind.id, verified_only=verified_only)
        if card is None:  # every figure rejected, moved by a correction, or a plan
            continue
        f, low, high = card["latest"], card.pop("low"), card.pop("high")
        card["range"] = None
        if low is not None and high is not None and low < high:  # keyed as checks are: the page links its check
            card["range"] = {"low": low, "high": high, "unit": f["unit"], "indicator_id": ind.id,
                             "period_start": str(f["period_start"])[:10], "period_end": str(f["period_end"])[:10]}
        chart = [] if ind.id in points else series(session, territory=territory_id, indicator=ind.code,
                                                   limit=chart_points, verified_only=verified_only)["points"]
        result.append({"code": ind.code, "name": ind.name, "unit_family": ind.unit_family, **card,
                       "computed": computed, "series": chart})
    return result


# ================================================================ the territory page

def territory_overview(session: Session, *, territory: str | int | None = None,
                       today: dt.date | None = None, recent: int = 8, verified_only: bool = False) -> dict[str, Any]:
    """The territory page's content; ``verified_only`` limits its figures (cards, charts, pools) to
    those a reviewer confirmed or corrected."""
    terr = find_territory(session, territory)
    pool_id = session.scalar(select(Indicator.id).where(Indicator.code == POOL_INDICATOR))
    pools = []
    if pool_id is not None:  # pools are often announced ahead (plans): listed all the same
        eff = effective_facts(territory_id=terr["id"], indicator_id=pool_id, outcomes_only=False,
                              verified_only=verified_only)
        pools = [fact_row(r) for r in session.execute(
            named(eff).order_by(eff.c.period_start.desc().nulls_last(), eff.c.id).limit(recent))]
    programs = session.execute(
        select(Program, func.min(ProgramMention.document_id)).join(ProgramMention)
        .where(about(terr["id"], ProgramMention.document_id)).group_by(Program.id).order_by(Program.name).limit(20)).all()
    meeting_ids = session.scalars(select(Meeting.id).where(about(terr["id"], Meeting.document_id))
                                  .order_by(Meeting.date.desc(), Meeting.id.desc()).limit(recent)).all()
    instructions, _ = list_instructions(session, territory_id=terr["id"], open_only=True, today=today, limit=recent)
    return {
        "territory": terr,
        "territories": list_territories(session),
        "indicators": key_indicators(session, territory_id=terr["id"], verified_only=verified_only),
        "pools": pools,
        "programs": [{"id": p.id, "name": p.name, "kind": p.kind, "period": p.period, "document_id": d}
                     for p, d in programs],
        "meetings": [meeting(session, meeting_id=m) for m in meeting_ids],
        "instructions": instructions,
    }


def store_stamp(session: Session) -> tuple[Any, ...]:
    """Changes whenever anything a page shows changes (new rows, removed facts, status changes).

    Each part is an indexed max() or a count over the smallest index, so it is cheap to ask for
    on every request and lets the caller cache what it built from the store.
    """
    parts = [select(func.max(t.id)).scalar_subquery() for t in (Fact, Document, Instruction, InstructionStatus,
                                                               Meeting, ProgramMention, Post, Review)]
    return tuple(session.execute(select(*parts, select(func.count(Document.id)).scalar_subquery())).one())


def derived_stamp(session: Session) -> int | None:
    """The latest rebuild of the monitor's tables (series points, checks): pages built from them are
    stale after a rebuild even when the store itself did not change (POST /api/recompute)."""
    return session.scalar(select(func.max(MonitorRun.id)))

"""The monitoring library (qala.monitor) as the API and the pages read it.

Freshness: the derived tables (series points, checks, commitments) are never rebuilt inside a
request. Every read that shows them calls ``ensure_fresh``: when the store stamp (new documents,
facts, reviews, status changes; see ``dashboard.store_stamp``) or the day differs from the one of
this process's last look, it asks the app's ``Rebuilder`` (qala.monitor.recompute) for a rebuild on
its background thread and goes on at once. Writes through the API (reviews, status changes, posted
documents) ask for one too. Readers get the last complete rebuild, and ``freshness`` tells them
when it was made and whether a newer one is under way (the note "обновляется").

Settings.rebuild_wait (seconds, default 0) lets a reader wait that long for a pending rebuild: for
tests and single-user setups that want to read their own writes; a server under load keeps 0.
POST /api/recompute (or ``qala checks --recompute``) rebuilds in the caller's thread.

Verified only: the derived tables are built from every figure not rejected; limiting them to
verified figures filters what they return (points keep only verified sources, checks and
commitments only those whose figures are all verified).
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import Counter
from typing import Any

from sqlalchemy import Engine, func, select

from qala.errors import InvalidInput, NotFound
from qala.monitor import checks as monitor_checks
from qala.monitor import commitments as monitor_commitments
from qala.monitor.period_kind import period_kind
from qala.monitor.recompute import Rebuilder, last_rebuild, last_stamp, store_stamp
from qala.monitor.series import series_for
from qala.stats.page import official_section
from qala.store import dashboard, keyset
from qala.store.db import transaction
from qala.store.reviewed import check_filters
from qala.store.schema import Check, Fact, FactOverlay, Indicator, SeriesPoint
from qala.web.strings import OFFICIAL_NAMES, t

STAMP_SECONDS = 1.0  # a server reads the store's stamp at most this often
REBUILD_IN_CHILD = True  # rebuild in a child process (tests rebuild in the thread: quicker to start)
WAIT_AT_LEAST = 0.0  # seconds a reader waits for a pending rebuild whatever the settings say (tests: 60)
PAGE_CHECKS = 30  # checks listed on a territory page
_LOCK = threading.Lock()
log = logging.getLogger("qala.api.monitoring")


# ================================================================ freshness

def stamp(engine: Engine) -> list[Any]:
    return store_stamp(engine)


def current_stamp(state: Any) -> list[Any]:
    """The store's stamp, read at most every STAMP_SECONDS by this server (every time when readers
    wait for rebuilds, as tests do): a change is noticed within that time."""
    now = time.monotonic()
    seen = getattr(state, "stamp_seen", None)
    if seen is not None and now - seen[0] < STAMP_SECONDS and not WAIT_AT_LEAST:
        return seen[1]
    found = store_stamp(state.engine)
    state.stamp_seen = (now, found)
    return found


def rebuilder(state: Any) -> Rebuilder:
    """The app's one background rebuilder (made on first use)."""
    found = getattr(state, "rebuilder", None)
    if found is None:
        with _LOCK:
            found = getattr(state, "rebuilder", None)
            if found is None:
                settings = getattr(state, "settings", None)
                url = settings.database_url if settings is not None and REBUILD_IN_CHILD else None
                found = state.rebuilder = Rebuilder(state.engine, url=url)
    return found


def ensure_fresh(state: Any, *, force: bool = False) -> dict[str, Any] | None:
    """Ask for a background rebuild when the store changed since this process last looked; never
    waits for it unless settings.rebuild_wait says so. ``force``: rebuild now, in this thread, and
    return the recompute counts (POST /api/recompute). `state` is the app's state."""
    if getattr(state, "read_only", False):
        return None  # a read-only store shows the derived tables as they were last rebuilt
    worker = rebuilder(state)
    if force:
        counts = worker.run_now()
        state.monitor_stamp = stamp(state.engine)
        return counts
    current = current_stamp(state)
    if getattr(state, "monitor_stamp", None) != current:
        state.monitor_stamp = current
        if last_stamp(state.engine) != current:  # else the last rebuild was made from this very store
            worker.request()
    wait = max(getattr(getattr(state, "settings", None), "rebuild_wait", 0) or 0, WAIT_AT_LEAST)
    if wait and worker.pending:
        worker.wait(wait)
    return None


def changed(state: Any) -> None:
    """A write through this server changed the store: rebuild in the background (readers need not
    notice the stamp first)."""
    state.stamp_seen = None  # the writer's next read looks at the store again: its own change shows at once
    if not getattr(state, "read_only", False):
        rebuilder(state).request()


def freshness(state: Any) -> dict[str, Any]:
    """When the derived tables were last rebuilt, and whether a rebuild is under way (then the note
    "обновляется": what is shown is the last complete rebuild)."""
    found = getattr(state, "rebuilder", None)
    pending = bool(found and found.pending)
    return {"rebuilt_at": last_rebuild(state.engine), "rebuilding": pending,
            "note": t.rebuilding if pending else None}


def verified_facts(engine: Engine) -> set[int]:
    """Ids of figures a reviewer confirmed or corrected (and did not reject)."""
    with engine.connect() as conn:
        return set(conn.scalars(select(FactOverlay.fact_id).where(FactOverlay.verified.is_(True),
                                                                 FactOverlay.hidden.is_(False))))


# ================================================================ checks and commitments

def checks(engine: Engine, *, kind: str | None = None, territory_id: int | None = None,
           document_id: int | None = None, verified_only: bool = False,
           limit: int | None = None, whole: bool = True) -> list[dict[str, Any]]:
    """Checks with both sentences whole, at most `limit`; verified_only keeps (in the query) those
    whose figures are all verified."""
    if verified_only:
        from qala.monitor.labels import CHECK_KIND
        from qala.store.reviewed import verified_checks

        if kind is not None and kind not in monitor_checks.KINDS:
            raise InvalidInput(f"expected a check kind among {', '.join(monitor_checks.KINDS)}, got {kind!r}")
        with engine.connect() as conn:
            rows = verified_checks(conn, kind=kind, territory_id=territory_id, document_id=document_id, limit=limit)
        for c in rows:
            c["kind_label"] = CHECK_KIND[c["kind"]]
            c["gap"] = monitor_checks.gap(c["kind"], c.get("value"), c.get("expected"), c.get("message"))
            c["period_kind"] = period_kind(c.get("period_start"), c.get("period_end"))
    else:
        rows = monitor_checks.list_checks(engine, kind=kind, territory_id=territory_id, document_id=document_id,
                                          limit=limit)
    if whole:
        whole_sentences(engine, [side for c in rows for side in (c["fact"], c["other"])])
    return rows


CHECK_KINDS = ("str", "int", "date", "int")  # a checks cursor: kind, territory, period start, id


def checks_page(engine: Engine, *, kind: str | None = None, territory_id: int | None = None,
                document_id: int | None = None, verified_only: bool = False, limit: int = 100, offset: int = 0,
                cursor: str | None = None) -> tuple[list[dict[str, Any]], str | None]:
    """A page of checks in the monitor's order (kind, territory, period, id) and the next page's
    cursor: the page's ids are found by keyset on the checks table, then read with both sides."""
    keyset.check_offset(offset, cursor)
    after = keyset.decode(cursor, CHECK_KINDS) if cursor else None
    order = (Check.kind, Check.territory_id, Check.period_start, Check.id)
    if verified_only:  # few: every verified check, then the page after the cursor's
        rows = checks(engine, kind=kind, territory_id=territory_id, document_id=document_id, verified_only=True,
                      whole=False)
        page, more = after_id(rows, after[3] if after else None, offset, limit)
    else:
        if kind is not None and kind not in monitor_checks.KINDS:
            raise InvalidInput(f"expected a check kind among {', '.join(monitor_checks.KINDS)}, got {kind!r}")
        query = check_filters(select(*order), kind=kind, territory_id=territory_id, document_id=document_id)
        if after is not None:
            query = query.where(keyset.after_all(order, after, nulls_first=engine.dialect.name == "sqlite"))
        with engine.connect() as conn:
            keys = conn.execute(query.order_by(*order).offset(offset).limit(limit + 1)).all()
        more, keys = len(keys) > limit, keys[:limit]
        page = monitor_checks.list_checks(engine, ids=[k.id for k in keys]) if keys else []
    whole_sentences(engine, [side for c in page for side in (c["fact"], c["other"])])
    if not (more and page):
        return page, None
    last = page[-1]
    return page, keyset.encode([last["kind"], last["territory_id"], last["period_start"], last["id"]])


def after_id(rows: list[dict[str, Any]], last: int | None, offset: int, limit: int) -> tuple[list[dict[str, Any]], bool]:
    """A page of a short list read whole (verified checks, commitments): the rows after the one
    whose id the cursor named (none when it is gone, as after a rebuild), and whether more follow."""
    if last is not None:
        ids = [r["id"] for r in rows]
        rows = rows[ids.index(last) + 1:] if last in ids else []
    return rows[offset:offset + limit], len(rows) > offset + limit


def count_checks(engine: Engine, *, kind: str | None = None, territory_id: int | None = None,
                 document_id: int | None = None) -> int:
    query = check_filters(select(func.count(Check.id)), kind=kind, territory_id=territory_id, document_id=document_id)
    with engine.connect() as conn:
        return conn.scalar(query) or 0


def _lines(text: str, start: int, stop: int) -> list[tuple[int, int]]:
    """A sentence cut again at line breaks (razdel keeps a headline with the sentence after it)."""
    out, at = [], start
    for i in range(start, stop):
        if text[i] == "\n":
            if text[at:i].strip():
                out.append((at, i))
            at = i + 1
    if text[at:stop].strip():
        out.append((at, stop))
    return out


def whole_sentences(engine: Engine, sides: list[dict[str, Any]]) -> None:
    """Widen each side's `sentence` (its figure's span) to the whole sentence holding it."""
    from razdel import sentenize

    from qala.store.schema import Document

    wanted = {s["document_id"] for s in sides if s.get("document_id") and s["span"][0] is not None}
    if not wanted:
        return
    with engine.connect() as conn:
        texts = dict(conn.execute(select(Document.id, Document.text).where(Document.id.in_(wanted))).all())
    bounds = {d: [b for x in sentenize(text or "") for b in _lines(text, x.start, x.stop)] for d, text in texts.items()}
    for side in sides:
        start, stop = side["span"]
        if side.get("document_id") not in bounds or start is None:
            continue
        hit = [b for b in bounds[side["document_id"]] if b[0] < stop and start < b[1]] or [(start, stop)]
        side["sentence"] = texts[side["document_id"]][hit[0][0]:hit[-1][1]].strip()


def commitments(engine: Engine, *, territory_id: int | None = None, status: str | None = None,
                document_id: int | None = None, verified_only: bool = False) -> list[dict[str, Any]]:
    rows = monitor_commitments.list_commitments(engine, territory_id=territory_id, status=status,
                                                document_id=document_id)
    if verified_only:
        ok = verified_facts(engine)
        rows = [c for c in rows if c["fact_id"] in ok]
    return rows


# ================================================================ series

def indicator_ids(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {code: i for code, i in conn.execute(select(Indicator.code, Indicator.id))}


def _pick(points: list[dict[str, Any]], granularity: str | None, unit: str | None) -> tuple[str | None, str | None]:
    """The unit with most reported periods, then the granularity: years when two or more, else the
    one with most periods (never mixing years with months), as the fact-based series does."""
    reported = [p for p in points if p["kind"] == "reported"]
    if unit is None and reported:
        unit = Counter(p["unit"] for p in reported).most_common(1)[0][0]
    grains = Counter(p["granularity"] for p in reported if p["unit"] == unit)
    if granularity is None and grains:
        granularity = "year" if grains.get("year", 0) >= 2 else max(grains, key=lambda g: (grains[g], g == "year"))
    return granularity, unit


def one_kind(points: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], str | None]:
    """The points of one kind of period (qala.monitor.period_kind), so that a chart never draws a
    line from a sum for January–September to a whole year: the kind with most reported periods
    (years first on ties). Returns the points kept and their kind."""
    kinds = Counter(p.get("period_kind") or period_kind(p["period_start"], p["period_end"], p.get("granularity"))
                    for p in points if p["kind"] == "reported")
    if not kinds:
        return points, None
    kind = max(kinds, key=lambda k: (kinds[k], k == "year", k or ""))
    kept = []
    for p in points:
        p["period_kind"] = p.get("period_kind") or period_kind(p["period_start"], p["period_end"], p.get("granularity"))
        if p["period_kind"] == kind:
            kept.append(p)
    return kept, kind


def merged_series(engine: Engine, *, territory_id: int, indicator_id: int, granularity: str | None = None,
                  unit: str | None = None, verified_only: bool = False) -> dict[str, Any] | None:
    """The monitor's series (a figure reported twice is one point with both sources; implied bases
    marked kind='implied'), or None when nothing was computed for this territory and indicator."""
    with engine.connect() as conn:
        computed = conn.scalar(select(SeriesPoint.id).where(SeriesPoint.territory_id == territory_id,
                                                            SeriesPoint.indicator_id == indicator_id).limit(1))
    if computed is None:
        return None
    points = [p.to_json() for p in series_for(engine, territory_id=territory_id, indicator_id=indicator_id,
                                              verified_only=verified_only)]
    if verified_only:
        ok = verified_facts(engine)
        kept = []
        for p in points:
            if p["kind"] == "reported" and p["sources"]:
                p["value"] = p["sources"][0]["value"]  # the earliest verified report
                p["n_documents"] = len({s["document_id"] for s in p["sources"]})
                kept.append(p)
            elif p["kind"] == "implied" and p["fact_id"] in ok:
                kept.append(p)
        points = kept
    granularity, unit = _pick(points, granularity, unit)
    points = [p for p in points if p["unit"] == unit and p["granularity"] == granularity
              and p["value"] is not None and math.isfinite(p["value"])]
    points, kind = one_kind(points)
    return {"granularity": granularity, "period_kind": kind, "unit": unit, "points": points}


def fact_points(facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The fact-based series (the fallback) in the merged series' shape: one source per point."""
    return [{"period": f["period"], "period_start": f["period_start"], "period_end": f["period_end"],
             "granularity": f["granularity"], "unit": f["unit"], "value": f["value"], "value_min": f["value"],
             "value_max": f["value"], "kind": "reported", "n_documents": 1, "fact_id": f["id"], "yoy_percent": None,
             "sources": [{"fact_id": f["id"], "document_id": f["document_id"], "value": f["value"],
                          "published": f["published"], "span": [f["span_start"], f["span_stop"]]}]}
            for f in facts]


def chart_points(points: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Points as the dashboard's chart script reads them; each links to its first source."""
    out = []
    for p in points:
        src = p["sources"][0] if p["sources"] else None
        url = (f"/documents/{src['document_id']}#fact-{src['fact_id']}" if src
               else f"/documents/{p['document_id']}#fact-{p['fact_id']}" if p.get("document_id") else "")
        out.append({"x": str(p["period_end"]), "y": p["value"], "label": p["period"], "url": url,
                    "kind": p["kind"], "n": len(p["sources"])})
    return out


def one_implied_per_period(points: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The chart's points: every reported one, and of the bases implied by reported changes the
    first for each period (a large store implies thousands for one period: a chart of them all ran
    to megabytes and showed one cloud; the series API still lists every one)."""
    seen: set[tuple] = set()
    out = []
    for p in points:
        if p["kind"] == "implied":
            key = (p["period_start"], p["period_end"])
            if key in seen:
                continue
            seen.add(key)
        out.append(p)
    return out


def implied_links(engine: Engine, points: list[dict[str, Any]]) -> None:
    """Implied points link to the document of the change they were computed from."""
    wanted = [p["fact_id"] for p in points if p["kind"] == "implied" and p["fact_id"]]
    if not wanted:
        return
    with engine.connect() as conn:
        docs = dict(conn.execute(select(Fact.id, Fact.document_id).where(Fact.id.in_(wanted))).all())
    for p in points:
        if p["kind"] == "implied":
            p["document_id"] = docs.get(p["fact_id"])


def series(engine: Engine, session: Any, *, territory: str, indicator: str, granularity: str | None = None,
           verified_only: bool = False) -> dict[str, Any]:
    """GET /api/series: the merged series when computed, else one point per period from the facts."""
    terr = dashboard.find_territory(session, territory)
    ind = dashboard.find_indicator(session, indicator)
    from qala.stats.series import with_official

    merged = merged_series(engine, territory_id=terr["id"], indicator_id=ind["id"], granularity=granularity,
                           verified_only=verified_only)
    if merged is not None:
        implied_links(engine, merged["points"])
        points, unit, grain = with_official(engine, merged["points"], territory_id=terr["id"], indicator_id=ind["id"],
                                            unit=merged["unit"], granularity=merged["granularity"])
        return {"territory": terr, "indicator": ind, "granularity": grain, "period_kind": merged["period_kind"],
                "unit": unit, "computed": True, "points": points}
    if verified_only:
        raise NotFound("expected a computed series of verified figures for this territory and indicator, got none")
    found = dashboard.series(session, territory=territory, indicator=indicator, granularity=granularity)
    points, kind = one_kind(fact_points(found["points"]))
    points, unit, grain = with_official(engine, points, territory_id=terr["id"], indicator_id=ind["id"],
                                        unit=points[-1]["unit"] if points else None,
                                        granularity=found["granularity"] if points else granularity)
    return {"territory": terr, "indicator": ind, "granularity": grain, "period_kind": kind, "unit": unit,
            "computed": False, "points": points}


# ================================================================ the territory page

def territory_monitoring(engine: Engine, *, territory_id: int, indicators: list[dict[str, Any]],
                         verified_only: bool = False) -> dict[str, Any]:
    """What the territory page adds from the monitor: checks, commitments and merged chart series."""
    ids = indicator_ids(engine)
    charts: dict[str, list[dict[str, Any]]] = {}
    for ind in indicators:
        merged = None
        if ind["code"] in ids:
            merged = merged_series(engine, territory_id=territory_id, indicator_id=ids[ind["code"]],
                                   verified_only=verified_only)
        if merged is None:
            if verified_only:
                continue
            points, _kind = one_kind(fact_points(ind["series"]))
        else:
            points = one_implied_per_period(merged["points"])
            implied_links(engine, points)
        charts[ind["code"]] = chart_points(points)
        if ind["code"] in ids and charts[ind["code"]]:  # the official line under the card's reported figures
            charts[ind["code"]] += official_chart(engine, territory_id, ids[ind["code"]], points)
    official = official_section(engine, territory_id=territory_id, names=OFFICIAL_NAMES)
    for card in official:
        charts[card["key"]] = card["points"]
    return {"checks": checks(engine, territory_id=territory_id, verified_only=verified_only, limit=PAGE_CHECKS),
            "checks_count": (None if verified_only else count_checks(engine, territory_id=territory_id)),
            "commitments": commitments(engine, territory_id=territory_id, verified_only=verified_only),
            "charts": charts, "official": official}


def official_chart(engine: Engine, territory_id: int, indicator_id: int,
                   points: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Official points of the unit and granularity a card's chart draws."""
    from qala.stats.page import chart_point, source_label
    from qala.stats.series import official_points

    shown = [p for p in points if p["kind"] == "reported"]
    if not shown:
        return []
    unit, grain = shown[-1]["unit"], shown[-1]["granularity"]
    return [chart_point(o, source_label(o["official"]))
            for o in official_points(engine, territory_id=territory_id, indicator_id=indicator_id, unit=unit,
                                     granularity=grain)]


# ================================================================ reviews on the document page

def review_states(reviews: list[dict[str, Any]], facts: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """Each reviewed figure's state (its latest action) and its history, keyed by fact id.

    A review names its figure by span; when several figures share a span, `before.ordinal` tells which.
    """
    out: dict[int, dict[str, Any]] = {}
    for f in facts:
        mine = [r for r in reviews if r["item_kind"] == "fact" and r["span"] == [f["span_start"], f["span_stop"]]
                and (not (r["before"] or {}).get("shared_span") or (r["before"] or {}).get("ordinal") == f["ordinal"])]
        if mine:
            out[f["id"]] = {"state": mine[-1]["action"], "after": mine[-1]["after"], "history": mine}
    return out


def document_id_exists(session: Any, document_id: int) -> None:
    from qala.store.schema import Document

    if session.get(Document, document_id) is None:
        raise NotFound(f"expected an existing document id, got {document_id}")


def submit_review(engine: Engine, *, document_id: int, item_kind: str, span: tuple[int, int], action: str,
                  user: str, after: dict[str, Any] | None = None, field: str | None = None,
                  ordinal: int | None = None) -> dict[str, Any]:
    """Record a review (API and pages alike); `after` may name the indicator by code and the
    territory by KATO code or name. Returns the stored review as the audit trail shows it."""
    from qala.monitor import review as monitor_review

    if span[1] < span[0]:
        raise InvalidInput(f"expected span_stop >= span_start, got {span[0]}-{span[1]}")
    if action == "correct" and item_kind != "fact":
        raise InvalidInput(f"expected corrections on figures (item_kind fact), got {item_kind!r}")
    after = dict(after or {})
    for name in ("value", "change_value"):
        if name in after and not math.isfinite(float(after[name])):
            raise InvalidInput(f"expected a finite {name}, got {after[name]!r}")
    with transaction(engine) as session:  # short: the review writes through its own transaction
        document_id_exists(session, document_id)
        if "indicator" in after:
            after["indicator_id"] = dashboard.find_indicator(session, str(after.pop("indicator")))["id"]
        if "territory" in after:
            after["territory_id"] = dashboard.find_territory(session, str(after.pop("territory")))["id"]
    if action == "correct" and not after:
        raise InvalidInput("expected at least one corrected field (value, unit, period, indicator), got none")
    field = {"indicator": "indicator_id", "territory": "territory_id"}.get(field or "", field)
    review_id = monitor_review.review(engine, document_id, item_kind, span, field, action,
                                      after if action == "correct" else None, user,
                                      match={"ordinal": ordinal} if ordinal is not None else None)
    return next(r for r in monitor_review.reviews_of(engine, document_id) if r["id"] == review_id)

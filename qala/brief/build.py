"""The briefing's content, built once from the store as plain data; the renderers only lay it out.

A briefing for a territory (and, optionally, a period: figures of periods inside it) holds the key
indicators (the latest reported figure of each, the same period a year before, the change), one
generated sentence per indicator, chart series, investment pools, plans against outcomes, open and
overdue instructions by responsible body, claim checks, and the numbered sources every figure is
footnoted to (document, sentence, link).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Engine, select

from qala.brief import text as words
from qala.errors import InvalidInput
from qala.periods import Period, parse_period, previous
from qala.store.db import transaction

MAX_CHART_POINTS = 12
MAX_INSTRUCTIONS = 100
MAX_CHECKS = 20
MAX_POOLS = 10


class Sources:
    """The numbered list of sources: one number per figure's sentence, in order of first mention."""

    def __init__(self) -> None:
        self.keys: dict[tuple[Any, ...], int] = {}
        self.items: list[dict[str, Any]] = []

    def note(self, document_id: int | None, span: Any, fact_id: int | None = None) -> int | None:
        if document_id is None:
            return None
        start, stop = (list(span) + [None, None])[:2] if span else (None, None)
        key = (document_id, start, stop)
        if key not in self.keys:
            self.items.append({"n": len(self.items) + 1, "document_id": document_id, "fact_id": fact_id,
                               "span": [start, stop]})
            self.keys[key] = len(self.items)
        return self.keys[key]

    def fill(self, engine: Engine) -> list[dict[str, Any]]:
        """Each source's document (title, date, publisher, link) and its whole sentence."""
        from qala.api.monitoring import whole_sentences
        from qala.store.schema import Document, Source

        if not self.items:
            return []
        with engine.connect() as conn:
            docs = {r.id: r for r in conn.execute(
                select(Document.id, Document.title, Document.url, Document.published, Source.name.label("source"))
                .outerjoin(Source, Source.id == Document.source_id)
                .where(Document.id.in_({s["document_id"] for s in self.items})))}
        whole_sentences(engine, self.items)
        for s in self.items:
            d = docs.get(s["document_id"])
            s.update(title=(d.title if d else None) or "", url=(d.url if d else None) or "",
                     published=words.russian_day(d.published) if d and d.published else "",
                     publisher=(d.source if d else None) or "",
                     path=f"/documents/{s['document_id']}" + (f"#fact-{s['fact_id']}" if s["fact_id"] else ""))
            s.setdefault("sentence", "")
            s["sentence"] = " ".join((s.get("sentence") or "").split())
        return self.items


def _period_filter(period: str | None) -> Period | None:
    if period is None or not str(period).strip():
        return None
    found = parse_period(str(period).strip())
    if found is None:
        raise InvalidInput(f"expected a period like 2024, 2024-09 or 2024-01..2024-09, got {period!r}")
    return found


def _inside(p: dict[str, Any], within: Period | None) -> bool:
    if within is None:
        return True
    return within.start <= _date(p["period_start"]) and _date(p["period_end"]) <= within.end


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _source_of(session: Any, point: dict[str, Any]) -> dict[str, Any]:
    """The report a point's value comes from (a merged point shows the larger of differing reports)."""
    sources = _sources_of(session, point) or []
    return next((x for x in sources if x.get("value") == point["value"]), sources[0] if sources else {})


def _merged_points(session: Any, territory_id: int, indicator_id: int) -> list[dict[str, Any]] | None:
    """The monitor's merged points of one series (the unit and granularity its chart draws), each with
    the earliest report of the value shown as its source; None when nothing was merged. Read column by
    column and sources only for the points shown: a series may hold thousands of periods."""
    from qala.api.monitoring import _pick
    from qala.store.schema import SeriesPoint

    rows = session.execute(select(SeriesPoint.unit, SeriesPoint.granularity, SeriesPoint.period_start,
                                  SeriesPoint.period_end, SeriesPoint.value, SeriesPoint.value_min,
                                  SeriesPoint.value_max)
                           .where(SeriesPoint.territory_id == territory_id, SeriesPoint.indicator_id == indicator_id,
                                  SeriesPoint.kind == "reported", SeriesPoint.value.is_not(None))).all()
    if not rows:
        return None
    points = [{"kind": "reported", "unit": r.unit, "granularity": r.granularity, "period_start": r.period_start,
               "period_end": r.period_end, "value": r.value, "value_min": r.value_min, "value_max": r.value_max,
               "sources": None, "indicator_id": indicator_id, "territory_id": territory_id} for r in rows]
    grain, unit = _pick(points, None, None)
    return [p for p in points if p["unit"] == unit and p["granularity"] == grain]


def _sources_of(session: Any, point: dict[str, Any]) -> list[dict[str, Any]]:
    """A merged point's report of the value it shows (the earliest published), as a source."""
    from qala.store.reviewed import effective_facts

    if point.get("sources") is not None:
        return point["sources"]
    eff = effective_facts(territory_id=point["territory_id"], indicator_id=point["indicator_id"])
    row = session.execute(select(eff.c.id, eff.c.document_id, eff.c.span_start, eff.c.span_stop)
                          .where(eff.c.unit == point["unit"], eff.c.period_start == point["period_start"],
                                 eff.c.period_end == point["period_end"], eff.c.value == point["value"])
                          .order_by(eff.c.published.asc().nulls_last(), eff.c.id).limit(1)).first()
    point["sources"] = [] if row is None else [{"fact_id": row.id, "document_id": row.document_id,
                                                "value": point["value"], "span": [row.span_start, row.span_stop]}]
    return point["sources"]


def _indicator(engine: Engine, session: Any, terr: dict[str, Any], code: str, indicator_id: int, name: str,
               within: Period | None, notes: Sources) -> dict[str, Any] | None:
    """One key indicator: its latest reported figure inside the period, the year before, the chart."""
    points = _merged_points(session, terr["id"], indicator_id)
    if points is None:  # the monitor has not merged this series: the facts, one per period
        from qala.api import monitoring

        found = monitoring.series(engine, session, territory=terr["id"], indicator=code)
        points = [p for p in found["points"] if p.get("kind") == "reported" and p.get("value") is not None]
    shown = [p for p in points if _inside(p, within)]
    if not shown:
        return None
    latest = max(shown, key=lambda p: (_date(p["period_end"]), _date(p["period_start"])))
    start, end, grain = _date(latest["period_start"]), _date(latest["period_end"]), latest["granularity"]
    unit = latest["unit"]
    src = _source_of(session, latest)
    obj = _object(session, src.get("fact_id"))
    value_text = words.amount(latest["value"], unit, obj)
    before = previous(Period(start, end, grain or "range"))
    prior = None
    if before is not None:
        prior = next((p for p in points if _date(p["period_start"]) == before.start
                      and _date(p["period_end"]) == before.end and p["unit"] == unit), None)
    change, clause = (None, "")
    prior_out = None
    if prior is not None:
        change, clause = words.change_clause(latest["value"], prior["value"], unit)
        psrc = _source_of(session, prior)
        prior_out = {"value": prior["value"], "value_text": words.amount(prior["value"], unit, obj),
                     "period": words.period_title(before.start, before.end, grain),
                     "note": notes.note(psrc.get("document_id"), psrc.get("span"), psrc.get("fact_id"))}
    note = notes.note(src.get("document_id"), src.get("span"), src.get("fact_id"))
    chart = sorted(points, key=lambda p: _date(p["period_end"]))
    chart = [p for p in chart if p["granularity"] == grain and p["unit"] == unit and _inside(p, within)
             or (within is not None and p["granularity"] == grain and p["unit"] == unit
                 and _date(p["period_end"]) <= within.end)][-MAX_CHART_POINTS:]
    return {
        "code": code, "name": name, "value": latest["value"], "unit": unit, "object": obj,
        "value_text": value_text, "period": words.period_title(start, end, grain),
        "period_kind": words.period_kind(start, end, grain), "period_start": start.isoformat(),
        "period_end": end.isoformat(), "granularity": grain, "note": note,
        "range": ([latest["value_min"], latest["value_max"]]
                  if latest.get("value_min") is not None and latest.get("value_max") is not None
                  and latest["value_min"] < latest["value_max"] else None),
        "previous": prior_out, "change": change,
        "change_text": ("" if change is None else
                        (f"{'+' if change > 0 else '−' if change < 0 else ''}"
                         f"{words.plain_number(round(abs(change), 1), 1)}"
                         f"{' п.п.' if words.UNITS.get(unit or '', unit) == '%' else '%'}")),
        "sentence": words.sentence(name, start, end, grain, value_text, clause),
        "chart": {"unit": unit, "granularity": grain,
                  "points": [{"end": _date(p["period_end"]).isoformat(), "value": p["value"],
                              "label": words.month_tick(_date(p["period_end"]), grain)} for p in chart]},
    }


def _object(session: Any, fact_id: int | None) -> str | None:
    from qala.store.schema import Fact

    if fact_id is None:
        return None
    return session.scalar(select(Fact.object).where(Fact.id == fact_id))


def _pools(session: Any, terr: dict[str, Any], within: Period | None, notes: Sources) -> list[dict[str, Any]]:
    from qala.store.dashboard import POOL_INDICATOR
    from qala.store.reviewed import effective_facts, fact_row, named
    from qala.store.schema import Indicator

    pool_id = session.scalar(select(Indicator.id).where(Indicator.code == POOL_INDICATOR))
    if pool_id is None:
        return []
    eff = effective_facts(territory_id=terr["id"], indicator_id=pool_id, outcomes_only=False)
    rows = [fact_row(r) for r in session.execute(
        named(eff).order_by(eff.c.period_start.desc().nulls_last(), eff.c.id).limit(MAX_POOLS * 3))]
    out = []
    for f in rows:
        if within is not None and f["period_end"] is not None and not _inside(f, within):
            continue
        out.append({"value": f["value"], "unit": f["unit"],
                    "value_text": words.amount(f["value"], f["unit"], f["object"], f.get("approx")),
                    "name": f["indicator_name"] or f["object"] or "",
                    "period": (words.period_title(_date(f["period_start"]), _date(f["period_end"]), f["granularity"])
                               if f["period_start"] and f["period_end"] else (f["period"] or "")),
                    "note": notes.note(f["document_id"], [f["span_start"], f["span_stop"]], f["id"])})
    return out[:MAX_POOLS]


def _commitments(engine: Engine, terr: dict[str, Any], notes: Sources) -> list[dict[str, Any]]:
    from qala.api import monitoring
    from qala.store.schema import Fact

    rows = monitoring.commitments(engine, territory_id=terr["id"])
    actual_spans: dict[int, Any] = {}
    wanted = [c["actual_fact_id"] for c in rows if c.get("actual_fact_id")]
    if wanted:
        with engine.connect() as conn:
            actual_spans = {r.id: r for r in conn.execute(
                select(Fact.id, Fact.document_id, Fact.span_start, Fact.span_stop).where(Fact.id.in_(wanted)))}
    with engine.connect() as conn:
        target_spans = {r.id: r for r in conn.execute(
            select(Fact.id, Fact.document_id, Fact.span_start, Fact.span_stop)
            .where(Fact.id.in_([c["fact_id"] for c in rows if c.get("fact_id")])))} if rows else {}
    out = []
    for c in rows[:40]:
        t = target_spans.get(c["fact_id"])
        a = actual_spans.get(c.get("actual_fact_id"))
        start, end = c["period_start"][:4], c["period_end"][:4]
        out.append({"indicator": c["indicator"] or c["object"] or "",
                    "target": c["target"], "target_text": words.amount(c["target"], c["unit"], c["object"]),
                    "period": start if start == end else f"{start}–{end}",
                    "status": c["status"], "status_label": c.get("status_label") or c["status"],
                    "actual": c["actual"],
                    "actual_text": "—" if c["actual"] is None else words.amount(c["actual"], c["unit"], c["object"]),
                    "note": notes.note(t.document_id, [t.span_start, t.span_stop], t.id) if t else None,
                    "actual_note": notes.note(a.document_id, [a.span_start, a.span_stop], a.id) if a else None})
    return out


def _instructions(session: Any, terr: dict[str, Any], today: dt.date, notes: Sources) -> list[dict[str, Any]]:
    from qala.store.records import list_instructions
    from qala.web.strings import STATUS

    rows, _ = list_instructions(session, territory_id=terr["id"], open_only=True, today=today, limit=MAX_INSTRUCTIONS)
    groups: dict[str, list[dict[str, Any]]] = {}
    for i in rows:
        body = (i["addressee"] or "").strip() or "ответственный не указан"
        groups.setdefault(body, []).append({
            "text": " ".join((i["text"] or "").split()), "issuer": i["issuer"] or "",
            "deadline": words.russian_day(i["deadline"]) if i["deadline"] else (i["deadline_text"] or "без срока"),
            "overdue": i["board"] == "overdue", "status_label": STATUS.get(i["board"], i["board"]),
            "note": notes.note(i["document_id"], [i["span_start"], i["span_stop"]])})
    return [{"body": body, "items": items, "overdue": sum(1 for x in items if x["overdue"])}
            for body, items in sorted(groups.items(), key=lambda kv: (-sum(x["overdue"] for x in kv[1]), kv[0]))]


def _checks(engine: Engine, terr: dict[str, Any], notes: Sources) -> list[dict[str, Any]]:
    from qala.api import monitoring

    out = []
    for c in monitoring.checks(engine, territory_id=terr["id"], limit=MAX_CHECKS):
        sides = [notes.note(s["document_id"], s["span"], s["fact_id"]) for s in (c["fact"], c["other"])
                 if s.get("document_id")]
        period = ""
        if c["period_start"] and c["period_end"]:
            period = words.period_title(_date(c["period_start"]), _date(c["period_end"]), None)
        out.append({"kind": c["kind"], "kind_label": c["kind_label"], "indicator": c["indicator"] or "",
                    "period": period, "message": c["message"] or "", "notes": [n for n in sides if n]})
    return out


def build_brief(engine: Engine, territory: str | int, *, period: str | None = None,
                today: dt.date | None = None) -> dict[str, Any]:
    """The briefing for a territory (KATO code, id or name) as plain data. Raises NotFound for an
    unknown territory and InvalidInput for a period it cannot read."""
    from qala.store import dashboard
    from qala.store.reviewed import indicators_of
    from qala.store.schema import Indicator

    today = today or dt.date.today()
    within = _period_filter(period)
    notes = Sources()
    with transaction(engine) as session:
        terr = dashboard.find_territory(session, territory)
        ids = indicators_of(session, territory_id=terr["id"])
        inds = session.execute(select(Indicator.code, Indicator.id, Indicator.name).where(Indicator.id.in_(ids))
                               .order_by(Indicator.code)).all() if ids else []
        indicators = [x for code, ind_id, name in inds
                      if code != dashboard.POOL_INDICATOR
                      and (x := _indicator(engine, session, terr, code, ind_id, name, within, notes)) is not None]
        pools = _pools(session, terr, within, notes)
        instructions = _instructions(session, terr, today, notes)
    commitments = _commitments(engine, terr, notes)
    checks = _checks(engine, terr, notes)
    sources = notes.fill(engine)
    period_text = (words.period_title(within.start, within.end, within.granularity) if within
                   else "последние доступные данные")
    empty = not (indicators or pools or commitments or instructions or checks)
    return {"territory": terr, "period": period_text, "period_key": period or "",
            "prepared": words.russian_day(today), "prepared_iso": today.isoformat(),
            "indicators": indicators, "pools": pools, "commitments": commitments,
            "instructions": instructions, "overdue": sum(g["overdue"] for g in instructions),
            "open": sum(len(g["items"]) for g in instructions), "checks": checks, "sources": sources,
            "empty": empty}

"""Official values as rows of the facts export (source_kind "official"), under the same filters."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, text

from qala.monitor.official import current_official
from qala.periods import Period, parse_period, period_label
from qala.stats.names import gazetteer


def official_rows(db: Any, *, territory: str | None = None, indicator: str | None = None,
                  period: str | None = None) -> list[dict[str, Any]]:
    """The latest vintage of every official value (totals and breakdowns' totals only), filtered as
    facts are: ``territory`` a KATO code or name, ``indicator`` a code, ``period`` one they lie within."""
    from qala.store.queries import _conn, _territory_ids

    with _conn(db) as conn:
        names = dict(conn.execute(text("SELECT kato, name FROM territories")).all())
        katos = None
        if territory:
            ids = _territory_ids(db, territory)
            query = text("SELECT kato FROM territories WHERE id IN :ids").bindparams(bindparam("ids", expanding=True))
            katos = {k for (k,) in conn.execute(query, {"ids": ids or [-1]})}
            if territory.strip().isdigit():
                katos.add(territory.strip().zfill(9))
        rows = current_official(conn)
    within = parse_period(period) if period else None
    places = gazetteer().places
    out = []
    for r in rows:
        if katos is not None and r["kato"] not in katos:
            continue
        if indicator and r["indicator_code"] != indicator:
            continue
        if within and not (within.start <= r["period_start"] and r["period_end"] <= within.end):
            continue
        place = places.get(r["kato"])
        out.append({"indicator": r["indicator_code"], "territory_kato": r["kato"],
                    "territory": names.get(r["kato"]) or (place.name if place else None),
                    "period": period_label(Period(r["period_start"], r["period_end"], r["granularity"])),
                    "period_start": r["period_start"], "period_end": r["period_end"], "granularity": r["granularity"],
                    "value": r["value"], "unit": r["unit"], "url": r["reference"], "published": r["vintage"],
                    "source": r["source"], "source_kind": "official"})
    return out

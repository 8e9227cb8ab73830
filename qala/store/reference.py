"""Reference data shipped with the package: the territory gazetteer and the canonical indicators.

``seed(engine)`` puts data/territories.csv and data/indicators.csv into the store. It is
idempotent (adds what is missing, keeps what analysts added) and runs whenever ingest opens a
store, so a new alias in the CSV reaches existing databases too.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from importlib import resources

from sqlalchemy import Engine, select

from qala.store import schema
from qala.store.db import transaction
from qala.store.resolve import clear_cache, normalize_indicator, normalize_territory


@dataclass(frozen=True)
class AliasRow:
    form: str
    valid_from: int | None = None
    valid_to: int | None = None


@dataclass(frozen=True)
class TerritoryRow:
    kato: str
    name: str
    kind: str
    parent: str | None
    verified: bool
    aliases: tuple[AliasRow, ...]


@dataclass(frozen=True)
class IndicatorRow:
    code: str
    name: str
    unit_family: str | None
    parent: str | None
    aliases: tuple[str, ...]


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("qala.store").joinpath("data", name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


def parse_alias(item: str) -> AliasRow:
    """One alias cell entry: "Нур-Султан@2019-2022", "ЮКО@-2018", "Алматы".

    >>> parse_alias("Нур-Султан@2019-2022")
    AliasRow(form='Нур-Султан', valid_from=2019, valid_to=2022)
    """
    form, _, years = item.partition("@")
    start, _, stop = years.partition("-")
    return AliasRow(form.strip(), int(start) if start else None, int(stop) if stop else None)


def territories() -> list[TerritoryRow]:
    return [TerritoryRow(kato=r["kato"], name=r["name"], kind=r["kind"], parent=r["parent"] or None,
                         verified=r["verified"] == "yes",
                         aliases=tuple(parse_alias(a) for a in r["aliases"].split("|") if a.strip()))
            for r in _rows("territories.csv")]


def indicators() -> list[IndicatorRow]:
    return [IndicatorRow(code=r["code"], name=r["name"], unit_family=r["unit_family"] or None,
                         parent=r["parent"] or None,
                         aliases=tuple(a.strip() for a in r["aliases"].split("|") if a.strip()))
            for r in _rows("indicators.csv")]


def _seed_territories(session) -> None:
    T, TA = schema.Territory, schema.TerritoryAlias
    rows = territories()
    by_kato = {t.kato: t for t in session.scalars(select(T))}
    for row in rows:
        if row.kato not in by_kato:
            by_kato[row.kato] = T(kato=row.kato, name=row.name, kind=row.kind)
            session.add(by_kato[row.kato])
    session.flush()
    have = {(a, t) for a, t in session.execute(select(TA.alias, TA.territory_id))}
    for row in rows:
        territory = by_kato[row.kato]
        if row.parent and territory.parent_id is None:
            territory.parent_id = by_kato[row.parent].id
        for alias in (AliasRow(row.name), *row.aliases):
            key = normalize_territory(alias.form)
            if key and (key, territory.id) not in have:
                session.add(TA(territory_id=territory.id, alias=key[:200],
                               valid_from=alias.valid_from, valid_to=alias.valid_to))
                have.add((key, territory.id))


def _seed_indicators(session) -> None:
    I, IA = schema.Indicator, schema.IndicatorAlias
    rows = indicators()
    by_code = {i.code: i for i in session.scalars(select(I))}
    for row in rows:
        if row.code not in by_code:
            by_code[row.code] = I(code=row.code, name=row.name, unit_family=row.unit_family)
            session.add(by_code[row.code])
    session.flush()
    have = {(a, i) for a, i in session.execute(select(IA.alias, IA.indicator_id))}
    for row in rows:
        indicator = by_code[row.code]
        if row.parent and indicator.parent_id is None:
            indicator.parent_id = by_code[row.parent].id
        for form in (row.name, *row.aliases):
            key = normalize_indicator(form)[:300]
            if key and (key, indicator.id) not in have:  # a phrase may name indicators of several units
                session.add(IA(indicator_id=indicator.id, alias=key))
                have.add((key, indicator.id))


def seed(engine: Engine) -> None:
    """Add the shipped territories, indicators and their aliases that the store lacks."""
    with transaction(engine) as session:
        _seed_territories(session)
        _seed_indicators(session)
    clear_cache(engine)

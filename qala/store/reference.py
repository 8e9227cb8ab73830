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
    measure_kind: str = "level"  # level | growth_rate | index | share
    additive: bool = True  # the parts' figures add up to the whole's


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
                         aliases=tuple(a.strip() for a in r["aliases"].split("|") if a.strip()),
                         measure_kind=r["measure_kind"], additive=r["additive"] == "yes")
            for r in _rows("indicators.csv")]


def _seed_tree(session, model, alias_model, owner: str, key: str, rows, new_row, alias_rows,
               max_alias: int) -> None:
    """Add the reference rows a store lacks, link each to its parent, then add its missing aliases.

    ``owner`` is the alias table's column pointing at the item; ``new_row(row)`` builds the model
    for a data row; ``alias_rows(row)`` yields (normalized form, extra alias columns). Existing rows
    and aliases are kept as they are, so seeding is idempotent.
    """
    found = {getattr(m, key): m for m in session.scalars(select(model))}
    for row in rows:
        if getattr(row, key) not in found:
            found[getattr(row, key)] = new_row(row)
            session.add(found[getattr(row, key)])
    session.flush()
    have = {(a, o) for a, o in session.execute(select(alias_model.alias, getattr(alias_model, owner)))}
    for row in rows:
        item = found[getattr(row, key)]
        if row.parent and item.parent_id is None:
            item.parent_id = found[row.parent].id
        for form, extra in alias_rows(row):
            form = form[:max_alias]
            if form and (form, item.id) not in have:  # one phrase may name several items (units differ)
                session.add(alias_model(alias=form, **{owner: item.id}, **extra))
                have.add((form, item.id))


def _seed_territories(session) -> None:
    _seed_tree(session, schema.Territory, schema.TerritoryAlias, "territory_id", "kato", territories(),
               lambda r: schema.Territory(kato=r.kato, name=r.name, kind=r.kind),
               lambda r: ((normalize_territory(a.form), {"valid_from": a.valid_from, "valid_to": a.valid_to})
                          for a in (AliasRow(r.name), *r.aliases)), 200)


def _seed_indicators(session) -> None:
    _seed_tree(session, schema.Indicator, schema.IndicatorAlias, "indicator_id", "code", indicators(),
               lambda r: schema.Indicator(code=r.code, name=r.name, unit_family=r.unit_family),
               lambda r: ((normalize_indicator(form), {}) for form in (r.name, *r.aliases)), 300)


def seed(engine: Engine) -> None:
    """Add the shipped territories, indicators and their aliases that the store lacks."""
    with transaction(engine) as session:
        _seed_territories(session)
        _seed_indicators(session)
    clear_cache(engine)

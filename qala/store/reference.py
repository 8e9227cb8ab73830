"""Reference data in the store: the territory gazetteer and the canonical indicators (``qala.reference``).

``seed(engine)`` puts them into territories / territory_aliases and indicators / indicator_aliases.
It is idempotent (adds what is missing, keeps what analysts added) and runs whenever ingest opens a
store, so a new alias in the CSV reaches existing databases too. Of the gazetteer (the whole KATO
classifier) the store gets the country, regions, districts, cities and the hand layer; ingest adds
a rural district or village with its aliases when a figure names it (``add_unit``). A shipped unit's name, kind and parent follow the data
(codes once written by hand are now the classifier's), and an alias the data now gives to another
shipped unit leaves the one that held it by mistake.
"""

from __future__ import annotations

from sqlalchemy import Engine, delete, insert, select, update

from qala.reference import (  # noqa: F401 - the store's names for the reference rows
    AliasRow,
    IndicatorRow,
    TerritoryRow,
    alias_key,
    indicator_key,
    indicators,
    parse_alias,
    store_territories,
    territories,
)
from qala.store import schema
from qala.store.bulk import insert_returning_ids, on_postgres
from qala.store.db import first_use_lock, transaction
from qala.store.resolve import clear_cache

MAX_TERRITORY_ALIAS = 200
MAX_INDICATOR_ALIAS = 300


def _insert(session, table, rows: list[dict]) -> None:
    """COPY on PostgreSQL, one executemany on SQLite: a multi-row VALUES of 16 000 units costs more
    to compile than to run, and row-by-row statements to a server cost a round trip each."""
    if not rows:
        return
    if on_postgres(session):
        columns = list(rows[0])
        raw = session.connection().connection.driver_connection
        with raw.cursor() as cursor, cursor.copy(
                f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[c] for c in columns])
        return
    session.execute(insert(table), rows)


def _read_territories(session) -> dict[str, tuple[int, str, str, int | None]]:
    T = schema.Territory
    return {kato: (tid, name, kind, parent) for tid, kato, name, kind, parent in
            session.execute(select(T.id, T.kato, T.name, T.kind, T.parent_id))}


def _seed_territories(session) -> None:
    T, TA = schema.Territory, schema.TerritoryAlias
    rows = store_territories()
    found = _read_territories(session)
    missing = [r for r in rows if r.kato not in found]
    while missing:  # a level at a time, so each row is written with its parent's id
        waiting = {m.kato for m in missing}
        ready = [r for r in missing if r.parent is None or r.parent in found or r.parent not in waiting]
        _insert(session, T.__table__, [{"kato": r.kato, "name": r.name[:200], "kind": r.kind,
                                        "parent_id": found[r.parent][0] if r.parent in found else None}
                                       for r in ready])
        found = _read_territories(session)
        missing = [r for r in missing if r.kato not in found]
    ids = {kato: v[0] for kato, v in found.items()}
    found_names = {v[0]: v[1] for v in found.values()}
    changes = []
    for r in rows:
        tid, name, kind, parent = found[r.kato]
        want_parent = ids.get(r.parent) if r.parent else None
        if (name, kind, parent) != (r.name[:200], r.kind, want_parent):
            changes.append({"id": tid, "name": r.name[:200], "kind": r.kind, "parent_id": want_parent})
    if changes:
        session.execute(update(T), changes)
    wanted: dict[tuple[str, int], dict] = {}
    for r in rows:
        tid = ids[r.kato]
        for a in r.aliases:
            form = alias_key(a)[:MAX_TERRITORY_ALIAS]
            if form and (form, tid) not in wanted:  # the first form of a key wins (the hand layer's)
                wanted[(form, tid)] = {"alias": form, "territory_id": tid,
                                       "valid_from": a.valid_from, "valid_to": a.valid_to}
    have = {(a, t): i for i, a, t in session.execute(select(TA.id, TA.alias, TA.territory_id))}
    # a unit the data renames had its code taken for another unit: the names the data gives to
    # other units leave it (an analyst's own alias, which the data gives to nobody, stays)
    renamed = {c["id"] for c in changes if c["name"] != found_names[c["id"]]}
    given = {form for form, _ in wanted}
    stale = [i for (form, tid), i in have.items()
             if tid in renamed and form in given and (form, tid) not in wanted]
    if stale:
        session.execute(delete(TA).where(TA.id.in_(stale)))
    _insert(session, TA.__table__, [v for k, v in wanted.items() if k not in have])


def _seed_indicators(session) -> None:
    I, IA = schema.Indicator, schema.IndicatorAlias
    rows = indicators()
    found = {code: (iid, parent) for iid, code, parent in session.execute(select(I.id, I.code, I.parent_id))}
    missing = [r for r in rows if r.code not in found]
    if missing:
        session.execute(insert(I), [{"code": r.code, "name": r.name, "unit_family": r.unit_family}
                                    for r in missing])
        found = {code: (iid, parent) for iid, code, parent in session.execute(select(I.id, I.code, I.parent_id))}
    parents = [{"id": found[r.code][0], "parent_id": found[r.parent][0]} for r in rows
               if r.parent and found[r.code][1] is None]
    if parents:
        session.execute(update(I), parents)
    have = {(a, i) for a, i in session.execute(select(IA.alias, IA.indicator_id))}
    new: dict[tuple[str, int], dict] = {}
    for r in rows:
        iid = found[r.code][0]
        for form in (r.name, *r.aliases):
            key = indicator_key(form)[:MAX_INDICATOR_ALIAS]
            # one phrase may name several indicators (their unit families differ)
            if key and (key, iid) not in have and (key, iid) not in new:
                new[(key, iid)] = {"alias": key, "indicator_id": iid}
    _insert(session, IA.__table__, list(new.values()))


def seed(engine: Engine) -> None:
    """Add the shipped territories, indicators and their aliases that the store lacks (one process
    at a time: two ingests into a new store would otherwise both insert the same rows)."""
    with first_use_lock(engine), transaction(engine) as session:
        _seed_territories(session)
        _seed_indicators(session)
    clear_cache(engine)


def add_unit(session, kato: str, ids: dict[str, int]) -> int | None:
    """The id of a gazetteer unit in the store, written with the units it lies in (and their
    aliases) when missing. ``ids`` maps the katos already known to ids and learns the new ones.
    The caller has opened its transaction block."""
    from qala.reference import lineage

    T, TA = schema.Territory, schema.TerritoryAlias
    parent: int | None = None
    tid: int | None = None
    for row in lineage(kato):
        tid = ids.get(row.kato) or session.scalar(select(T.id).where(T.kato == row.kato))
        if tid is None:
            tid = insert_returning_ids(session, T.__table__, [{"kato": row.kato, "name": row.name[:200],
                                                                "kind": row.kind, "parent_id": parent}])[0]
            keys = {alias_key(a)[:MAX_TERRITORY_ALIAS]: a for a in row.aliases}
            _insert(session, TA.__table__, [{"alias": k, "territory_id": tid, "valid_from": a.valid_from,
                                             "valid_to": a.valid_to} for k, a in keys.items() if k])
        ids[row.kato] = tid
        parent = tid
    return tid

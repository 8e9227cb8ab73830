"""A store made by the Alembic migrations has exactly the tables, columns, keys and indexes of
schema.py (SQLite and PostgreSQL): add a step (`make migration MESSAGE=...`) when this fails."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from qala.store.schema import Base


def test_the_migrated_store_equals_the_schema(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_organizations_carry_kind_and_territory(engine):
    columns = {c["name"]: c for c in inspect(engine).get_columns("organizations")}
    assert set(columns) == {"id", "name", "kind", "territory_id"}
    assert columns["territory_id"]["nullable"] and not columns["kind"]["nullable"]
    keys = inspect(engine).get_foreign_keys("organizations")
    assert [(k["constrained_columns"], k["referred_table"]) for k in keys] == [(["territory_id"], "territories")]


def test_a_store_made_by_the_first_migration_is_upgraded_with_its_rows(db_url):
    """A team's database built before organizations had a kind keeps its rows when opened now."""
    from alembic import command
    from sqlalchemy import text

    from qala.store.db import alembic_config, make_engine, open_store

    old = make_engine(db_url)
    command.upgrade(alembic_config(old), "0001")
    with old.begin() as conn:
        conn.execute(text("INSERT INTO organizations (id, name) VALUES (1, 'Министерство энергетики')"))
        conn.execute(text("INSERT INTO commitments (id, key, document_id, period_start, period_end, status, evidence) "
                          "VALUES (1, 'k', 1, '2024-01-01', '2024-12-31', 'no_data', '[]')"))
    old.dispose()
    engine = open_store(db_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT name, kind, territory_id FROM organizations")).all() == [
                ("Министерство энергетики", "other", None)]
            assert conn.execute(text("SELECT key, direction FROM commitments")).all() == [("k", "up")]
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_facts_stored_before_the_scope_get_it_from_their_clause(db_url):
    """Upgrading a store from 0005 fills the new scope: a plant's figure becomes the plant's, a
    region's stays the region's."""
    from alembic import command
    from sqlalchemy import text

    from qala.store.db import alembic_config, make_engine, open_store

    body = "Новый кирпичный завод даст 240 рабочих мест. В области создано 5 100 рабочих мест."
    plant, region = body.index("Новый"), body.index("В области")
    old = make_engine(db_url)
    command.upgrade(alembic_config(old), "0005")
    with old.begin() as conn:
        conn.execute(text("INSERT INTO documents (id, text, language, status, ingested_at) "
                          "VALUES (1, :t, 'ru', 'ok', CURRENT_TIMESTAMP)"), {"t": body})
        conn.execute(text("INSERT INTO facts (id, document_id, ordinal, value, unit, object, span_start, span_stop) "
                          "VALUES (1, 1, 0, 240, 'count', 'рабочее место', :a, :b), "
                          "(2, 1, 1, 5100, 'count', 'рабочее место', :c, :d)"),
                     {"a": plant, "b": region - 1, "c": region, "d": len(body)})
    old.dispose()
    engine = open_store(db_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT id, scope, scope_name FROM facts ORDER BY id")).all()
        assert [tuple(r) for r in rows] == [(1, "object", "завод"), (2, "territory", None)]
    finally:
        engine.dispose()

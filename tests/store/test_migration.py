"""A store made by the Alembic migrations has exactly the tables, columns, keys and indexes of
schema.py (SQLite and PostgreSQL): regenerate the migration (`make migration`) when this fails."""

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

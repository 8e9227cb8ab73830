"""The few SQL pieces that SQLite and PostgreSQL spell differently (date arithmetic, booleans)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from sqlalchemy import Connection, Engine


def name(bind: Engine | Connection) -> str:
    return bind.dialect.name


def year_of(expr: str, dialect: str) -> str:
    if dialect == "sqlite":
        return f"CAST(strftime('%Y', {expr}) AS INTEGER)"
    return f"CAST(EXTRACT(YEAR FROM {expr}) AS INTEGER)"


def month_day(expr: str, dialect: str) -> str:
    """A date's month and day as 'MMDD' text."""
    if dialect == "sqlite":
        return f"strftime('%m%d', {expr})"
    return f"to_char({expr}, 'MMDD')"


def start_back(expr: str, years: str, dialect: str) -> str:
    """A period's first day moved back by `years` whole years."""
    if dialect == "sqlite":
        return f"date({expr}, '-' || ({years}) || ' years')"
    return f"CAST({expr} - make_interval(years => {years}) AS DATE)"


def end_back(expr: str, years: str, dialect: str) -> str:
    """A period's last day moved back by `years` years, month ends kept (29 Feb -> 28 Feb)."""
    if dialect == "sqlite":
        return f"date({expr}, '+1 day', '-' || ({years}) || ' years', '-1 day')"
    return f"CAST(CAST({expr} + 1 - make_interval(years => {years}) AS DATE) - 1 AS DATE)"


def true(dialect: str) -> str:
    return "1" if dialect == "sqlite" else "TRUE"


@contextlib.contextmanager
def hash_joins(conn: Connection) -> Iterator[None]:
    """Within the block, PostgreSQL joins by hashing only. For a big table against a small or
    filtered one its planner otherwise sorts the big one for a merge join (to match an ORDER BY),
    or probes an index once per row, both many times slower here."""
    pg = conn.dialect.name == "postgresql"
    if pg:
        conn.exec_driver_sql("SET LOCAL enable_mergejoin = off")
        conn.exec_driver_sql("SET LOCAL enable_nestloop = off")
    try:
        yield
    finally:
        if pg:
            conn.exec_driver_sql("SET LOCAL enable_mergejoin = on")
            conn.exec_driver_sql("SET LOCAL enable_nestloop = on")

"""The few SQL pieces that SQLite and PostgreSQL spell differently (date arithmetic, booleans)."""

from __future__ import annotations

from sqlalchemy import Connection, Engine


def name(bind: Engine | Connection) -> str:
    return bind.dialect.name


def year_of(expr: str, dialect: str) -> str:
    if dialect == "sqlite":
        return f"CAST(strftime('%Y', {expr}) AS INTEGER)"
    return f"CAST(EXTRACT(YEAR FROM {expr}) AS INTEGER)"


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

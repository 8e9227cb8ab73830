"""The facts as monitoring sees them, staged once per rebuild in a temporary table.

Resolving the overlay, the document (publication date, near-duplicate group) and the change's base
period costs one pass over facts; every later step reads this plain table instead.
"""

from __future__ import annotations

from sqlalchemy import Column, Connection, Date, Float, Integer, MetaData, String, Table, text

from qala.monitor import dialect
from qala.monitor.review import effective_facts_sql

STAGE = "monitor_facts"
PLANS = "monitor_plans"  # this rebuild's commitments, before their statuses are decided


def _table() -> Table:
    return Table(
        STAGE, MetaData(),
        Column("fact_id", Integer, primary_key=True, autoincrement=False),
        Column("document_id", Integer), Column("canon_doc", Integer), Column("published", Date),
        Column("territory_id", Integer), Column("indicator_id", Integer), Column("unit", String(20)),
        Column("object", String(200)), Column("approx", String(10)), Column("period_start", Date),
        Column("period_end", Date), Column("granularity", String(10)), Column("value", Float),
        Column("change_kind", String(10)), Column("change_value", Float), Column("change_direction", String(5)),
        Column("base_years", Integer), Column("base_start", Date), Column("base_end", Date),
        Column("span_start", Integer), Column("span_stop", Integer), Column("plan", Integer),
        prefixes=["TEMPORARY"],
    )


def base_years_sql(d: str) -> str:
    """How many years back a change's base lies: the stated base year, else one."""
    return (f"(CASE WHEN e.change_base_period IS NOT NULL AND length(e.change_base_period) = 4 "
            f"THEN {dialect.year_of('e.period_start', d)} - CAST(e.change_base_period AS INTEGER) ELSE 1 END)")


def stage_facts(conn: Connection, *, verified_only: bool = False) -> int:
    """(Re)create the staged table from the effective facts that have a period. Facts without a
    canonical territory or indicator still become commitments; series and checks skip them."""
    d = dialect.name(conn)
    conn.execute(text(f"DROP TABLE IF EXISTS {STAGE}"))
    _table().create(conn)
    n = base_years_sql(d)
    has_change = "e.change_kind IS NOT NULL AND e.change_value IS NOT NULL"
    return conn.execute(text(
        f"INSERT INTO {STAGE} (fact_id, document_id, canon_doc, published, territory_id, indicator_id, unit, object, "
        "approx, period_start, period_end, granularity, value, change_kind, change_value, change_direction, "
        "base_years, base_start, base_end, span_start, span_stop, plan) "
        "SELECT e.fact_id, e.document_id, e.canon_doc, e.published, e.territory_id, e.indicator_id, e.unit, e.object, "
        "e.approx, e.period_start, e.period_end, e.granularity, e.value, e.change_kind, e.change_value, "
        f"e.change_direction, CASE WHEN {has_change} THEN {n} END, "
        f"CASE WHEN {has_change} AND {n} > 0 THEN {dialect.start_back('e.period_start', n, d)} END, "
        f"CASE WHEN {has_change} AND {n} > 0 THEN {dialect.end_back('e.period_end', n, d)} END, "
        "e.span_start, e.span_stop, 0 "
        f"FROM ({effective_facts_sql(d, verified_only=verified_only, plans='all')}) e "
        "WHERE e.period_start IS NOT NULL AND e.period_end IS NOT NULL")).rowcount


def mark_plans(conn: Connection) -> None:
    """Flag the staged facts that are tracked as commitments (targets are not outcomes)."""
    conn.execute(text(f"UPDATE {STAGE} SET plan = 1 WHERE fact_id IN (SELECT fact_id FROM {PLANS})"))
    conn.execute(text(f"ANALYZE {STAGE}"))
    conn.execute(text(f"ANALYZE {PLANS}"))


def drop_stage(conn: Connection) -> None:
    conn.execute(text(f"DROP TABLE IF EXISTS {STAGE}"))

"""Recompute series and checks over many facts, in SQLite and PostgreSQL, against one full scan.

    python benchmarks/monitor.py --facts 1000000 [--db sqlite|postgres|both]

Synthetic but shaped like the real thing: territories x indicators (some children of others) x
years, quarters and year-to-date months, each figure reported by several documents, a third with
a year-on-year change consistent with the year before, 1% announced plans, and a few planted
errors (contradictions, changes that do not fit, parts above their whole, thousandfold slips).

What is compared (the goal is recompute <= 3x the reference scan):
- recompute: ``recompute_all`` without the instruction steps (series, implied bases, all four
  checks, commitments and their statuses), best of two runs on the loaded store;
- reference scan: one pass that reads every row of the facts table with the columns the checks
  need (SCAN_COLUMNS: id, document_id, territory_id, indicator_id, unit, period_start,
  period_end, granularity, value, approx, object, change_kind, change_value, change_direction,
  change_base_period, span_start, span_stop) and fetches them into Python tuples (streamed on
  PostgreSQL), best of three;
- for context, the same columns aggregated server-side (no rows leave the database), best of
  three: the floor no recompute that writes tables can reach.
Both ratios are printed; the goal is stated against the reference (fetched) scan. The step
timings are each step's own work: derived tables are written on a writer thread meanwhile, and
``writes_left`` is what the writes took after the last step.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text

from qala.monitor.recompute import recompute_all
from qala.store.db import open_store, scratch_schema

FACT_COLUMNS = ("id", "document_id", "ordinal", "indicator_id", "territory_id", "period", "period_start",
                "period_end", "granularity", "value", "unit", "change_kind", "change_value", "change_direction",
                "span_start", "span_stop")
SCAN_COLUMNS = ("id", "document_id", "territory_id", "indicator_id", "unit", "period_start", "period_end",
                "granularity", "value", "approx", "object", "change_kind", "change_value", "change_direction",
                "change_base_period", "span_start", "span_stop")
REPORTS_PER_FIGURE = 4
FACTS_PER_DOCUMENT = 10


def _round(value: float, digits: int = 4) -> float:
    return float(f"{value:.{digits}g}")


def _periods(first_year: int, last_year: int):
    for year in range(first_year, last_year + 1):
        yield str(year), dt.date(year, 1, 1), dt.date(year, 12, 31), "year", year, 1.0
        for q in range(4):
            start, end_month = dt.date(year, 3 * q + 1, 1), 3 * q + 3
            end = (dt.date(year + (end_month == 12), end_month % 12 + 1, 1) - dt.timedelta(days=1))
            yield f"{year}-{3 * q + 1:02d}..{year}-{end_month:02d}", start, end, "quarter", year, 0.25
        for m in (2, 5, 8, 11):  # year to date
            end = dt.date(year, m + 1, 1) - dt.timedelta(days=1)
            yield f"{year}-01..{year}-{m:02d}", dt.date(year, 1, 1), end, "range", year, m / 12


def generate(n_facts: int, seed: int = 7):
    rng = random.Random(seed)
    n_ind = 50
    periods = list(_periods(2000, 2024))
    keys_needed = n_facts // REPORTS_PER_FIGURE + 1
    n_terr = max(1, min(500, keys_needed // (n_ind * len(periods)) + 1))
    territories = [(t + 1, f"{t + 1:09d}", f"Территория {t + 1}", "city") for t in range(n_terr)]
    indicators = [(i + 1, f"ind_{i + 1}", f"Показатель {i + 1}", (i if i % 5 else None)) for i in range(n_ind)]
    documents, facts = [], []
    doc_id, fact_id, ordinal = 0, 0, 0
    pending: list[tuple] = []

    def flush_doc(published: dt.date, plan: bool) -> None:
        nonlocal doc_id, ordinal
        doc_id += 1
        text_ = "Планируется ввести объекты." if plan else "Отчёт о показателях."
        documents.append((doc_id, text_, published))
        for ordinal, f in enumerate(pending):
            facts.append((f[0], doc_id, ordinal) + f[1:])
        pending.clear()

    for t in range(n_terr):
        for i in range(n_ind):
            base = rng.uniform(1e9, 1e12) if indicators[i][3] is None else None
            if base is None:  # a child: 30-70% of its parent
                base = level_of[(t, i - 1)] * rng.uniform(0.3, 0.7)
            level_of[(t, i)] = base
            growth = rng.uniform(1.02, 1.12) if indicators[i][3] is None else growth_of[(t, i - 1)]
            growth_of[(t, i)] = growth
            years = {}
            for label, start, end, gran, year, share in periods:
                if len(facts) + len(pending) >= n_facts:
                    break
                value = _round(base * growth ** (year - 2000) * share)
                years[(start.month, end.month, year)] = value
                prior = years.get((start.month, end.month, year - 1))
                reports = rng.randint(1, 2 * REPORTS_PER_FIGURE - 1)
                for _ in range(reports):
                    fact_id += 1
                    v = value
                    change = (None, None, None)
                    if prior and rng.random() < 0.33:
                        change = ("percent", round(abs(value / prior - 1) * 100, 1), "up" if value >= prior else "down")
                    roll = rng.random()
                    if roll < 0.001:
                        v = _round(value * 1.3)            # a contradiction
                    elif roll < 0.0015:
                        v = value * 1000                   # млрд written as трлн
                    elif roll < 0.0025 and change[0]:
                        change = ("percent", change[1] + 9.0, change[2])   # a rate that does not fit
                    published = end + dt.timedelta(days=rng.randint(10, 60))
                    plan = rng.random() < 0.01
                    if plan:
                        published = start - dt.timedelta(days=rng.randint(20, 200))
                    pending.append((fact_id, i + 1, t + 1, label, start, end, gran, v, "KZT") + change + (0, 40))
                    if len(pending) >= FACTS_PER_DOCUMENT or plan:
                        flush_doc(published, plan)
    if pending:
        flush_doc(dt.date(2025, 1, 1), False)
    return territories, indicators, documents, facts


level_of: dict[tuple[int, int], float] = {}
growth_of: dict[tuple[int, int], float] = {}


def load(engine, data) -> None:
    territories, indicators, documents, facts = data
    if engine.dialect.name == "postgresql":
        raw = engine.raw_connection()
        try:
            cur = raw.cursor()
            for table, cols, rows in (
                ("territories", ("id", "kato", "name", "kind"), territories),
                ("indicators", ("id", "code", "name", "parent_id"), indicators),
                ("documents", ("id", "text", "published", "language", "status", "ingested_at"),
                 [d + ("ru", "ok", dt.datetime.now(dt.UTC)) for d in documents]),
                ("facts", FACT_COLUMNS, facts),
            ):
                with cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            raw.commit()
        finally:
            raw.close()
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE facts"))
            conn.execute(text("VACUUM ANALYZE documents"))
        return
    with engine.begin() as conn:
        dbapi = conn.connection.driver_connection
        dbapi.executemany("INSERT INTO territories (id, kato, name, kind) VALUES (?, ?, ?, ?)", territories)
        dbapi.executemany("INSERT INTO indicators (id, code, name, parent_id) VALUES (?, ?, ?, ?)", indicators)
        dbapi.executemany("INSERT INTO documents (id, text, published, language, status, ingested_at) "
                          "VALUES (?, ?, ?, 'ru', 'ok', CURRENT_TIMESTAMP)",
                          [(d[0], d[1], d[2].isoformat()) for d in documents])
        dbapi.executemany(f"INSERT INTO facts ({', '.join(FACT_COLUMNS)}) VALUES ({', '.join('?' * len(FACT_COLUMNS))})",
                          [f[:6] + (f[6].isoformat(), f[7].isoformat()) + f[8:] for f in facts])
        conn.exec_driver_sql("ANALYZE")


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def scan_server(engine) -> None:
    """The reference columns read and aggregated inside the database."""
    with engine.connect() as conn:
        conn.execute(text("SELECT COUNT(*), SUM(document_id), SUM(territory_id), SUM(indicator_id), MAX(unit), "
                          "MAX(period_start), MAX(period_end), MAX(granularity), SUM(value), MAX(approx), "
                          "MAX(object), MAX(change_kind), SUM(change_value), MAX(change_direction), "
                          "MAX(change_base_period), SUM(span_start), SUM(span_stop) FROM facts")).all()


def scan_client(engine) -> int:
    """The reference scan: every fact row with the columns the checks need, fetched into Python."""
    n = 0
    with engine.connect() as conn:
        for _ in conn.execution_options(stream_results=True, yield_per=50_000).execute(
                text(f"SELECT {', '.join(SCAN_COLUMNS)} FROM facts")):
            n += 1
    return n


def run(name: str, url: str, data, cleanup) -> None:
    engine = open_store(url)
    try:
        t_load = timed(lambda: load(engine, data))
        scan_server(engine)  # warm the cache
        server = min(timed(lambda: scan_server(engine)) for _ in range(3))
        client = min(timed(lambda: scan_client(engine)) for _ in range(3))
        result = {}

        def go() -> None:
            result.update(recompute_all(engine, instructions=False, today=dt.date(2025, 6, 1)))
        first = timed(go)
        second = timed(go)
        best = min(first, second)
        n = len(data[3])
        print(f"{name}: {n:,} facts, {len(data[2]):,} documents (loaded in {t_load:.1f} s)")
        print(f"{name}: recompute all series and checks: {first:.2f} s first run, {second:.2f} s second run "
              f"(steps of the second: {result['timings']})")
        print(f"{name}: reference scan (every fact row, {len(SCAN_COLUMNS)} columns, fetched into Python): "
              f"{client:.2f} s; same columns aggregated server-side: {server:.2f} s")
        print(f"{name}: ratio recompute/reference scan: {best / client:.2f}x  [goal <= 3x]; "
              f"recompute/server-side aggregate: {best / server:.1f}x")
        print(f"{name}: found series_points={result['series_points']:,} implied={result['implied_points']:,} "
              f"checks={result['checks']} commitments={result['commitments']:,}")
    finally:
        engine.dispose()
        cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=1_000_000)
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--postgres-url", default=os.environ.get("QALA_TEST_POSTGRES_URL",
                                                                 "postgresql://postgres@127.0.0.1:5432/test"))
    args = parser.parse_args()
    t = time.perf_counter()
    data = generate(args.facts)
    print(f"generated {len(data[3]):,} facts in {time.perf_counter() - t:.1f} s")
    if args.db in ("sqlite", "both"):
        tmp = tempfile.TemporaryDirectory()
        run("sqlite", f"sqlite:///{tmp.name}/bench.sqlite3", data, tmp.cleanup)
    if args.db in ("postgres", "both"):
        url, drop = scratch_schema(args.postgres_url, "qbench")
        run("postgres", url, data, drop)


if __name__ == "__main__":
    main()

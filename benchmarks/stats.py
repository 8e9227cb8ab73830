"""Import 1,000,000 official rows into PostgreSQL and SQLite, against a plain write of the same rows.

    python benchmarks/stats.py --rows 1000000 [--db sqlite|postgres|both]

The table is a tidy CSV written for the benchmark: every territory name of the gazetteer that
names one place (regions and cities in their official spellings, towns and districts in Kazakh),
indicator lines of the catalogue with a breakdown (occupation groups of the average wage), years
and quarters; values with a decimal comma as the Bureau writes them.

What is compared (goal: import <= 2x the reference):
- import: ``import_file`` on an empty store, everything included: reading and parsing the CSV,
  matching each row (territory, indicator, period, unit, value), duplicate detection, and the
  write (COPY on PostgreSQL, executemany on SQLite), in one transaction;
- reference: the same rows, already matched, written the plain way into the same empty table:
  one COPY of them on PostgreSQL, one executemany of them on SQLite (``write_values``).
Both best of --repeat runs (two by default); rows/s and the ratio are printed per database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text

from qala.stats.importer import VALUE_COLUMNS, import_file, write_values
from qala.stats.names import gazetteer
from qala.store.db import open_store, scratch_schema

GROUPS = 40  # breakdowns of the indicator: enough series for a million rows


def _names() -> list[str]:
    """One spelling per place that names it on its own (no table context needed): the classifier's
    name, or else a Kazakh form of it."""
    g = gazetteer()
    forms: dict[str, list[str]] = {}
    for name in (*(p.name for p in g.places.values()), "Семей қ.ә.", "Ақсуат ауданы", "Ойыл ауданы", "Г.АСТАНА"):
        match = g.match(name).place
        if match is not None:
            forms.setdefault(match.code, []).append(name)
    return [names[-1] for _, names in sorted(forms.items())]


def write_table(path: Path, rows: int) -> int:
    names = _names()
    periods = [str(y) for y in range(1990, 2024)] + [f"{y}-Q{q}" for y in range(1990, 2024) for q in range(1, 5)]
    n = 0
    with path.open("w", encoding="utf-8") as f:
        f.write("indicator,territory,period,value,unit\n")
        for group in range(GROUPS):
            indicator = f"Среднемесячная номинальная заработная плата по группам занятий: группа {group + 1}"
            for k, name in enumerate(names):
                for j, period in enumerate(periods):
                    value = f"{100000 + 37 * k + 11 * j + group},{j % 10}"
                    f.write(f'{indicator},{name},{period},"{value}",тенге\n')
                    n += 1
                    if n >= rows:
                        return n
    return n


def _empty(engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM official_values"))
        conn.execute(text("DELETE FROM official_imports"))


def _prepared(engine, rows: int) -> list[tuple]:
    """The rows as the import stored them (for the reference write)."""
    with engine.connect() as conn:
        got = conn.execute(text(f"SELECT {', '.join(VALUE_COLUMNS)} FROM official_values ORDER BY id")).all()
    assert len(got) == rows, (len(got), rows)
    return [tuple(dt.date.fromisoformat(v) if isinstance(v, str) and len(v) == 10 and v[4] == "-" else v
                  for v in r) for r in got]


def measure(url: str, table: Path, rows: int, repeat: int = 2) -> tuple[float, float]:
    engine = open_store(url)
    best_import = best_ref = float("inf")
    prepared: list[tuple] | None = None
    for attempt in range(repeat):
        _empty(engine)
        t = time.perf_counter()
        report = import_file(engine, table, vintage=dt.date(2024, 6, 1 + attempt), max_bytes=None)
        best_import = min(best_import, time.perf_counter() - t)
        assert report.error is None and report.added == rows, (report.error, report.added, report.unmatched[:3])
        if prepared is None:
            prepared = _prepared(engine, rows)
            import_id = prepared[0][0]
        _empty(engine)
        with engine.begin() as conn:  # the import row the values point at
            conn.execute(text("INSERT INTO official_imports (id, source, vintage, file_name, sha256, shape, imported_at, "
                              "rows_read, rows_added, rows_unchanged, rows_unmatched, unmatched) VALUES "
                              "(:i, 's', '2024-06-01', 'f', 'x', 'tidy', CURRENT_TIMESTAMP, 0, 0, 0, 0, '[]')"),
                         {"i": import_id})
        t = time.perf_counter()
        with engine.begin() as conn:
            write_values(conn, prepared)
        best_ref = min(best_ref, time.perf_counter() - t)
    engine.dispose()
    return best_import, best_ref


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each; the best counts")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        table = Path(tmp) / "official.csv"
        t = time.perf_counter()
        rows = write_table(table, args.rows)
        print(f"table: {rows} rows, {table.stat().st_size / 2**20:.1f} MB, written in {time.perf_counter() - t:.1f} s")
        targets = []
        if args.db in ("sqlite", "both"):
            targets.append(("SQLite", f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", None))
        if args.db in ("postgres", "both"):
            base = os.environ.get("QALA_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
            url, drop = scratch_schema(base, "qbench")
            targets.append(("PostgreSQL", url, drop))
        for label, url, drop in targets:
            try:
                imported, reference = measure(url, table, rows, args.repeat)
            finally:
                if drop:
                    drop()
            plain = "COPY" if label == "PostgreSQL" else "executemany"
            print(f"{label}: import {imported:.2f} s ({rows / imported:,.0f} rows/s); plain {plain} of the same rows "
                  f"{reference:.2f} s ({rows / reference:,.0f} rows/s); ratio {imported / reference:.2f}x (goal <= 2)")


if __name__ == "__main__":
    main()

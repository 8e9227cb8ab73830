"""`qala stats import`: official tables into the store (qala.stats), with a report of every row
that was not matched and why."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from qala.cli.common import errors_as_one_line
from qala.errors import InvalidInput

DbOption = Annotated[str | None, typer.Option("--db", help="Database URL; default $QALA_DATABASE_URL or the "
                                                          "SQLite file in $QALA_HOME.")]


def print_report(reports, *, show: int = 20, out=None) -> None:
    out = out or sys.stdout
    for r in reports:
        if r.error:
            out.write(f"{r.path}: not imported: {r.error}\n")
            continue
        if r.already is not None:
            out.write(f"{r.path}: already imported (import {r.already}), nothing added\n")
            continue
        out.write(f"{r.path}: {r.shape}, {r.rows_read} rows, matched {r.matched} ({100 * r.share:.1f}%), "
                  f"added {r.added}, unchanged {r.unchanged}, duplicates {len(r.duplicates)}, "
                  f"not imported {len(r.unmatched)}\n")
        for kind, n in r.reasons():
            out.write(f"  {n:6d} x {kind}\n")
        for row, reason in r.unmatched[:show]:
            out.write(f"  row {row}: {reason}\n")
        if len(r.unmatched) > show:
            out.write(f"  ... {len(r.unmatched) - show} more (--show-all lists them)\n")


def register(app: typer.Typer) -> None:
    stats = typer.Typer(help="Official statistics: import the Bureau's tables (tidy, wide or Taldau JSON).\n\n"
                             "Example:\n\n    qala stats import unemployment_rate.csv --vintage 2024-02-15",
                        no_args_is_help=True)
    app.add_typer(stats, name="stats")

    @stats.command("import")
    def import_cmd(
        paths: Annotated[list[Path], typer.Argument(help="CSV, XLSX or Taldau JSON files, or folders of them.")],
        source: Annotated[str | None, typer.Option(help="Who published the table (default: the Bureau).")] = None,
        vintage: Annotated[str | None, typer.Option(help="Release date of these values (ISO), default today; "
                                                         "a later vintage with revised values keeps the old "
                                                         "ones as history.")] = None,
        indicator: Annotated[str | None, typer.Option(help="Indicator name for wide tables and Taldau "
                                                           "answers that do not name it.")] = None,
        unit: Annotated[str | None, typer.Option(help="Unit for tables that do not give one.")] = None,
        max_mb: Annotated[float, typer.Option(help="Largest file read, in MB.")] = 32.0,
        show_all: Annotated[bool, typer.Option("--show-all", help="List every row not imported.")] = False,
        as_json: Annotated[bool, typer.Option("--json", help="One JSON report per file.")] = False,
        db: DbOption = None,
    ) -> None:
        """Import official tables (tidy, wide or Taldau JSON). Territories are matched to KATO,
        indicators to the catalogue, periods to year / quarter / from the start of the year / a date;
        rows that cannot be matched are listed with the reason and not imported.

        Example:

            qala stats import unemployment_rate.csv --vintage 2024-02-15
        """
        from qala.cli.store import open_db
        from qala.stats.importer import import_paths

        with errors_as_one_line():
            try:
                day = dt.date.fromisoformat(vintage) if vintage else None
            except ValueError:
                raise InvalidInput(f"expected --vintage as an ISO date like 2024-02-15, got {vintage!r}") from None
            missing = [str(p) for p in paths if not p.exists()]
            if missing:
                raise InvalidInput(f"no such file: {missing[0]}")
            engine = open_db(db)
            reports = import_paths(engine, paths, source=source, vintage=day, indicator=indicator, unit=unit,
                                   max_bytes=int(max_mb * 2**20))
        if as_json:
            for r in reports:
                sys.stdout.write(json.dumps(r.as_dict(), ensure_ascii=False) + "\n")
        else:
            print_report(reports, show=10**9 if show_all else 20)
        if reports and all(r.error for r in reports):
            raise typer.Exit(1)

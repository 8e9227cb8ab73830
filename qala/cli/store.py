"""`qala ingest`, `qala facts`, `qala persons`, `qala instructions`, `qala export`: thin over qala.store."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from qala.cli.common import errors_as_one_line
from qala.cli.tables import Col, WideOption, show
from qala.errors import InvalidInput, StoreError
from qala.format import change
from qala.web.strings import STATUS

DbOption = Annotated[str | None, typer.Option(
    "--db", help="Database URL; default $QALA_DATABASE_URL, else the SQLite file qala.sqlite3 in "
                 "$QALA_HOME (default ~/.local/share/qala).")]
LimitOption = Annotated[int, typer.Option(help="At most this many rows.")]
JsonOption = Annotated[bool, typer.Option("--json", help="One JSON object per line instead of a table.")]
FACT_COLUMNS = [Col("Indicator"), Col("Territory"), Col("Period", whole=True), Col("Value", whole=True, right=True),
                Col("Change", essential=False, whole=True), Col("Doc", whole=True, right=True)]


def figure(value: float | None, unit: str | None, approx: str | None, obj: str | None) -> str:
    """A figure as the pages write it: "1,05 трлн тенге", "34 проекта"."""
    from qala.format import agreed
    from qala.format import value as written

    return " ".join(part for part in (written(value, unit, approx), agreed(obj, value)) if part)


class ExportFormat(str, Enum):
    csv = "csv"
    parquet = "parquet"
    xlsx = "xlsx"
    jsonl = "jsonl"


def open_db(url: str | None):
    """The store at URL (or the configured one), migrated; any failure is one StoreError line."""
    from sqlalchemy.exc import SQLAlchemyError

    from qala.config import Settings, check_database_url
    from qala.store.db import open_store

    url = check_database_url(url) if url else Settings.from_env().database_url
    try:
        return open_store(url)
    except (OSError, SQLAlchemyError) as e:
        raise StoreError(f"cannot open the database at {url}: {str(e).splitlines()[0]}") from None


def _json_default(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _print_jsonl(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        sys.stdout.write(json.dumps(row, ensure_ascii=False, default=_json_default) + "\n")


def _ingest(paths: list[str], db: str | None, workers: int, scheduler: str | None, quiet: bool) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from qala.ingest import count_items, ingest_paths

    err = Console(stderr=True)
    with errors_as_one_line():
        engine = open_db(db)
        total = count_items(paths)
        with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                      MofNCompleteColumn(), TimeRemainingColumn(), console=err,
                      disable=quiet or not err.is_terminal) as progress:
            task = progress.add_task("ingest", total=total)

            def on_result(result) -> None:
                progress.advance(task)
                if result.status == "failed":
                    message = result.error or "failed"
                    if not message.startswith(result.label):
                        message = f"{result.label}: {message}"
                    progress.console.print(f"Error: {message}", markup=False, highlight=False, soft_wrap=True)

            summary = ingest_paths(engine, paths, workers=workers, scheduler=scheduler, on_result=on_result)
        if summary.ingested:  # the derived tables, at the end of the command (a server reads them)
            from qala.monitor.recompute import rebuild_after_command

            rebuild_after_command(engine)
        engine.dispose()
    unread = f", not read yet (not Russian): {summary.unread}" if summary.unread else ""
    print(f"ingested: {summary.ingested}{unread}, duplicates: {summary.duplicates}, failed: {summary.failed}")
    if summary.failed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    @app.command("ingest")
    def ingest_cmd(
        paths: Annotated[list[str], typer.Argument(help="Files (.txt, .html, .jsonl) and folders (recursive).")],
        db: DbOption = None,
        workers: Annotated[int, typer.Option(help="Extract in this many worker processes.")] = 1,
        scheduler: Annotated[str | None, typer.Option(
            help="Extract on a Dask cluster: its scheduler address, e.g. tcp://10.0.0.5:8786.")] = None,
        quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    ) -> None:
        """Read documents, extract what they say and keep it, once each (duplicates are linked).

        JSON Lines records are {"text", "url", "published", "source", "title"}; only text is required.
        Prints "ingested: N, duplicates: N, failed: N"; exits 1 if any document failed
        (each failure is one line on stderr, and the others are still ingested).

        Example:

            qala ingest releases/ feed.jsonl --workers 2
        """
        _ingest(paths, db, workers, scheduler, quiet)

    @app.command("facts")
    def facts_cmd(
        territory: Annotated[str | None, typer.Option(help="KATO code or name, e.g. 750000000 or Алматы.")] = None,
        indicator: Annotated[str | None, typer.Option(help="Code or phrase, e.g. industrial_output.")] = None,
        period: Annotated[str | None, typer.Option(help="Only facts within it: 2020, 2021-2024, 2021-01..2021-06.")] = None,
        limit: LimitOption = 50,
        as_extracted: Annotated[bool, typer.Option("--as-extracted", help="Every figure as extracted, rejected "
                                                   "ones included (default: as analysts reviewed them).")] = False,
        as_json: JsonOption = False,
        wide: WideOption = False,
        db: DbOption = None,
    ) -> None:
        """List stored figures with their indicator, territory, period and source.

        Example:

            qala facts --territory Алматы --indicator industrial_output --period 2020
        """
        from qala.store.queries import list_facts

        with errors_as_one_line():
            rows = list_facts(open_db(db), territory=territory, indicator=indicator, period=period,
                              reviewed=not as_extracted, limit=limit)
        if as_json:
            return _print_jsonl(rows)
        show("Figures", FACT_COLUMNS, ([r["indicator"] or r["indicator_text"], r["territory"] or r["territory_text"],
                                        r["period"], figure(r["value"], r["unit"], r["approx"], r["object"]),
                                        change(r["change_kind"], r["change_value"], r["change_direction"]),
                                        r["document_id"]] for r in rows), wide=wide)

    @app.command("persons")
    def persons_cmd(
        name: Annotated[str | None, typer.Option(help="Only names containing this.")] = None,
        limit: LimitOption = 100,
        as_json: JsonOption = False,
        wide: WideOption = False,
        db: DbOption = None,
    ) -> None:
        """List officials named in the documents, with their latest post and the name forms seen.

        Example:

            qala persons --name Мамин
        """
        from qala.store.queries import list_persons

        with errors_as_one_line():
            rows = list_persons(open_db(db), name=name, limit=limit)
        if as_json:
            return _print_jsonl(rows)
        show("Persons", [Col("Person"), Col("Latest post"), Col("Organization", essential=False),
                         Col("Forms", essential=False), Col("Docs", whole=True, right=True)],
             ([r["full_name"], (r["posts"][0] if r["posts"] else {}).get("title"),
               (r["posts"][0] if r["posts"] else {}).get("organization"), "; ".join(r["forms"]), r["documents"]]
              for r in rows), wide=wide)

    @app.command("instructions")
    def instructions_cmd(
        status: Annotated[str | None, typer.Option(help="new, in_progress or done.")] = None,
        issuer: Annotated[str | None, typer.Option(help="Only issuers whose name contains this.")] = None,
        limit: LimitOption = 100,
        as_json: JsonOption = False,
        wide: WideOption = False,
        db: DbOption = None,
    ) -> None:
        """List instructions officials gave, with issuer, deadline and status.

        Example:

            qala instructions --status new --issuer Мамин
        """
        from qala.store.queries import list_instructions

        with errors_as_one_line():
            rows = list_instructions(open_db(db), status=status, issuer=issuer, limit=limit)
        if as_json:
            return _print_jsonl(rows)
        show("Instructions", [Col("Issuer", essential=False), Col("Instruction"), Col("Deadline", whole=True),
                              Col("Status", whole=True), Col("Doc", whole=True, right=True)],
             ([r["issuer"], r["text"], r["deadline_text"], STATUS.get(r["status"], r["status"]), r["document_id"]]
              for r in rows), wide=wide)

    documents = typer.Typer(help="Stored documents: correct what is known about them.\n\nExample:\n\n"
                                 "    qala documents set 12 --published 2024-10-03 --title \"Итоги 9 месяцев\"",
                            no_args_is_help=True)
    app.add_typer(documents, name="documents")

    @documents.command("set")
    def documents_set_cmd(
        document_id: Annotated[int, typer.Argument(help="The document's id (qala facts --json shows it).")],
        published: Annotated[str | None, typer.Option(help="Publication date, 2024-10-03 or 2024-10.")] = None,
        title: Annotated[str | None, typer.Option(help="Title.")] = None,
        source: Annotated[str | None, typer.Option(help="Publisher.")] = None,
        url: Annotated[str | None, typer.Option(help="Link to the original (http or https).")] = None,
        user: Annotated[str, typer.Option(help="Who corrects it, for the audit trail.")] = "cli",
        db: DbOption = None,
    ) -> None:
        """Set a document's date, title, source or link; a new date re-reads the periods of its
        figures and the deadlines of its instructions. Every change is kept in the audit trail.

        Example:

            qala documents set 12 --published 2024-10-03 --source akorda.kz
        """
        from qala.store.documents import set_metadata

        with errors_as_one_line():
            if not any((published, title, source, url)):
                raise InvalidInput("expected at least one of --published, --title, --source, --url")
            changes = set_metadata(open_db(db), document_id, user=user, published=published, title=title,
                                   source=source, url=url)
        for c in changes:
            print(f"{c.field}: {c.before or '—'} -> {c.after}")
        if not changes:
            print("nothing changed")

    @app.command("export")
    def export_cmd(
        fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="csv, parquet, xlsx or jsonl.")] = ExportFormat.csv,
        output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write; default stdout.")] = None,
        territory: Annotated[str | None, typer.Option(help="KATO code or name.")] = None,
        indicator: Annotated[str | None, typer.Option(help="Indicator code or phrase.")] = None,
        period: Annotated[str | None, typer.Option(help="Only facts within this period.")] = None,
        excel: Annotated[bool, typer.Option(
            "--excel", help="CSV for a spreadsheet set to Russian: BOM, ';', decimal commas, Russian headers.",
        )] = False,
        official: Annotated[bool, typer.Option("--official", help="Add the official values (source_kind "
                                                                   "official) under the same filters.")] = False,
        db: DbOption = None,
    ) -> None:
        """Export the stored figures with their provenance (source sentence and link) as a table
        (Parquet and Excel are binary; Excel has Russian headers, a frozen header row and filters).

        Example:

            qala export --format xlsx -o facts.xlsx --territory Алматы
        """
        from qala.store.export import export_facts

        with errors_as_one_line():
            engine = open_db(db)
            out = output if output else sys.stdout.buffer
            try:
                n = export_facts(engine, fmt.value, out, official=official, territory=territory, indicator=indicator,
                                 period=period, excel=excel)
            except OSError as e:
                raise InvalidInput(f"cannot write {output}: {e.strerror or e}") from None
        if output:
            print(f"{n} facts written to {output}", file=sys.stderr)

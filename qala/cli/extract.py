"""`qala extract` and `qala evaluate` (interfaces others rely on)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from qala.cli.common import errors_as_one_line, warn
from qala.cli.tables import Col, WideOption, show
from qala.config import Settings
from qala.errors import QalaError
from qala.model import Extraction


class OutputFormat(str, Enum):
    json = "json"
    jsonl = "jsonl"
    table = "table"


def _read(path: str, max_bytes: int):
    from qala.text import read_bytes, read_path

    if path == "-":
        return read_bytes(sys.stdin.buffer.read(max_bytes + 1), path="<stdin>", max_bytes=max_bytes)
    return read_path(path, max_bytes=max_bytes)


def extract_paths(paths: list[str], *, published: str | None = None, source: str | None = None,
                  max_bytes: int) -> Iterator[tuple[str, Extraction | QalaError]]:
    """Extract every path in one process (the models load once); a bad file yields its error."""
    from qala.extractor import extract

    for path in paths:
        try:
            raw = _read(path, max_bytes)
            yield path, extract(raw.text, published, source=source, title=raw.title,
                                path=None if path == "-" else path)
        except QalaError as e:
            yield path, e


def print_table(extraction: Extraction, console: Console, *, wide: bool = False) -> None:
    from qala.cli.store import FACT_COLUMNS, figure
    from qala.format import change

    doc = extraction.document
    console.print(f"[bold]{doc.path or ''}[/bold]  source={doc.source}  published={doc.published}")
    show("Persons", [Col("Person"), Col("Posts")], ([p.name, "; ".join(p.positions)] for p in extraction.persons),
         wide=wide, console=console)
    show("Figures", FACT_COLUMNS[:-1], ([f.indicator, f.territory, f.period, figure(f.value, f.unit, f.approx, f.object),
                                         change(f.change.kind, f.change.value, f.change.direction) if f.change else ""]
                                        for f in extraction.facts), wide=wide, console=console)
    if extraction.instructions:
        show("Instructions", [Col("Issuer", essential=False), Col("Instruction"), Col("Addressee", essential=False),
                              Col("Deadline", whole=True)],
             ([i.issuer, i.text, i.addressee, i.deadline] for i in extraction.instructions), wide=wide, console=console)
    if extraction.programs:
        show("Programs and plans", [Col("Name"), Col("Kind", whole=True), Col("Period", whole=True)],
             ([p.name, p.kind, p.period] for p in extraction.programs), wide=wide, console=console)
    if extraction.events:
        show("Events", [Col("Kind", whole=True), Col("Title"), Col("Date", whole=True), Col("Place", essential=False),
                        Col("Chair", essential=False)],
             ([e.kind, e.title, e.date, e.place, e.chair] for e in extraction.events), wide=wide, console=console)


def register(app: typer.Typer) -> None:
    @app.command("extract")
    def extract_cmd(
        paths: Annotated[list[str], typer.Argument(help="Text or HTML files; '-' reads stdin.")],
        as_json: Annotated[bool, typer.Option("--json", help="One JSON object (default for one file).")] = False,
        as_jsonl: Annotated[bool, typer.Option("--jsonl", help="One JSON object per line per file.")] = False,
        as_table: Annotated[bool, typer.Option("--table", help="Readable tables.")] = False,
        wide: WideOption = False,
        published: Annotated[str | None, typer.Option(help="Publication date, ISO (2021-02-04).")] = None,
        source: Annotated[str | None, typer.Option(help="Publisher name, e.g. primeminister.kz.")] = None,
    ) -> None:
        """Extract persons, figures, instructions, programs and events as qala.extraction/1.

        Example:

            qala extract release.txt --json --published 2021-02-04
        """
        if sum([as_json, as_jsonl, as_table]) > 1:
            raise typer.BadParameter("choose one of --json, --jsonl, --table")
        fmt = OutputFormat.table if as_table else OutputFormat.jsonl if as_jsonl else OutputFormat.json
        if fmt is OutputFormat.json and len(paths) > 1:
            fmt = OutputFormat.jsonl
        with errors_as_one_line():
            if published:
                from qala.text import parse_published

                published = parse_published(published)
            max_bytes = Settings.from_env().max_document_bytes
        console = Console()
        failed = 0
        for path, result in extract_paths(paths, published=published, source=source, max_bytes=max_bytes):
            if isinstance(result, QalaError):
                failed += 1
                warn(str(result) if path in str(result) else f"{path}: {result}")
                continue
            if fmt is OutputFormat.table:
                print_table(result, console, wide=wide)
            elif fmt is OutputFormat.jsonl:
                sys.stdout.write(result.dumps() + "\n")
            else:
                sys.stdout.write(result.dumps(indent=2) + "\n")
        if failed:
            raise typer.Exit(1)

    @app.command("evaluate")
    def evaluate_cmd(
        gold_dir: Annotated[Path, typer.Argument(help="A folder of NAME.txt with NAME.gold.json answers.")],
        verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List each miss and spurious item.")] = False,
        split: Annotated[str, typer.Option(
            "--split", help="all, tune (the texts rules are tuned on) or validation (a fixed fifth held out).",
        )] = "all",
    ) -> None:
        """Score the extractor against hand-made answers: precision, recall, F1, posts and periods.

        Example:

            qala evaluate ../shared/corpus/dev --split validation
        """
        from qala.evaluate import evaluate_dir

        with errors_as_one_line():
            report = evaluate_dir(gold_dir, split=split)
        if verbose:
            for line in report.details:
                print(line)
            print()
        for line in report.lines():
            print(line)

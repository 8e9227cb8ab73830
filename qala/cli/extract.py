"""`qala extract` and `qala evaluate` (interfaces others rely on)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from qala.cli.common import errors_as_one_line, warn
from qala.config import Settings
from qala.errors import QalaError
from qala.format import plain_number
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


def print_table(extraction: Extraction, console: Console) -> None:
    doc = extraction.document
    console.print(f"[bold]{doc.path or ''}[/bold]  source={doc.source}  published={doc.published}")
    persons = Table("Person", "Posts", title="Persons")
    for p in extraction.persons:
        persons.add_row(p.name, "; ".join(p.positions))
    console.print(persons)
    facts = Table("Indicator", "Territory", "Period", "Value", "Unit", "Change", title="Figures")
    for f in extraction.facts:
        value = plain_number(f.value)
        if f.approx:
            value = {"over": "> ", "about": "~ ", "under": "< "}.get(f.approx, "") + value
        unit = f.unit or ""
        if f.object:
            unit += f" ({f.object})"
        change = ""
        if f.change:
            arrow = {"up": "+", "down": "-"}.get(f.change.direction or "", "")
            change = f"{arrow}{f.change.value:g} {f.change.kind}"
            if f.change.base_period:
                change += f" vs {f.change.base_period}"
        facts.add_row(f.indicator or "", f.territory or "", f.period or "", value, unit, change)
    console.print(facts)
    if extraction.instructions:
        instr = Table("Issuer", "Instruction", "Addressee", "Deadline", title="Instructions")
        for i in extraction.instructions:
            instr.add_row(i.issuer or "", i.text, i.addressee or "", i.deadline or "")
        console.print(instr)
    if extraction.programs:
        programs = Table("Name", "Kind", "Period", title="Programs and plans")
        for p in extraction.programs:
            programs.add_row(p.name, p.kind or "", p.period or "")
        console.print(programs)
    if extraction.events:
        events = Table("Kind", "Title", "Date", "Place", "Chair", title="Events")
        for e in extraction.events:
            events.add_row(e.kind, e.title or "", e.date or "", e.place or "", e.chair or "")
        console.print(events)


def register(app: typer.Typer) -> None:
    @app.command("extract")
    def extract_cmd(
        paths: Annotated[list[str], typer.Argument(help="Text or HTML files; '-' reads stdin.")],
        as_json: Annotated[bool, typer.Option("--json", help="One JSON object (default for one file).")] = False,
        as_jsonl: Annotated[bool, typer.Option("--jsonl", help="One JSON object per line per file.")] = False,
        as_table: Annotated[bool, typer.Option("--table", help="Readable tables.")] = False,
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
                print_table(result, console)
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

"""Terminal tables that read at 80 columns.

A table keeps its essential columns on a narrow terminal and shows the rest from ``WIDE_AT``
columns up or with ``--wide``; periods, values and ids are never cut or wrapped (the other
columns wrap instead); figures are written as on the pages (``qala.format.value``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Annotated

import typer
from rich import box
from rich.console import Console
from rich.table import Table

WIDE_AT = 120  # terminal columns from which every column is shown
WHOLE_MAX = 32  # a cell kept whole is at most this wide (longer ones wrap after all)

WideOption = Annotated[bool, typer.Option("--wide", help="Every column, however narrow the terminal.")]


@dataclass(frozen=True)
class Col:
    header: str
    essential: bool = True  # shown at 80 columns
    whole: bool = False  # never cut or wrapped: periods, values, ids
    right: bool = False


def show(title: str | None, cols: Sequence[Col], rows: Iterable[Sequence[object]], *, wide: bool = False,
         console: Console | None = None) -> None:
    """Print ``rows`` (one value per column, None as empty) under ``cols``."""
    console = console or Console()
    rows = [["" if v is None else str(v) for v in row] for row in rows]
    shown = [i for i, c in enumerate(cols) if wide or c.essential or console.width >= WIDE_AT]
    table = Table(title=title, box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
    for i in shown:
        col = cols[i]
        longest = max([len(col.header)] + [max(map(len, r[i].splitlines() or [""])) for r in rows])
        table.add_column(col.header, justify="right" if col.right else "left", overflow="fold",
                         no_wrap=col.whole and longest <= WHOLE_MAX,
                         min_width=min(longest, WHOLE_MAX) if col.whole else None)
    for row in rows:
        table.add_row(*(row[i] for i in shown))
    console.print(table)
    hidden = [cols[i].header for i in range(len(cols)) if i not in shown]
    if hidden and rows:
        console.print(f"[dim]{len(hidden)} more column(s) with --wide: {', '.join(hidden)}[/dim]")

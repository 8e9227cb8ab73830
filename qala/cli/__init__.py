"""The qala command line: a thin typer app over the library. Each module adds its commands."""

from __future__ import annotations

import sys

import typer

from qala.errors import QalaError


def create_app() -> typer.Typer:
    from qala.cli import brief, extract, indicators, monitor, sources, stats, store, web

    app = typer.Typer(help="Qala: figures, officials and instructions from government press releases.",
                      no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
    for module in (extract, store, sources, indicators, web, monitor, stats, brief):
        module.register(app)
    return app


def main() -> None:
    try:
        create_app()(prog_name="qala")
    except QalaError as e:  # pragma: no cover - commands convert their own errors
        print(f"Error: {e}", file=sys.stderr)
        sys.exit(1)

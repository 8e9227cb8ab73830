"""Pieces shared by the CLI modules: error conversion and output options."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator

import typer

from qala.errors import QalaError


def warn(message: str) -> None:
    """One line on stderr, starting with "Error:"."""
    first = str(message).strip().splitlines()[0] if str(message).strip() else "unknown error"
    print(f"Error: {first}", file=sys.stderr)


@contextlib.contextmanager
def errors_as_one_line() -> Iterator[None]:
    """Turn library errors into one line on stderr and exit code 1 (never a traceback)."""
    try:
        yield
    except QalaError as e:
        warn(str(e))
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        warn("interrupted")
        raise typer.Exit(130) from None

"""Pieces shared by the CLI modules: error conversion and output options."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator

import typer
from sqlalchemy.exc import SQLAlchemyError

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
    except SQLAlchemyError as e:  # the driver's first line, never the SQL
        first = str(getattr(e, "orig", None) or type(e).__name__).strip().splitlines()[0]
        if "readonly" in first:
            warn(f"the store is read-only (no write permission on its file): {first}")
        else:
            warn(f"the database failed: {first}")
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        warn("interrupted")
        raise typer.Exit(130) from None

"""Pieces shared by the CLI modules: error conversion and output options."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator

import click

from qala.errors import QalaError


@contextlib.contextmanager
def errors_as_one_line() -> Iterator[None]:
    """Turn library errors into one line on stderr and exit code 1 (never a traceback)."""
    try:
        yield
    except QalaError as e:
        raise click.ClickException(str(e)) from None
    except KeyboardInterrupt:
        raise click.ClickException("interrupted") from None


def warn(message: str) -> None:
    print(f"Error: {message}", file=sys.stderr)

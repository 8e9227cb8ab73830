"""`qala brief`: a territory's справка as PDF, DOCX, HTML or Markdown."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated

import typer

from qala.cli.common import errors_as_one_line
from qala.errors import InvalidInput


def register(app: typer.Typer) -> None:
    @app.command("brief")
    def brief_cmd(
        territory: Annotated[str, typer.Argument(help="Territory: KATO code, id or name (e.g. Алматы).")],
        period: Annotated[str | None, typer.Option(help="Only figures of periods inside this one: 2024, "
                                                        "2024-09 or 2024-01..2024-09. Default: the latest.")] = None,
        fmt: Annotated[str, typer.Option("--format", "-f", help="pdf, docx, html or md.")] = "pdf",
        output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write. Default: html and md "
                                                    "go to stdout; pdf and docx to spravka-<KATO>[-<period>]-"
                                                    "<date>.<ext> in the current folder.")] = None,
        today: Annotated[str | None, typer.Option(help="Date of preparation (ISO); default today.")] = None,
        no_recompute: Annotated[bool, typer.Option("--no-recompute", help="Use what the monitor's last "
                                                   "rebuild stored (quicker on a large store).")] = False,
        db: Annotated[str | None, typer.Option("--db", help="Database URL; default $QALA_DATABASE_URL or the "
                                                          "SQLite file in $QALA_HOME.")] = None,
    ) -> None:
        """A справка for a territory: key indicators with the change against a year before, generated
        sentences, charts, investment pools, plans against outcomes, open and overdue instructions by
        responsible body, claim checks and numbered sources (document, sentence, link) for every figure.

        Example:

            qala brief Алматы --period 2024 --format pdf -o almaty-2024.pdf
        """
        from qala.brief import build_brief, file_name, render
        from qala.brief.render import check_format
        from qala.cli.store import open_db
        from qala.monitor.recompute import recompute_all

        with errors_as_one_line():
            fmt = check_format(fmt)
            day = None
            if today:
                try:
                    day = dt.date.fromisoformat(today)
                except ValueError:
                    raise InvalidInput(f"expected --today as an ISO date like 2024-10-01, got {today!r}") from None
            engine = open_db(db)
            if not no_recompute:
                recompute_all(engine)
            brief = build_brief(engine, territory, period=period, today=day)
            data = render(brief, fmt)
            if output is None and fmt in ("html", "md"):
                sys.stdout.write(data.decode("utf-8"))
                sys.stdout.flush()
                return
            target = output or Path(file_name(brief, fmt))
            try:
                target.write_bytes(data)
            except OSError as e:
                raise InvalidInput(f"cannot write {target}: {e.strerror or e}") from None
        print(f"Справка: {target}", file=sys.stderr)

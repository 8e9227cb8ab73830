"""`qala indicators unresolved` and `qala indicators alias`: the indicator catalogue of a store."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from qala.cli.common import errors_as_one_line
from qala.cli.store import DbOption, JsonOption, LimitOption, open_db


def register(app: typer.Typer) -> None:
    indicators_app = typer.Typer(help="The indicator catalogue: phrases left unresolved, new aliases.\n\n"
                                      "Example:\n\n    qala indicators unresolved --limit 20",
                                 no_args_is_help=True)
    app.add_typer(indicators_app, name="indicators")

    @indicators_app.command("unresolved")
    def unresolved_cmd(db: DbOption = None, limit: LimitOption = 30, as_json: JsonOption = False) -> None:
        """The commonest measure phrases no indicator took, with counts and one sentence each.

        Example:

            qala indicators unresolved --limit 20
        """
        from qala.store.catalogue import unresolved

        with errors_as_one_line():
            rows = unresolved(open_db(db), limit)
        if as_json:
            for r in rows:
                sys.stdout.write(json.dumps({"phrase": r.phrase, "unit": r.unit, "object": r.object,
                                             "count": r.count, "example": r.example,
                                             "document_id": r.document_id}, ensure_ascii=False) + "\n")
            return
        for r in rows:
            print(f"{r.count:6d}  {r.phrase or '—'} | {r.unit or '—'} | {r.object or '—'}")
            print(f"        #{r.document_id}: {r.example}")

    @indicators_app.command("alias")
    def alias_cmd(
        phrase: Annotated[str, typer.Argument(help="The phrase as texts write it.")],
        code: Annotated[str, typer.Argument(help="The indicator's code (qala/store/data/indicators.csv).")],
        db: DbOption = None,
    ) -> None:
        """Add a phrase to an indicator and resolve the stored figures again.

        Example:

            qala indicators alias "ввод жилых домов" housing_commissioned
        """
        from qala.monitor.recompute import recompute_all
        from qala.store.catalogue import add_alias

        with errors_as_one_line():
            engine = open_db(db)
            new, changed = add_alias(engine, phrase, code)
            if changed:
                recompute_all(engine)
        print(f"alias {'added' if new else 'already known'}: {phrase!r} -> {code}; "
              f"{changed} figure(s) resolved anew")

"""`qala checks`, `qala series`, `qala commitments`, `qala overdue`, `qala discipline`, `qala review`:
thin over qala.monitor."""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Annotated, Any

import typer

from qala.cli.common import errors_as_one_line
from qala.cli.tables import Col, WideOption, show
from qala.errors import InvalidInput, NotFound
from qala.format import value

DbOption = Annotated[str | None, typer.Option("--db", help="Database URL; default $QALA_DATABASE_URL or the "
                                                          "SQLite file in $QALA_HOME.")]
JsonOption = Annotated[bool, typer.Option("--json", help="One JSON object per line instead of a table.")]
TodayOption = Annotated[str | None, typer.Option(help="Judge as of this date (ISO), default today.")]
VerifiedOption = Annotated[bool, typer.Option("--verified-only", help="Only facts a person confirmed or corrected.")]
NoRecomputeOption = Annotated[bool, typer.Option("--no-recompute", help="Show what the last rebuild stored.")]


def _engine(db: str | None):
    from qala.cli.store import open_db

    return open_db(db)


def _recompute(engine, skip: bool) -> None:
    """Rebuild the derived tables first (seconds even for a million figures), so a list made right
    after an ingest or a review shows them; ``--no-recompute`` reads what the last rebuild stored."""
    if not skip:
        from qala.monitor.recompute import recompute_all

        recompute_all(engine)


def _today(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"expected --today as an ISO date like 2021-02-04, got {value!r}") from None


def _lookup(engine, table: str, value: str | None, columns: tuple[str, ...]) -> int | None:
    """An id from an id, a code or a name (case-insensitive, Cyrillic included)."""
    if value is None:
        return None
    from sqlalchemy import text

    with engine.connect() as conn:
        rows = conn.execute(text(f"SELECT id, {', '.join(columns)} FROM {table}")).all()
    if value.isdigit() and any(r[0] == int(value) for r in rows):
        return int(value)
    wanted = value.strip().casefold()
    for i in range(1, len(columns) + 1):
        for r in rows:
            if r[i] is not None and str(r[i]).casefold() == wanted:
                return r[0]
    what = {"territories": "territory", "indicators": "indicator"}.get(table, table)
    raise NotFound(f"no {what} named {value!r} (give its id, {' or '.join(columns)})")


def _jsonl(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        sys.stdout.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")


def _official_source(ref: dict[str, Any]) -> str:
    return f"{ref['source']}{', ' + ref['reference'] if ref['reference'] else ''} ({ref['vintage']})"


def _period(start: object, end: object) -> str:
    """A period given by its first and last day, as the contract writes it ("2024-01..2024-09")."""
    import datetime as dt

    from qala.periods import Period, period_label

    if not isinstance(start, dt.date) or not isinstance(end, dt.date):
        start, end = (dt.date.fromisoformat(str(d)[:10]) if d else None for d in (start, end))
    if start is None or end is None:
        return ""
    return period_label(Period(start, end, "day" if start == end else "range"))


def register(app: typer.Typer) -> None:
    @app.command("checks")
    def checks_cmd(
        kind: Annotated[str | None, typer.Option(help="contradiction, change_mismatch, part_whole, outlier or "
                                                      "official_mismatch.")] = None,
        territory: Annotated[str | None, typer.Option(help="Territory id, KATO code or name.")] = None,
        document: Annotated[int | None, typer.Option(help="Only checks involving this document id.")] = None,
        no_recompute: NoRecomputeOption = False,
        verified_only: VerifiedOption = False,
        as_json: JsonOption = False,
        wide: WideOption = False,
        db: DbOption = None,
    ) -> None:
        """Claim checks across documents (recomputed first): contradictions, changes that do not fit
        their base, parts above their whole, figures far outside their history.

        Example:

            qala checks --kind contradiction --territory Алматы --json
        """
        from qala.monitor.checks import list_checks
        from qala.monitor.recompute import recompute_all

        with errors_as_one_line():
            engine = _engine(db)
            if not no_recompute:
                recompute_all(engine, verified_only=verified_only)
            rows = list_checks(engine, kind=kind, territory_id=_lookup(engine, "territories", territory,
                                                                        ("kato", "name")), document_id=document)
        if as_json:
            _jsonl(rows)
            return
        show("Checks", [Col("Kind", essential=False), Col("Territory"), Col("Indicator", essential=False),
                        Col("Period", whole=True), Col("Message"), Col("Doc", whole=True, right=True),
                        Col("Other", whole=True, right=True, essential=False)],
             ([c["kind_label"], c["territory"], c["indicator"], _period(c["period_start"], c["period_end"]),
               c["message"], c["fact"]["document_id"], c["other"]["document_id"]] for c in rows), wide=wide)

    @app.command("series")
    def series_cmd(
        territory: Annotated[str, typer.Option(help="Territory id, KATO code or name.")],
        indicator: Annotated[str, typer.Option(help="Indicator id, code or name.")],
        unit: Annotated[str | None, typer.Option(help="Only this unit (KZT, m2, count, %...).")] = None,
        no_recompute: NoRecomputeOption = False,
        as_json: JsonOption = False,
        wide: WideOption = False,
        db: DbOption = None,
    ) -> None:
        """One territory's indicator merged across documents, by period, with sources and implied bases
        (recomputed first), then its official values (kind "official", source_kind in --json).

        Example:

            qala series --territory Алматы --indicator industrial_output
        """
        from qala.monitor.series import series_for
        from qala.stats.series import official_points

        with errors_as_one_line():
            engine = _engine(db)
            _recompute(engine, no_recompute)
            territory_id = _lookup(engine, "territories", territory, ("kato", "name"))
            indicator_id = _lookup(engine, "indicators", indicator, ("code", "name"))
            points = series_for(engine, territory_id=territory_id, indicator_id=indicator_id, unit=unit)
            official = official_points(engine, territory_id=territory_id, indicator_id=indicator_id, unit=unit)
        if as_json:
            _jsonl([{**p.to_json(), "source_kind": "reported"} for p in points] + official)
            return
        reported = [[p.period, value(p.value, p.unit), p.kind, "" if p.yoy_percent is None else f"{p.yoy_percent:+.1f}",
                     ", ".join(str(s.document_id) for s in p.sources) or f"fact {p.fact_id}"] for p in points]
        stated = [[o["period"], value(o["value"], o["unit"]), "official", "", _official_source(o["official"])]
                  for o in official]
        show("Series", [Col("Period", whole=True), Col("Value", whole=True, right=True), Col("Kind", whole=True),
                        Col("YoY %", whole=True, right=True), Col("Source", essential=False)],
             reported + stated, wide=wide)

    @app.command("commitments")
    def commitments_cmd(
        status: Annotated[str | None, typer.Option(help="in_progress, done, partial, failed or no_data.")] = None,
        territory: Annotated[str | None, typer.Option(help="Territory id, KATO code or name.")] = None,
        no_recompute: NoRecomputeOption = False,
        as_json: JsonOption = False,
        wide: WideOption = False,
        db: DbOption = None,
    ) -> None:
        """Announced plans held against later figures, with status and evidence (recomputed first).

        Example:

            qala commitments --status no_data --json
        """
        from qala.monitor.commitments import list_commitments

        with errors_as_one_line():
            engine = _engine(db)
            _recompute(engine, no_recompute)
            rows = list_commitments(engine, status=status,
                                    territory_id=_lookup(engine, "territories", territory, ("kato", "name")))
        if as_json:
            _jsonl(rows)
            return
        show("Commitments", [Col("Territory"), Col("Indicator"), Col("Period", whole=True),
                             Col("Target", whole=True, right=True), Col("Actual", whole=True, right=True),
                             Col("Status", whole=True), Col("Evidence", essential=False)],
             ([c["territory"], c["indicator"], _period(c["period_start"], c["period_end"]), value(c["target"], c.get("unit")),
               value(c["actual"], c.get("unit")), c["status_label"], ", ".join(str(e["document_id"]) for e in c["evidence"])]
              for c in rows), wide=wide)

    @app.command("overdue")
    def overdue_cmd(today: TodayOption = None, as_json: JsonOption = False, wide: WideOption = False,
                    db: DbOption = None) -> None:
        """Instructions not done whose deadline has passed, most overdue first.

        Example:

            qala overdue --today 2021-06-01
        """
        from qala.monitor.control import list_overdue

        with errors_as_one_line():
            rows = list_overdue(_engine(db), today=_today(today))
        if as_json:
            _jsonl(rows)
            return
        show("Overdue instructions", [Col("Id", whole=True, right=True), Col("Body"), Col("Instruction"),
                                      Col("Deadline", whole=True), Col("Days over", whole=True, right=True)],
             ([r["id"], r["body"], r["text"], r["deadline"], r["days_overdue"]] for r in rows), wide=wide)

    @app.command("discipline")
    def discipline_cmd(today: TodayOption = None, as_json: JsonOption = False, wide: WideOption = False,
                       db: DbOption = None) -> None:
        """Execution discipline per responsible body: done on time, late, in progress, overdue.

        Example:

            qala discipline --json
        """
        from qala.monitor.control import discipline_summary

        with errors_as_one_line():
            rows = discipline_summary(_engine(db), today=_today(today))
        if as_json:
            _jsonl(rows)
            return
        counts = ("total", "done", "done_on_time", "done_late", "in_progress", "new", "overdue")
        show("Discipline", [Col("Body"), Col("Total", whole=True, right=True), Col("Done", whole=True, right=True),
                            Col("On time", whole=True, right=True), Col("Late", whole=True, right=True),
                            Col("In progress", essential=False, right=True), Col("New", essential=False, right=True),
                            Col("Overdue", whole=True, right=True), Col("On-time share", whole=True, right=True)],
             ([r["body"], *(r[k] for k in counts), "" if r["on_time_share"] is None else f"{r['on_time_share']:.0%}"]
              for r in rows), wide=wide)

    @app.command("review")
    def review_cmd(
        document: Annotated[int, typer.Argument(help="Document id.")],
        start: Annotated[int, typer.Argument(help="Span start of the item.")],
        stop: Annotated[int, typer.Argument(help="Span stop of the item.")],
        action: Annotated[str, typer.Option(help="confirm, correct or reject.")],
        user: Annotated[str, typer.Option(help="Who decides.")],
        kind: Annotated[str, typer.Option(help="fact, person, instruction or program.")] = "fact",
        field: Annotated[str | None, typer.Option(help="The corrected field, e.g. value.")] = None,
        value: Annotated[str | None, typer.Option(help="The corrected value (with --field).")] = None,
        db: DbOption = None,
    ) -> None:
        """Confirm, correct or reject an extracted item; kept in the audit trail, applied as an overlay.

        Example:

            qala review 12 470 560 --action correct --field value --value 1052000000000 --user aigerim
        """
        from qala.monitor.review import review

        with errors_as_one_line():
            if action == "correct" and (field is None or value is None):
                raise InvalidInput("expected --field and --value with --action correct")
            after = {field: value} if action == "correct" else None
            engine = _engine(db)
            review_id = review(engine, document, kind, (start, stop), field, action, after, user)
            from qala.monitor.recompute import rebuild_after_command

            rebuild_after_command(engine)  # the derived tables, at the end of the command
        print(f"review {review_id} recorded")

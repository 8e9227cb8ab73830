"""The monitoring commands, through the real CLI app."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from qala.cli import create_app
from tests.monitor.factories import Rows

COMMANDS = ["checks", "series", "commitments", "overdue", "discipline", "review"]


@pytest.fixture
def cli(engine, db_url):
    rows = Rows(engine)
    for value, day in ((854e9, "2019-01-20"), (1.056e12, "2019-02-20")):
        rows.report("Инвестиции в основной капитал за 2018 год.", day,
                    {"territory": "Астана", "indicator": "investment", "period": "2018", "value": value})
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(create_app(), [*args, "--db", db_url], catch_exceptions=False)
    run.rows = rows  # the same store's factory, for tests that add documents
    return run


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command):
    result = CliRunner().invoke(create_app(), [command, "--help"], catch_exceptions=False)
    assert result.exit_code == 0 and "Example:" in result.output


def test_checks_json(cli):
    result = cli("checks", "--json", "--territory", "астана")
    assert result.exit_code == 0
    (check,) = [json.loads(line) for line in result.output.splitlines()]
    assert check["kind"] == "contradiction" and check["territory"] == "Астана"


def test_series_then_review_reject(cli):
    cli("checks", "--json")
    out = [json.loads(x) for x in cli("series", "--territory", "Астана", "--indicator", "investment",
                                      "--json").output.splitlines()]
    assert [(p["period"], p["value_min"], p["value_max"]) for p in out] == [("2018", 854e9, 1.056e12)]
    doc = out[0]["sources"][1]["document_id"]
    result = cli("review", str(doc), "0", "42", "--action", "reject", "--user", "analyst")
    assert result.exit_code == 0, result.output
    assert cli("checks", "--json").output == ""


def test_series_and_commitments_are_current_right_after_an_ingest(cli):
    """No `qala checks` first: the lists rebuild what they read, unless --no-recompute."""
    cli.rows.report("В 2030 году в Астане планируется построить 40 школ.", "2024-02-01",
                {"territory": "Астана", "indicator": "schools", "period": "2030", "value": 40, "unit": "count"})
    assert cli("commitments", "--no-recompute", "--json").output == ""
    (plan,) = [json.loads(x) for x in cli("commitments", "--json").output.splitlines()]
    assert (plan["target"], plan["period_end"], plan["status"]) == (40, "2030-12-31", "in_progress")
    out = cli("series", "--territory", "Астана", "--indicator", "investment", "--json").output.splitlines()
    assert [json.loads(x)["period"] for x in out] == ["2018"]


@pytest.mark.parametrize("args, message", [
    (("checks", "--territory", "Атлантида"), "no territory named 'Атлантида'"),
    (("checks", "--kind", "rumour"), "expected a check kind"),
    (("overdue", "--today", "вчера"), "expected --today as an ISO date"),
    (("review", "1", "0", "5", "--action", "correct", "--user", "a"), "expected --field and --value"),
])
def test_errors_are_one_line(cli, args, message):
    result = cli(*args)
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output

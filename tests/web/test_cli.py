"""`qala serve --get`, `qala user add` and `qala demo --no-serve` through the real CLI app."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from qala.cli import create_app


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("QALA_HOME", str(tmp_path))
    monkeypatch.delenv("QALA_DATABASE_URL", raising=False)
    return tmp_path


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(create_app(), list(args), input=input, catch_exceptions=False)


def test_serve_get_prints_one_response(home):
    result = run("serve", "--get", "/api/facts")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"data": [], "count": 0}
    missing = run("serve", "--get", "/api/documents/5")
    assert missing.exit_code == 1
    assert json.loads(missing.stdout)["status"] == 404


@pytest.mark.parametrize(("args", "input", "code", "needle"), [
    (["user", "add", "analyst", "--password", "long enough secret"], None, 0, "user 'analyst' added"),
    (["user", "add", "analyst"], "long enough secret\n", 0, "added"),
    (["user", "add", "analyst", "--password", "short"], None, 1, "at least 8 characters"),
    (["user", "add", "two words", "--password", "long enough secret"], None, 1, "without spaces"),
])
def test_user_add(home, args, input, code, needle):
    result = run(*args, input=input)
    assert result.exit_code == code
    assert needle in result.output


def test_user_add_twice_is_one_clear_line(home):
    assert run("user", "add", "analyst", "--password", "long enough secret").exit_code == 0
    again = run("user", "add", "analyst", "--password", "long enough secret")
    assert again.exit_code == 1
    assert again.output.strip().endswith("user 'analyst' already exists")


def test_demo_ingests_the_samples_once(home):
    from qala.samples import sample_names

    first = run("demo", "--no-serve")
    assert first.exit_code == 0
    assert f"samples: {len(sample_names())} ingested" in first.stdout
    assert "0 ingested" in run("demo", "--no-serve").stdout
    facts = json.loads(run("serve", "--get", "/api/facts?territory=750000000&limit=500").stdout)
    assert facts["count"] >= 20  # Almaty's figures, several years of them
    years = {f["period"][:4] for f in facts["data"] if f["period"]}
    assert len(years) >= 4

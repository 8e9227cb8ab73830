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
    found = json.loads(result.stdout)
    assert (found["data"], found["count"], found["next"]) == ([], 0, None)
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


def test_demo_on_a_taken_port_says_so_and_does_no_work(home):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(create_app(), ["demo", "--port", str(port)])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines == [(f"Error: port {port} on 127.0.0.1 is taken by another program: stop it or choose another "
                     f"port with --port N (make demo PORT=N)")]
    assert not (home / "qala.sqlite3").exists()  # nothing ingested before the failure


def test_every_command_that_uses_the_store_takes_db(tmp_path, home):
    from typer.main import get_command

    def commands(group, prefix=()):
        for name, sub in group.commands.items():
            if hasattr(sub, "commands"):
                yield from commands(sub, prefix + (name,))
            else:
                yield prefix + (name,), sub

    without = [" ".join(name) for name, cmd in commands(get_command(create_app()))
               if "--db" not in {o for p in cmd.params for o in getattr(p, "opts", [])}]
    assert sorted(without) == ["evaluate", "extract"]  # the two that read files, not a store
    url = f"sqlite:///{tmp_path / 'elsewhere.sqlite3'}"
    assert run("user", "add", "analyst", "--password", "long enough secret", "--db", url).exit_code == 0
    assert (tmp_path / "elsewhere.sqlite3").exists() and not (home / "qala.sqlite3").exists()
    result = run("serve", "--get", "/api/facts", "--db", url)
    assert result.exit_code == 0 and json.loads(result.stdout)["count"] == 0

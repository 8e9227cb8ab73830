"""The docs stay true: every command has help with an example and appears in the README;
`qala.__all__` names the public API; the README opens with the two commands that matter."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.main import get_command

import qala
from qala.cli import create_app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> dict:
    return get_command(create_app()).commands


def test_readme_opens_with_demo_and_test() -> None:
    head = README[:800]
    assert "make demo" in head and "make test" in head


@pytest.mark.parametrize("name", sorted(_commands()))
def test_every_command_has_help_with_example_and_is_documented(name: str) -> None:
    command = _commands()[name]
    assert command.help and "Example:" in command.help, f"{name}: help needs an Example: block"
    assert f"qala {name}" in README, f"README does not mention `qala {name}`"


def test_all_is_complete() -> None:
    public = {n for n in dir(qala) if not n.startswith("_") and n[0].isupper() or n == "extract"}
    modules = {"errors", "model", "extractor", "text", "config", "periods", "evaluate", "cli", "store"}
    assert public - modules <= set(qala.__all__)
    for name in qala.__all__:
        assert hasattr(qala, name)

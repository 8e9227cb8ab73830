"""Terminal tables at 80 columns: no line wider than the terminal, periods and figures whole,
figures written as on the pages, and --wide for the columns left out."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from qala.cli import create_app

RELEASE = ("Аким Карагандинской области сообщил, что за январь-сентябрь 2024 года в экономику области привлечено "
           "инвестиций в основной капитал на 612,4 млрд тенге, что на 14,2% больше, чем годом ранее. "
           "За первое полугодие 2024 года создано 8 821 рабочее место, введено в эксплуатацию 22 школы "
           "и 1 134 квартиры.\n")


@pytest.fixture
def store(tmp_path):
    (tmp_path / "release.txt").write_text(RELEASE, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'q.sqlite3'}"
    result = CliRunner().invoke(create_app(), ["ingest", str(tmp_path / "release.txt"), "--db", url, "--quiet"])
    assert result.exit_code == 0, result.output
    return url, tmp_path / "release.txt"


def run(args: list[str], columns: int) -> str:
    result = CliRunner().invoke(create_app(), args, env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("command", ["facts", "extract"])
def test_at_80_columns_lines_fit_and_periods_and_figures_are_whole(store, command):
    url, path = store
    args = ["facts", "--db", url] if command == "facts" else ["extract", str(path), "--table"]
    out = run(args, 80)
    assert max(map(len, out.splitlines())) <= 80, out
    for whole in ("2024-01..2024-09", "2024-01..2024-06", "612,4 млрд тенге", "8 821 рабочее место", "22 школы",
                  "1 134 квартиры"):
        assert whole in out, f"{whole!r} cut or missing:\n{out}"
    assert "more column(s) with --wide: Change" in out
    wide = run(args + ["--wide"], 80)
    assert "Change" in wide and "+14,2%" in wide


def test_a_wide_terminal_shows_every_column(store):
    url, _ = store
    out = run(["facts", "--db", url], 160)
    assert "Change" in out and "+14,2%" in out and "--wide" not in out

"""`qala extract` and `qala evaluate` as a user runs them: formats, stdin, bad files, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from qala.cli import create_app
from qala.model import SCHEMA

RELEASE = (
    "Аким области Жетысу Бейбут Исабаев провел совещание.\n"
    "В 2023 году объем инвестиций в основной капитал вырос на 12,5% и составил 540,3 млрд тенге.\n"
)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def release(tmp_path):
    path = tmp_path / "release.txt"
    path.write_text(RELEASE, encoding="utf-8")
    return path


def test_json_is_one_contract_object_with_path(runner, release) -> None:
    result = runner.invoke(create_app(), ["extract", str(release), "--json", "--published", "2024-01-15"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema"] == SCHEMA
    assert data["document"]["path"] == str(release)
    assert data["document"]["published"] == "2024-01-15"
    for key in ("persons", "facts", "instructions", "programs", "events"):
        assert isinstance(data[key], list)


def test_jsonl_prints_one_line_per_file(runner, release, tmp_path) -> None:
    other = tmp_path / "other.txt"
    other.write_text("Министр финансов выступил с докладом.", encoding="utf-8")
    result = runner.invoke(create_app(), ["extract", str(release), str(other), "--jsonl"])
    assert result.exit_code == 0
    lines = result.stdout.strip().splitlines()
    assert [json.loads(line)["document"]["path"] for line in lines] == [str(release), str(other)]


def test_cp1251_file_reads_like_utf8(runner, release, tmp_path) -> None:
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes(RELEASE.encode("cp1251"))
    a = json.loads(runner.invoke(create_app(), ["extract", str(release)]).stdout)
    b = json.loads(runner.invoke(create_app(), ["extract", str(legacy)]).stdout)
    assert a["facts"] == b["facts"] and a["persons"] == b["persons"]


def test_stdin(runner) -> None:
    result = runner.invoke(create_app(), ["extract", "-", "--jsonl"], input=RELEASE.encode("utf-8"))
    assert result.exit_code == 0
    assert json.loads(result.stdout)["document"]["path"] is None


def test_table_output(runner, release) -> None:
    result = runner.invoke(create_app(), ["extract", str(release), "--table"])
    assert result.exit_code == 0
    assert "Figures" in result.stdout


def test_bad_files_fail_alone_with_one_line_each(runner, release, tmp_path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    result = runner.invoke(create_app(), ["extract", str(empty), str(binary), str(release), "--jsonl"])
    assert result.exit_code == 1
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 2 and all(line.startswith("Error: ") for line in errors)
    assert "Traceback" not in result.output
    # the good file still came through
    assert json.loads(result.stdout)["document"]["path"] == str(release)


@pytest.mark.parametrize("args, message", [
    (["--published", "2021-13-45"], "expected a date"),
    (["--json", "--jsonl"], "choose one"),
])
def test_bad_options(runner, release, args, message) -> None:
    result = runner.invoke(create_app(), ["extract", str(release), *args])
    assert result.exit_code != 0
    assert message in result.output


def test_oversized_file_is_refused_in_one_line(runner, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("QALA_MAX_DOCUMENT_BYTES", "1000")
    big = tmp_path / "big.txt"
    big.write_text("Рост составил 5%. " * 200, encoding="utf-8")
    result = runner.invoke(create_app(), ["extract", str(big)])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "QALA_MAX_DOCUMENT_BYTES" in result.stderr


def test_real_process_has_no_traceback(tmp_path) -> None:
    binary = tmp_path / "x.bin"
    binary.write_bytes(bytes(range(256)) * 4)
    proc = subprocess.run([sys.executable, "-m", "qala", "extract", str(binary)], capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 1
    assert proc.stderr.strip().startswith("Error:") and "Traceback" not in proc.stderr


def test_evaluate_on_a_small_gold_dir(runner, tmp_path) -> None:
    (tmp_path / "doc.txt").write_text(RELEASE, encoding="utf-8")
    gold = {"file": "doc.txt", "published": "2024-01-15", "source": None,
            "persons": [{"name": "Бейбут Исабаев", "positions": ["аким области Жетысу"]}],
            "facts": [{"indicator": "инвестиции в основной капитал", "territory": None, "period": "2023",
                       "value": 540300000000, "unit": "KZT", "object": None, "approx": None,
                       "change": {"kind": "percent", "value": 12.5, "direction": "up", "base_period": None}}],
            "instructions": [], "programs": []}
    (tmp_path / "doc.gold.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(create_app(), ["evaluate", str(tmp_path), "--verbose"])
    assert result.exit_code == 0
    lines = {line.split()[0]: line for line in result.stdout.splitlines() if line.strip()}
    assert "documents      1" in result.stdout
    assert "(tp=1 fp=0 fn=0)" in lines["facts"], result.stdout
    assert "(tp=1 fp=0 fn=0)" in lines["persons"], result.stdout
    assert "1.000  (1/1)" in lines["posts"], result.stdout


def test_evaluate_rejects_malformed_gold(runner, tmp_path) -> None:
    (tmp_path / "doc.txt").write_text(RELEASE, encoding="utf-8")
    (tmp_path / "doc.gold.json").write_text("{not json", encoding="utf-8")
    result = runner.invoke(create_app(), ["evaluate", str(tmp_path)])
    assert result.exit_code == 1
    assert "doc.gold.json" in result.stderr and "Traceback" not in result.output


def test_evaluate_split_selects_by_name_hash(runner, tmp_path) -> None:
    from qala.evaluate import split_of

    gold = {"published": None, "persons": [], "facts": [], "instructions": [], "programs": []}
    names = [f"doc-{i}" for i in range(20)]
    for name in names:
        (tmp_path / f"{name}.txt").write_text(RELEASE, encoding="utf-8")
        (tmp_path / f"{name}.gold.json").write_text(json.dumps(gold), encoding="utf-8")
    held_out = sum(split_of(n) == "validation" for n in names)
    assert 0 < held_out < len(names)
    for split, expected in (("validation", held_out), ("tune", len(names) - held_out), ("all", len(names))):
        result = runner.invoke(create_app(), ["evaluate", str(tmp_path), "--split", split])
        assert result.exit_code == 0, result.output
        assert f"documents      {expected}" in result.stdout
    bad = runner.invoke(create_app(), ["evaluate", str(tmp_path), "--split", "train"])
    assert bad.exit_code == 1 and "split" in bad.stderr and "Traceback" not in bad.output

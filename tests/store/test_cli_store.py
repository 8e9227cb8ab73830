"""The store commands as a user runs them, with the real extractor (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from qala.cli import create_app
from qala.store import queries
from qala.store.db import open_store

RELEASES = {
    "almaty.txt": "Аким города Алматы Ербол Досаев сообщил, что в 2023 году объем промышленного производства "
                  "вырос на 6,1% и составил 2,9 трлн тенге. Создано 12 тыс. рабочих мест.\n",
    "deep/karaganda.html": "<html><head><title>Караганда</title></head><body><p>В Карагандинской области "
                           "в 2022 году введено 480 тыс. квадратных метров жилья.</p>"
                           "<script>var x = 1;</script></body></html>",
}
FEED = [
    json.dumps({"text": "В Шымкенте в 2023 году инвестиции в основной капитал составили 610 млрд тенге.",
                "url": "https://example.kz/shymkent", "published": "2024-01-20", "source": "gov.kz"},
               ensure_ascii=False),
    "{not json",
    json.dumps({"url": "https://example.kz/empty", "title": "без текста"}),
]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def inputs(tmp_path):
    folder = tmp_path / "in"
    for name, text in RELEASES.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "answers.gold.json").write_text("{}", encoding="utf-8")  # not a document: skipped
    (folder / "feed.jsonl").write_text("\n".join(FEED) + "\n", encoding="utf-8")
    (tmp_path / "scan.txt").write_bytes(b"\x00\x01\x02 binary")
    return folder


def test_ingest_reports_each_bad_input_on_one_line_and_keeps_the_rest(runner, inputs, db_url):
    app = create_app()
    result = runner.invoke(app, ["ingest", str(inputs), str(inputs.parent / "scan.txt"), "--db", db_url])
    assert result.exit_code == 1
    assert result.stdout.strip() == "ingested: 3, duplicates: 0, failed: 3"
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 3 and all(e.startswith("Error: ") for e in errors)
    for expected in ("feed.jsonl:2: expected a JSON object, got malformed JSON",
                     'feed.jsonl:3: expected a record with "text", got none',
                     "scan.txt: expected a text file, got binary data"):
        assert sum(expected in e for e in errors) == 1, expected
    again = runner.invoke(app, ["ingest", str(inputs), "--db", db_url])
    assert again.stdout.strip() == "ingested: 0, duplicates: 3, failed: 2"
    engine = open_store(db_url)
    docs = queries.list_documents(engine)
    engine.dispose()
    assert sorted(d["status"] for d in docs) == ["failed"] * 3 + ["ok"] * 3
    feed = next(d for d in docs if d["url"] == "https://example.kz/shymkent")
    assert (feed["source"], str(feed["published"])) == ("gov.kz", "2024-01-20")


def test_query_commands_print_what_the_store_holds(runner, inputs, db_url):
    app = create_app()
    runner.invoke(app, ["ingest", str(inputs), "--db", db_url])
    engine = open_store(db_url)
    expected = queries.list_facts(engine, limit=None)
    engine.dispose()
    result = runner.invoke(app, ["facts", "--json", "--db", db_url])
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == [f["id"] for f in expected]
    table = runner.invoke(app, ["facts", "--db", db_url])
    assert table.exit_code == 0 and "Figures" in table.stdout
    for command in ("persons", "instructions"):
        result = runner.invoke(app, [command, "--db", db_url])
        assert result.exit_code == 0, result.output


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "xlsx", "parquet"])
def test_export_writes_a_file_or_stdout(runner, inputs, db_url, tmp_path, fmt):
    app = create_app()
    runner.invoke(app, ["ingest", str(inputs), "--db", db_url])
    out = tmp_path / f"facts.{fmt}"
    result = runner.invoke(app, ["export", "--format", fmt, "-o", str(out), "--db", db_url])
    assert result.exit_code == 0, result.output
    to_stdout = runner.invoke(app, ["export", "--format", fmt, "--db", db_url])
    assert to_stdout.exit_code == 0
    assert to_stdout.stdout_bytes == out.read_bytes() or fmt == "xlsx"  # xlsx embeds a timestamp
    if fmt == "parquet":
        assert len(pd.read_parquet(io.BytesIO(to_stdout.stdout_bytes))) == int(result.stderr.split()[0])


@pytest.mark.parametrize("url, message", [
    ("postgresql://postgres@127.0.0.1:1/nothing", "cannot connect to the database"),
    ("mysql://root@localhost/qala", "expected a sqlite:/// or postgresql:// database URL"),
    ("sqlite:////proc/no/such/dir/qala.sqlite3", "cannot open the database"),
])
def test_a_database_that_cannot_be_opened_is_one_line(runner, tmp_path, url, message):
    (tmp_path / "a.txt").write_text("Текст.", encoding="utf-8")
    for args in (["ingest", str(tmp_path / "a.txt")], ["facts"], ["export"]):
        result = runner.invoke(create_app(), [*args, "--db", url])
        assert result.exit_code == 1
        assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr


def test_every_store_command_has_an_example(runner):
    for command in ("ingest", "facts", "persons", "instructions", "export"):
        result = runner.invoke(create_app(), [command, "--help"])
        assert result.exit_code == 0 and "Example:" in result.stdout, command


def test_a_file_named_by_date_gives_the_publication_date_its_text_lacks(runner, tmp_path, db_url):
    """Archives are often named by day: with no dateline in the text, the name dates the release,
    so "в текущем году" reads as that year and a plan for it becomes a tracked commitment."""
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "akimat-2022-03-10.txt").write_text(
        "В Шымкенте в текущем году планируется ввести 40 школ.\n", encoding="utf-8")
    (folder / "akimat-undated.txt").write_text(
        "15.01.2021 10:00\nВ Шымкенте в 2020 году введено 12 школ.\n", encoding="utf-8")
    result = runner.invoke(create_app(), ["ingest", str(folder), "--db", db_url])
    assert result.exit_code == 0, result.output
    docs = {d["path"].rsplit("/", 1)[-1]: str(d["published"]) for d in queries.list_documents(open_store(db_url))}
    assert docs == {"akimat-2022-03-10.txt": "2022-03-10", "akimat-undated.txt": "2021-01-15"}
    facts = queries.list_facts(open_store(db_url), period="2022")
    assert [(f["value"], str(f["period_start"]), str(f["period_end"])) for f in facts] == \
        [(40.0, "2022-01-01", "2022-12-31")]


def test_ingested_files_keep_a_title_an_html_one_and_a_plain_headline(runner, tmp_path, db_url):
    folder = tmp_path / "titled"
    folder.mkdir()
    (folder / "plain.txt").write_text("Экономика\nВ Таразе открыли завод по выпуску кирпича\n\nНа заводе "
                                      "создано 120 рабочих мест.", encoding="utf-8")
    (folder / "page.html").write_text("<html><head><title>Аким принял фермеров</title></head><body><p>"
                                      "В 2023 году фермерам выдано 3 млрд тенге.</p></body></html>",
                                      encoding="utf-8")
    (folder / "lead.txt").write_text("В области продолжается ремонт дорог, сообщили в пресс-службе акимата "
                                     "области в понедельник утром.\nОтремонтировано 40 км.", encoding="utf-8")
    result = runner.invoke(create_app(), ["ingest", str(folder), "--db", db_url])
    assert result.exit_code == 0, result.output
    engine = open_store(db_url)
    docs = queries.list_documents(engine)
    engine.dispose()
    titles = {d["path"].rsplit("/", 1)[-1]: d["title"] for d in docs}
    assert titles == {"plain.txt": "В Таразе открыли завод по выпуску кирпича",
                      "page.html": "Аким принял фермеров", "lead.txt": None}

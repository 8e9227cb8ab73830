"""Briefings: every number read back from the PDF and the DOCX is the store's; Russian that agrees;
an unknown territory is one line and a non-zero exit; an empty territory gets a short briefing."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess

import pytest
from api import factories
from sqlalchemy import select
from typer.testing import CliRunner
from web.webtools import add_documents

from qala.brief import build_brief, render
from qala.brief import text as words
from qala.cli import create_app
from qala.monitor.recompute import recompute_all
from qala.store import schema as s
from qala.store.db import open_store

TODAY = dt.date(2026, 3, 15)
ALMATY, SHYMKENT = factories.ALMATY, "790000000"
# Written for these tests: a 2022 figure for Almaty, so the latest (2022) has a year before (2021).
MORE = [("2023-01-30", ("Промышленность Алматы за прошлый год\n\nПо итогам 2022 года предприятия Алматы "
         "произвели продукции на 1,38 трлн тенге."),
         [("industrial_output", ALMATY, "2022", 1.38e12, "KZT", None, "1,38 трлн тенге")])]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('brief') / 'qala.sqlite3'}"
    engine = open_store(url)
    ids = factories.seed_monitoring(engine, factories.seed_store(engine, today=TODAY))
    ids.update(add_documents(engine, MORE, prefix="more"))
    recompute_all(engine)
    yield {"engine": engine, "url": url, "ids": ids}
    engine.dispose()


@pytest.fixture(scope="module")
def brief(store):
    return build_brief(store["engine"], ALMATY, today=TODAY)


def store_values(engine) -> set[float]:
    with engine.connect() as conn:
        return {v for v in conn.scalars(select(s.Fact.value)) if v is not None}


SCALE = {"трлн": 1e12, "млрд": 1e9, "млн": 1e6, "тыс.": 1e3}
AMOUNT = re.compile(r"(?<![\d,])(\d{1,3}(?: \d{3})*(?:,\d+)?) ?(?:(трлн|млрд|млн|тыс\.) ?(тенге|м²)?|(тенге|м²|%))")


def amounts(text: str) -> list[tuple[float, str]]:
    """Every figure with a scale or a unit in a text, as (value, unit word)."""
    text = " ".join(text.replace("\u00a0", " ").split())
    out = []
    for m in AMOUNT.finditer(text):
        number = float(m.group(1).replace(" ", "").replace(",", "."))
        if m.group(2):
            out.append((number * SCALE[m.group(2)], m.group(3) or ""))
        else:
            out.append((number, m.group(4)))
    return out


def fact_rows(engine) -> list:
    with engine.connect() as conn:
        return conn.execute(select(s.Fact.indicator_id, s.Fact.territory_id, s.Fact.period_start, s.Fact.unit,
                                   s.Fact.value)).all()


def changes(engine) -> set[float]:
    """Year-on-year changes the store's figures give (percent, one decimal), and rate differences."""
    rows = fact_rows(engine)
    out = set()
    for a in rows:
        for b in rows:
            if (a.indicator_id, a.territory_id, a.unit) == (b.indicator_id, b.territory_id, b.unit) and b.value \
                    and a.period_start.year == b.period_start.year + 1:
                out.add(round(abs(a.value / b.value - 1) * 100, 1))
                out.add(round(abs(a.value - b.value), 1))
    return out


def gaps(engine) -> set[float]:
    """The gaps a claim check states between two reports of one figure: absolute and, in whole
    percent of the other report, relative."""
    rows = fact_rows(engine)
    out = set()
    for a in rows:
        for b in rows:
            if (a.indicator_id, a.territory_id, a.unit, a.period_start) == \
                    (b.indicator_id, b.territory_id, b.unit, b.period_start) and a.value and b.value \
                    and a.value != b.value:
                out.add(abs(a.value - b.value))
                out.add(float(round(abs(a.value - b.value) / abs(b.value) * 100)))
    return out


def check_numbers(text: str, engine) -> int:
    """Every figure before the list of sources (whose sentences quote the documents) is a stored value
    or a change computed from stored values; returns how many were checked."""
    body = text.split("Источники")[0]
    stored, changed, apart = store_values(engine), changes(engine), gaps(engine)
    found = amounts(body)
    for value, unit in found:
        if unit == "%" and value not in stored:
            assert round(value, 1) in changed | apart, f"{value}% is neither a stored figure nor a change of two"
        else:
            assert any(abs(value - v) <= 5e-3 * max(1.0, abs(v)) for v in apart) or \
                any(abs(value - v) <= 1e-9 * max(1.0, abs(v)) for v in stored), f"{value} {unit} not in the store"
    return len(found)


def test_key_indicators_are_the_stores_figures(store, brief):
    output = next(i for i in brief["indicators"] if i["code"] == "industrial_output")
    assert output["value"] == 1.38e12 and output["value_text"] == "1,38 трлн тенге"
    assert output["previous"]["value"] == 1.2e12  # 2021, the same period a year before
    assert output["change"] == round((1.38 / 1.2 - 1) * 100, 1) == 15.0
    assert output["period_kind"] == "год"
    assert output["sentence"] == ("Объем промышленного производства за 2022 год составил 1,38 трлн тенге, "
                                  "что на 15% больше, чем годом ранее.")
    source = brief["sources"][output["note"] - 1]
    assert "1,38 трлн тенге" in source["sentence"]
    assert source["url"] == "https://example.kz/more/0"
    assert source["path"] == f"/documents/{store['ids']['more0']}#fact-{store['ids']['more0.0']}"


def test_every_figure_is_footnoted_to_a_sentence_holding_it(brief):
    for ind in brief["indicators"]:
        quoted = brief["sources"][ind["note"] - 1]["sentence"]
        assert any(abs(v - ind["value"]) < 1e-9 * ind["value"] for v, _ in amounts(quoted)), ind["code"]
    assert all(src["sentence"] and src["title"] for src in brief["sources"])


def test_instructions_by_responsible_body_with_the_overdue_first(brief):
    first = brief["instructions"][0]
    assert first["body"] == "акимат" and first["overdue"] == 1 and first["items"][0]["overdue"]
    assert brief["open"] == 2 and brief["overdue"] == 1


def test_plans_against_outcomes(brief):
    housing = next(c for c in brief["commitments"] if c["indicator"] == "Ввод жилья")
    assert (housing["target"], housing["actual"]) == (1.5e6, 1.6e6)
    assert housing["target_text"] == "1,5 млн м²" and housing["actual_note"] is not None


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext missing (make fonts installs it)")
def test_pdf_read_back_holds_the_stores_numbers(store, brief):
    data = render(brief, "pdf")
    assert data.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    assert "Справка о социально-экономическом развитии: Алматы" in " ".join(text.split())
    assert "15 марта 2026 г." in text
    assert check_numbers(text, store["engine"]) >= 8
    flat = " ".join(text.split())
    assert "1,38 трлн тенге" in flat and "201 инвестиционный проект" in flat and "+15%" in flat
    assert "Источники" in text and "https://example.kz/more/0" in flat


def test_docx_read_back_holds_the_stores_numbers(store, brief):
    from docx import Document

    doc = Document(io.BytesIO(render(brief, "docx")))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    paragraphs = [p.text for p in doc.paragraphs]
    text = "\n".join(paragraphs[:next(i for i, p in enumerate(paragraphs) if p == "Источники")] + cells)
    assert check_numbers(text, store["engine"]) >= 8
    assert "1,38 трлн тенге[1]" in cells or any(c.startswith("1,38 трлн тенге[") for c in cells)
    assert len(doc.inline_shapes) >= 1  # the chart, drawn offline as PNG
    assert any(p.startswith("[1] ") and "example.kz" in p for p in paragraphs)


def test_markdown_and_html_say_the_same(brief):
    md, html = render(brief, "md").decode(), render(brief, "html").decode()
    for ind in brief["indicators"]:
        assert ind["sentence"] in md
        assert ind["value_text"] in html
    assert "<svg" in html and "cdn" not in html.lower()


def cli(*args):
    return CliRunner().invoke(create_app(), list(args))


def test_unknown_territory_is_one_line_and_fails(store):
    result = cli("brief", "Нигдеград", "--db", store["url"], "--format", "md", "--no-recompute")
    assert result.exit_code != 0
    assert result.stderr.strip().count("\n") == 0 and result.stderr.startswith("Error: ")
    assert "Traceback" not in result.output


def test_a_territory_without_facts_gets_a_short_briefing(store):
    result = cli("brief", SHYMKENT, "--db", store["url"], "--format", "md", "--no-recompute", "--today", "2026-03-15")
    assert result.exit_code == 0
    assert "Шымкент" in result.stdout and "справку составить не из чего" in result.stdout
    assert "## Ключевые показатели" not in result.stdout


def test_pdf_goes_to_a_default_file_name(store, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("brief", "Алматы", "--db", store["url"], "--format", "docx", "--today", "2026-03-15")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "spravka-750000000-2026-03-15.docx").stat().st_size > 1000


def test_period_limits_the_figures(store):
    brief = build_brief(store["engine"], ALMATY, period="2020", today=TODAY)
    output = next(i for i in brief["indicators"] if i["code"] == "industrial_output")
    assert output["period"] == "2020 г." and output["value"] == 1.3e12  # the larger of two reports, as merged
    assert output["range"] == [1.052e12, 1.3e12]
    assert "1,3 трлн тенге" in brief["sources"][output["note"] - 1]["sentence"]
    assert cli("brief", "Алматы", "--db", store["url"], "--period", "позавчера").exit_code == 1


# ---------------------------------------------------------------- the Russian of the sentences

@pytest.mark.parametrize(("name", "verb"), [
    ("Объем розничной торговли", "составил"), ("Протяженность дорог", "составила"),
    ("Производство электроэнергии", "составило"), ("Инвестиции в основной капитал", "составили"),
])
def test_the_verb_agrees_with_the_indicator(name, verb):
    assert words.verb(name) == verb


@pytest.mark.parametrize(("value", "before", "unit", "clause"), [
    (95.0, 100.0, "KZT", "что на 5% меньше, чем годом ранее"),
    (104.6, 100.0, "KZT", "что на 4,6% больше, чем годом ранее"),
    (250.0, 100.0, "KZT", "что в 2,5 раза больше, чем годом ранее"),
    (4.5, 4.5, "%", "как и годом ранее"),
    (6.1, 5.0, "%", "что на 1,1 п.п. больше, чем годом ранее"),
])
def test_change_clauses(value, before, unit, clause):
    assert words.change_clause(value, before, unit)[1] == clause


@pytest.mark.parametrize(("start", "end", "grain", "phrase"), [
    ((2025, 1, 1), (2025, 6, 30), "half", "за первое полугодие 2025 года"),
    ((2025, 7, 1), (2025, 7, 31), "month", "за июль 2025 года"),
    ((2025, 1, 1), (2025, 5, 31), "range", "за январь–май 2025 года"),
    ((2025, 10, 1), (2025, 12, 31), "quarter", "за IV квартал 2025 года"),
])
def test_period_phrases(start, end, grain, phrase):
    assert words.period_phrase(dt.date(*start), dt.date(*end), grain) == phrase


@pytest.mark.parametrize(("count", "text"), [
    (1, "1 школа"), (3, "3 школы"), (11, "11 школ"), (21, "21 школа"), (1500, "1 500 школ"),
])
def test_counted_objects_agree(count, text):
    assert words.amount(count, "count", "школа") == text


def test_the_briefing_and_the_comparison_on_every_store(engine):
    """The same queries on SQLite and PostgreSQL."""
    from qala.store.compare import compare
    from qala.store.db import transaction

    factories.seed_monitoring(engine, factories.seed_store(engine, today=TODAY))
    recompute_all(engine)
    brief = build_brief(engine, "Алматы", today=TODAY)
    output = next(i for i in brief["indicators"] if i["code"] == "industrial_output")
    assert (output["value"], output["previous"]["value"]) == (1.2e12, 1.3e12)
    assert brief["overdue"] == 1 and brief["sources"][output["note"] - 1]["url"] == "https://example.kz/2"
    with transaction(engine) as session:
        found = compare(session, indicator="industrial_output", period="2020")
    assert [(r["kato"], r["value"]) for r in found["rows"]] == [(ALMATY, 1.3e12)]
    assert len(found["gaps"]) == 19


def test_hostile_titles_and_links_stay_inert_in_html(brief):
    import copy

    hostile = copy.deepcopy(brief)
    hostile["sources"][0].update(title="<script>alert(1)</script>", url="javascript:alert(1)")
    html = render(hostile, "html").decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    assert "javascript:" not in html

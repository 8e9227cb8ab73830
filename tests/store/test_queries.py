"""Read functions: filters, plain dicts, paging counts (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from store_samples import ALMATY, KARAGANDA, fake_extract

from qala.errors import InvalidInput, NotFound
from qala.ingest import ingest_items
from qala.store import queries
from qala.store.ingest import IncomingDocument


@pytest.fixture(scope="module")
def stored(module_engine):
    """One store for the module: these tests only read."""
    ingest_items(module_engine, [
        IncomingDocument(ALMATY, url="https://example.kz/almaty", source="primeminister.kz"),
        IncomingDocument(KARAGANDA, url="https://example.kz/karaganda"),
        IncomingDocument("Новости региона\n" + ALMATY, url="https://copy.kz/1")], extract_fn=fake_extract)
    return module_engine


@pytest.mark.parametrize("filters, expected", [
    ({}, ["industrial_output", "jobs_created", "housing_commissioned", "fixed_capital_investment"]),
    ({"territory": "Алматы"}, ["industrial_output", "jobs_created"]),
    ({"territory": "г. Алматы"}, ["industrial_output", "jobs_created"]),
    ({"territory": "350000000"}, ["housing_commissioned", "fixed_capital_investment"]),
    ({"indicator": "industrial_output"}, ["industrial_output"]),
    ({"indicator": "объемы промышленного производства"}, ["industrial_output"]),
    ({"period": "2021"}, ["jobs_created", "housing_commissioned", "fixed_capital_investment"]),
    ({"period": "2021-01..2021-06"}, ["jobs_created"]),
    ({"period": "2019"}, []),
    ({"territory": "Атлантида"}, []),
])
def test_list_facts_filters(stored, filters, expected):
    rows = queries.list_facts(stored, **filters)
    assert sorted(r["indicator"] for r in rows) == sorted(expected)
    assert queries.count_facts(stored, **filters) == len(expected)


def test_a_fact_row_carries_its_provenance(stored):
    row = queries.list_facts(stored, indicator="industrial_output")[0]
    assert {k: row[k] for k in ("territory", "territory_kato", "period", "period_start", "value", "unit",
                                "change_kind", "change_value", "url", "source", "published")} == {
        "territory": "Алматы", "territory_kato": "750000000", "period": "2020",
        "period_start": dt.date(2020, 1, 1), "value": 1.052e12, "unit": "KZT", "change_kind": "percent",
        "change_value": 4.6, "url": "https://example.kz/almaty", "source": "primeminister.kz",
        "published": dt.date(2021, 2, 4)}
    assert (row["span_start"], row["span_stop"]) == (90, 200)


def test_limit_and_offset(stored):
    everything = queries.list_facts(stored, limit=None)
    assert queries.list_facts(stored, limit=2, offset=1) == everything[1:3]


def test_a_bad_period_is_one_clear_error(stored):
    with pytest.raises(InvalidInput, match="expected a period like 2020"):
        queries.list_facts(stored, period="last summer")


def test_list_persons(stored):
    rows = queries.list_persons(stored)
    assert [r["full_name"] for r in rows] == ["Аскар Мамин", "Бакытжан Сагинтаев"]
    mamin = rows[0]
    assert mamin["documents"] == 2 and [p["title"] for p in mamin["posts"]] == ["Премьер-Министр"]
    assert "А. Мамин" in mamin["forms"]
    assert [r["full_name"] for r in queries.list_persons(stored, name="сагин")] == ["Бакытжан Сагинтаев"]


def test_list_instructions(stored):
    rows = queries.list_instructions(stored, status="new")
    assert [(r["issuer"], r["text"], r["deadline"]) for r in rows] == [
        ("Аскар Мамин", "завершить программу «Новый Алматы»", dt.date(2021, 12, 31))]
    assert queries.list_instructions(stored, status="done") == []


def test_list_and_get_documents(stored):
    docs = queries.list_documents(stored)
    assert [(d["url"], d["status"], d["facts"]) for d in docs] == [
        ("https://example.kz/karaganda", "ok", 2), ("https://copy.kz/1", "duplicate", 0),
        ("https://example.kz/almaty", "ok", 2)]
    assert queries.count_documents(stored, status="duplicate") == 1
    original = docs[2]["id"]
    assert docs[1]["near_duplicate_of"] == original
    doc = queries.get_document(stored, original)
    assert doc["text"] == ALMATY and len(doc["facts"]) == 2 and len(doc["instructions"]) == 1
    assert [p["full_name"] for p in doc["persons"]] == ["Аскар Мамин"]
    assert doc["programs"][0]["name"] == "Новый Алматы"
    assert doc["meetings"][0]["participants"] == [{"name": "Бакытжан Сагинтаев", "role": "participant",
                                                   "person_id": doc["meetings"][0]["participants"][0]["person_id"]}]
    with pytest.raises(NotFound):
        queries.get_document(stored, 10**6)


def test_reference_lists(stored):
    assert {"kato": "750000000", "name": "Алматы", "kind": "city", "parent_kato": "000000000"} in [
        {k: t[k] for k in ("kato", "name", "kind", "parent_kato")} for t in queries.list_territories(stored)]
    codes = {i["code"]: i["parent"] for i in queries.list_indicators(stored)}
    assert codes["manufacturing_output"] == "industrial_output"

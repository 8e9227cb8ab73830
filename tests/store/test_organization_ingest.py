"""Posts get the organization their title names, one row per canonical name (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import event, text
from sqlalchemy.orm import Session
from store_samples import count

from qala import model
from qala.store import dashboard, queries
from qala.store import ingest as store_ingest
from qala.store.ingest import DocumentWriter, IncomingDocument
from qala.store.reference import seed

# Short texts of our own; the persons' spans point at their names.
FIRST = "Министр энергетики Иван Петров рассказал о ремонте трех подстанций в 2022 году."
SECOND = "Министр энергетики РК Иван Петров открыл новую солнечную станцию мощностью 50 МВт."
THIRD = "Аким города Шымкента Самат Ибраев проверил ход строительства двух школ."


def person_doc(body: str, *people: tuple[str, tuple[str, ...]]) -> tuple[IncomingDocument, model.Extraction]:
    persons = tuple(model.Person(name, titles, ((body.index(name), body.index(name) + len(name)),))
                    for name, titles in people)
    return IncomingDocument(body), model.Extraction(document=model.DocumentInfo(published="2022-06-01"),
                                                    persons=persons)


@pytest.fixture
def writer(engine):
    seed(engine)
    with DocumentWriter(engine) as w:
        yield w


def posts(engine) -> list[tuple]:
    with engine.connect() as conn:
        return conn.execute(text(
            "SELECT p.title, o.name, o.kind, t.name FROM posts p "
            "LEFT JOIN organizations o ON o.id = p.organization_id "
            "LEFT JOIN territories t ON t.id = o.territory_id ORDER BY p.id")).all()


def stored(result) -> int:
    assert result.status == "ingested", result.error
    return result.document_id


def test_two_spellings_of_one_ministry_give_one_row_linked_to_both_posts(engine, writer):
    stored(writer.store(*person_doc(FIRST, ("Иван Петров", ("министр энергетики",)))))
    stored(writer.store(*person_doc(SECOND, ("Иван Петров", ("министр энергетики РК",)))))
    assert count(engine, "organizations") == 1
    ministry = ("Министерство энергетики Республики Казахстан", "ministry", "Республика Казахстан")
    assert posts(engine) == [("министр энергетики", *ministry), ("министр энергетики РК", *ministry)]
    with engine.connect() as conn:
        linked = conn.execute(text("SELECT count(DISTINCT organization_id) FROM posts "
                                   "WHERE organization_id IS NOT NULL")).scalar_one()
    assert linked == 1


def test_a_second_writer_finds_the_row_the_first_one_wrote(engine, writer):
    stored(writer.store(*person_doc(FIRST, ("Иван Петров", ("министр энергетики",)))))
    with DocumentWriter(engine) as other:  # knows nothing yet: looks the name up
        stored(other.store(*person_doc(SECOND, ("Иван Петров", ("министр энергетики РК",)))))
    assert count(engine, "organizations") == 1
    assert count(engine, "posts", "WHERE organization_id IS NOT NULL") == 2


def test_an_akim_of_a_city_gets_the_akimat_with_the_city_as_territory(engine, writer):
    stored(writer.store(*person_doc(THIRD, ("Самат Ибраев", ("аким города Шымкента",)))))
    assert posts(engine) == [("аким города Шымкента", "Акимат города Шымкента", "akimat", "Шымкент")]


def test_a_title_naming_no_organization_leaves_the_post_without_one(engine, writer):
    body = "Депутат Иван Петров и министр энергетики Алия Сарсенова обсудили тарифы."
    stored(writer.store(*person_doc(body, ("Иван Петров", ("депутат",)),
                                    ("Алия Сарсенова", ("министр энергетики",)))))
    assert [(title, org) for title, org, _kind, _place in posts(engine)] == [
        ("депутат", None), ("министр энергетики", "Министерство энергетики Республики Казахстан")]
    assert count(engine, "organizations") == 1


def test_a_document_that_fails_to_be_written_leaves_no_organization_and_teaches_nothing(
        engine, writer, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("the disk is full")

    with monkeypatch.context() as patch:
        patch.setattr(store_ingest, "insert_document", broken)  # after the organization was written
        result = writer.store(*person_doc(THIRD, ("Самат Ибраев", ("аким города Шымкента",))))
    assert result.status == "failed" and "the disk is full" in result.error
    assert count(engine, "organizations") == 0 and count(engine, "posts") == 0
    assert count(engine, "documents", "WHERE status = 'failed'") == 1
    # the same writer must not reuse the id of the row that was rolled back
    stored(writer.store(*person_doc(THIRD, ("Самат Ибраев", ("аким города Шымкента",)))))
    assert posts(engine) == [("аким города Шымкента", "Акимат города Шымкента", "akimat", "Шымкент")]
    assert count(engine, "organizations") == 1


def test_a_known_organization_costs_no_statement(engine, writer):
    stored(writer.store(*person_doc(FIRST, ("Иван Петров", ("министр энергетики",)))))
    statements: list[str] = []
    listener = lambda _conn, _cursor, statement, *_args: statements.append(statement)
    event.listen(engine, "before_cursor_execute", listener)
    try:
        stored(writer.store(*person_doc(SECOND, ("Иван Петров", ("министр энергетики РК",)))))
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert statements, "the listener saw nothing"
    assert not [s for s in statements if "INTO organizations" in s or "FROM organizations" in s]
    if engine.dialect.name == "postgresql":
        assert not [s for s in statements if s.startswith("BEGIN")]


def test_the_lists_of_persons_and_posts_name_the_organization(engine, writer):
    body = "Депутат Иван Петров и аким города Шымкента Самат Ибраев обсудили тарифы."
    doc_id = stored(writer.store(*person_doc(body, ("Иван Петров", ("депутат",)),
                                             ("Самат Ибраев", ("аким города Шымкента",)))))
    persons = {p["full_name"]: p["posts"] for p in queries.list_persons(engine)}
    assert [(p["title"], p["organization"]) for p in persons["Самат Ибраев"]] == [
        ("аким города Шымкента", "Акимат города Шымкента")]
    assert persons["Иван Петров"][0]["organization"] is None
    assert [(p["full_name"], p["organization"]) for p in queries.get_document(engine, doc_id)["posts"]] == [
        ("Иван Петров", None), ("Самат Ибраев", "Акимат города Шымкента")]
    with Session(engine) as session:
        detail = dashboard.document_detail(session, document_id=doc_id)
        listed, _ = dashboard.list_posts(session)
    assert {p["name"]: p["organization"] for p in detail["persons"]} == {
        "Иван Петров": None, "Самат Ибраев": "Акимат города Шымкента"}
    assert {p["person"]: p["organization"] for p in listed} == {
        "Иван Петров": None, "Самат Ибраев": "Акимат города Шымкента"}

"""What a document costs the database: statements per document stay under a bound, and the
one-statement PostgreSQL path stores exactly the rows the per-table path stores (SQLite and PostgreSQL)."""

from __future__ import annotations

import dataclasses
import math

from sqlalchemy import event, text
from store_samples import many_releases

from qala import model
from qala.ingest import ingest_items
from qala.store import bulk
from qala.store.ingest import IncomingDocument

# Statements (cursor executes) a new document may cost once the persons, programs and sources it
# names are known: on PostgreSQL the near-duplicate look-up and the document with all its rows,
# meetings and participants included; the connection is in autocommit there, so no BEGIN or COMMIT
# goes to the server besides (a transaction block, when one is needed, is opened by a counted BEGIN).
BOUND = {"postgresql": 2, "sqlite": 13}  # SQLite: one INSERT ... RETURNING per instruction and meeting


NAMES = "Ерлан Карин и Алибек Сапаров. "


def releases(n: int) -> list[IncomingDocument]:
    return [IncomingDocument(NAMES + text, source="akimat.kz") for text in many_releases(n)]


def rich_extraction(doc: IncomingDocument) -> model.Extraction:
    """Every kind of item, several of each (the persons where NAMES puts them; other spans arbitrary)."""
    assert doc.text.startswith(NAMES)
    return model.Extraction(
        document=model.DocumentInfo(published="2022-03-15"),
        persons=(model.Person("Ерлан Карин", ("аким города Алматы",), ((0, 11),)),
                 model.Person("Алибек Сапаров", ("министр энергетики", "вице-министр"), ((14, 28),))),
        facts=(model.Fact("объем промышленного производства", 2 / 3 * 1e12, "KZT", "г. Алматы", "2021", span=(0, 9)),
               model.Fact("рабочие места", 3400, "count", "Алматы", "2021-01..2021-06", object="рабочее место",
                          approx="about", span=(10, 19)),
               model.Fact("инвестиции в основной капитал", None, None, "Алматы", "2021",
                          change=model.Change("percent", 12.0, "up", "2020"), span=(20, 29))),
        instructions=(model.Instruction("завершить строительство школ", "Ерлан Карин", "акиматам", "2022",
                                        span=(30, 39)),
                      model.Instruction("представить отчет", None, deadline="до 1 июля 2022", span=(40, 49))),
        programs=(model.Program("Новый Алматы", "программа", "2020-2024", span=(50, 59)),),
        events=(model.Event("совещание", "о развитии города", "2022-03-14", "Алматы", "Ерлан Карин",
                            participants=("Алибек Сапаров",), speakers=("Ерлан Карин",), topics=("жилье",),
                            span=(60, 69)),
                # a second meeting: each participant must land on its own meeting
                model.Event("прием граждан", None, None, None, None, participants=("Алибек Сапаров", "Ерлан Карин"),
                            topics=("дороги", "школы"), span=(70, 79))),
    )


def _ingest(engine, docs, **options):
    summary = ingest_items(engine, docs, extract_fn=rich_extraction, **options)
    assert (summary.ingested, summary.failed) == (len(docs), 0), summary.errors
    return summary


def test_statements_per_document_stay_under_the_bound(engine):
    statements: list[str] = []
    seen_at: list[int] = []  # statements issued when each document was written
    implicit: set[int] = set()  # statements psycopg wraps in a BEGIN ... COMMIT of its own

    def count(conn, _cursor, statement, *_args) -> None:
        if engine.dialect.name == "postgresql" and not conn.connection.driver_connection.autocommit:
            implicit.add(len(statements))
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        _ingest(engine, releases(12), on_result=lambda _result: seen_at.append(len(statements)))
    finally:
        event.remove(engine, "before_cursor_execute", count)
    # from the third document on, the persons, program and source it names are known to the writer
    steady = statements[seen_at[1]:seen_at[-1]]
    per_document = len(steady) / (len(seen_at) - 2)
    assert per_document <= BOUND[engine.dialect.name], "\n".join(s.split("\n")[0][:100] for s in steady)
    assert not [s for s in steady if s.startswith("BEGIN")], "a known document opened a transaction block"
    assert not implicit & set(range(seen_at[1], seen_at[-1])), "a document's statements ran in an implicit transaction"


TABLES = {  # child rows and the columns that must be the same whichever path wrote them
    "facts": "ordinal, indicator_id, indicator_text, territory_id, territory_text, period, period_start, "
             "period_end, granularity, value, unit, object, approx, change_kind, change_value, "
             "change_direction, change_base_period, span_start, span_stop",
    "person_mentions": "person_id, span_start, span_stop",
    "posts": "person_id, title, organization_id, territory_id, as_of",
    "program_mentions": "program_id, span_start, span_stop",
    "instructions": "ordinal, issuer_id, issuer_text, text, addressee, deadline_text, deadline, status, "
                    "parent_id, repeats_id, span_start, span_stop",
    "meetings": "kind, title, date, place, chair_id, chair_text, CAST(topics AS TEXT), span_start, span_stop",
}


def _rows(engine, document_id: int) -> dict[str, list]:
    with engine.connect() as conn:
        got = {table: conn.execute(text(f"SELECT {columns} FROM {table} WHERE document_id = :d ORDER BY id"),
                                   {"d": document_id}).all() for table, columns in TABLES.items()}
        got["documents"] = conn.execute(text(
            "SELECT fingerprint IS NOT NULL, published, published_text, source_id, language, status, "
            "near_duplicate_of, ingested_at IS NOT NULL, (SELECT count(*) FROM document_bands "
            "WHERE document_id = documents.id) FROM documents WHERE id = :d"), {"d": document_id}).all()
        got["history"] = conn.execute(text(
            "SELECT h.status, h.changed_by, h.note, h.changed_at IS NOT NULL FROM instruction_status_history h "
            "JOIN instructions i ON i.id = h.instruction_id WHERE i.document_id = :d ORDER BY h.id"),
            {"d": document_id}).all()
        got["participants"] = conn.execute(text(
            "SELECT m.span_start, p.name, p.role, p.person_id FROM meeting_participants p "
            "JOIN meetings m ON m.id = p.meeting_id "
            "WHERE m.document_id = :d ORDER BY p.id"), {"d": document_id}).all()
    return got


def test_the_one_statement_path_stores_the_same_rows_as_the_per_table_path(engine, monkeypatch):
    first, second = releases(2)
    with monkeypatch.context() as patch:
        patch.setattr(bulk, "on_postgres", lambda _session: False)  # per table, as on SQLite
        _ingest(engine, [first])
    _ingest(engine, [second])  # the dialect's own path: one statement on PostgreSQL
    with engine.connect() as conn:
        ids = conn.execute(text("SELECT id FROM documents ORDER BY id")).scalars().all()
    per_table, own = _rows(engine, ids[0]), _rows(engine, ids[1])
    assert [len(own[t]) for t in TABLES] == [3, 2, 3, 1, 2, 2]
    assert len(own["history"]) == 2 and own["documents"][0][-1] == 4
    assert [(start, role) for start, _name, role, _pid in own["participants"]] == [
        (60, "speaker"), (60, "participant"), (70, "participant"), (70, "participant")]
    for table in own:
        assert own[table] == per_table[table], table


def test_a_value_json_cannot_carry_is_stored_table_by_table(engine):
    """NaN has no JSON form: that document takes the per-table path (in one block) and is kept whole."""
    def odd(doc: IncomingDocument) -> model.Extraction:
        ex = rich_extraction(doc)
        return dataclasses.replace(ex, facts=(dataclasses.replace(ex.facts[0], value=float("nan")), *ex.facts[1:]))

    summary = ingest_items(engine, releases(1), extract_fn=odd)
    assert (summary.ingested, summary.failed) == (1, 0), summary.errors
    with engine.connect() as conn:
        values = conn.execute(text("SELECT value FROM facts ORDER BY id")).scalars().all()
        meetings = conn.execute(text("SELECT count(*) FROM meetings")).scalar_one()
    assert len(values) == 3 and values[1:] == [3400.0, None] and meetings == 2
    if engine.dialect.name == "postgresql":  # SQLite keeps NaN as NULL
        assert math.isnan(values[0])


def test_a_growing_store_is_analyzed_and_every_document_committed(engine):
    """At 100 documents the writer ANALYZEs (PostgreSQL) and the documents around it are committed,
    also one after it that opens a transaction block (it names a new person)."""
    seen: list[str] = []

    def late_newcomer(doc: IncomingDocument) -> model.Extraction:
        seen.append(doc.text)
        ex = rich_extraction(doc)
        if len(seen) == 103:
            ex = dataclasses.replace(ex, persons=(*ex.persons, model.Person("Данияр Омаров", (), ((0, 5),))))
        return ex

    summary = ingest_items(engine, releases(105), extract_fn=late_newcomer)
    assert (summary.ingested, summary.failed) == (105, 0), summary.errors
    with engine.connect() as conn:  # another connection sees every document whole
        assert conn.execute(text("SELECT count(*) FROM documents")).scalar_one() == 105
        assert conn.execute(text("SELECT count(DISTINCT document_id) FROM facts")).scalar_one() == 105
        assert conn.execute(text("SELECT count(*) FROM persons WHERE full_name = 'Данияр Омаров'")).scalar_one() == 1
        if engine.dialect.name == "postgresql":
            analyzed = conn.execute(text("SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables "
                                         "WHERE relname = 'documents' AND schemaname = current_schema()"))
            assert analyzed.scalar_one()

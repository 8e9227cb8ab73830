"""What a document costs the database: statements per document stay under a bound, and the
one-statement PostgreSQL path stores exactly the rows the per-table path stores (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import event, text
from store_samples import many_releases

from qala import model
from qala.ingest import ingest_items
from qala.store import bulk
from qala.store.ingest import IncomingDocument

# Statements (cursor executes; BEGIN and COMMIT not counted) a new document may cost once the
# persons, programs and sources it names are known: on PostgreSQL the near-duplicate look-up, the
# document with all its rows, its meetings and their participants.
BOUND = {"postgresql": 4, "sqlite": 12}


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
        facts=(model.Fact("объем промышленного производства", 1.5e12, "KZT", "г. Алматы", "2021", span=(0, 9)),
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
                            span=(60, 69)),),
    )


def _ingest(engine, docs, **options):
    summary = ingest_items(engine, docs, extract_fn=rich_extraction, **options)
    assert (summary.ingested, summary.failed) == (len(docs), 0), summary.errors
    return summary


def test_statements_per_document_stay_under_the_bound(engine):
    statements: list[str] = []
    seen_at: list[int] = []  # statements issued when each document was written

    def count(_conn, _cursor, statement, *_args) -> None:
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


TABLES = {  # child rows and the columns that must be the same whichever path wrote them
    "facts": "ordinal, indicator_id, indicator_text, territory_id, territory_text, period, period_start, "
             "period_end, granularity, value, unit, object, approx, change_kind, change_value, "
             "change_direction, change_base_period, span_start, span_stop",
    "person_mentions": "person_id, span_start, span_stop",
    "posts": "person_id, title, organization_id, territory_id, as_of",
    "program_mentions": "program_id, span_start, span_stop",
    "instructions": "ordinal, issuer_id, issuer_text, text, addressee, deadline_text, deadline, status, "
                    "parent_id, repeats_id, span_start, span_stop",
    "meetings": "kind, title, date, place, chair_id, chair_text, span_start, span_stop",
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
            "SELECT p.name, p.role, p.person_id FROM meeting_participants p JOIN meetings m ON m.id = p.meeting_id "
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
    assert [len(own[t]) for t in TABLES] == [3, 2, 3, 1, 2, 1]
    assert len(own["history"]) == 2 and len(own["participants"]) == 2 and own["documents"][0][-1] == 4
    for table in own:
        assert own[table] == per_table[table], table


@pytest.mark.parametrize(("values", "expected"), [
    ([1.5, 2, None], [1.5, 2.0, None]),  # psycopg dumps no list mixing float and int
    ([None, None], [None, None]),
])
def test_a_float_column_is_sent_as_one_array_of_floats(values, expected):
    from qala.store import schema

    got = bulk._column(schema.Fact.__table__, "value", [{"value": v} for v in values])
    assert got == expected and all(v is None or type(v) is float for v in got)

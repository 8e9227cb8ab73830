"""Correcting a stored document's date, title, source and link (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from qala.errors import InvalidInput, NotFound
from qala.store import schema
from qala.store.documents import set_metadata
from qala.store.ingest import IncomingDocument

UNDATED = ("Аким области Серик Шапкенов сообщил, что с начала текущего года в области введено 320 тысяч "
           "квадратных метров жилья. Он поручил до конца года сдать две новые школы.")


def _real_ingest(ingest, *docs):
    from qala.ingest.batch import extract_document

    return ingest(*docs, extract_fn=extract_document)


def _doc(engine):
    with Session(engine) as s:
        doc = s.scalars(select(schema.Document)).one()
        periods = sorted(p or "" for p in s.scalars(select(schema.Fact.period)))
        return doc, periods


def test_a_date_given_later_rereads_the_periods_and_is_audited(engine, ingest):
    _real_ingest(ingest, IncomingDocument(UNDATED))
    doc, before = _doc(engine)
    assert doc.published is None and before and all(not p.startswith("2024") for p in before)
    changes = set_metadata(engine, doc.id, user="aigerim", published="2024-10-03", title="Итоги девяти месяцев")
    assert {(c.field, c.before, c.after) for c in changes} == {
        ("published", None, "2024-10-03"), ("title", None, "Итоги девяти месяцев")}
    doc, after = _doc(engine)
    assert doc.published.isoformat() == "2024-10-03" and doc.title == "Итоги девяти месяцев"
    assert after != before and all(p.startswith("2024") for p in after)
    with Session(engine) as s:
        trail = s.execute(select(schema.Review.field, schema.Review.user, schema.Review.item_kind)).all()
    assert sorted(trail) == [("published", "aigerim", "document"), ("title", "aigerim", "document")]
    assert set_metadata(engine, doc.id, user="aigerim", published="2024-10-03") == []  # nothing new


def test_ingesting_the_same_text_again_fills_what_it_lacked(engine, ingest):
    _real_ingest(ingest, IncomingDocument(UNDATED, title="Первый заголовок"))
    summary = _real_ingest(ingest, IncomingDocument(UNDATED, published="2024-10-03", source="akorda.kz",
                                                    title="Другой заголовок", url="https://akorda.kz/news/1"))
    assert summary.duplicates == 1
    doc, periods = _doc(engine)
    assert doc.published.isoformat() == "2024-10-03" and doc.url == "https://akorda.kz/news/1"
    assert doc.title == "Первый заголовок"  # a title it had is kept
    with Session(engine) as s:
        assert s.get(schema.Source, doc.source_id).name == "akorda.kz"
    assert all(p.startswith("2024") for p in periods)


@pytest.mark.parametrize("fields, message", [
    ({"published": "9999-12-31"}, "year from 1900"),
    ({"published": "вчера"}, "published"),
    ({"url": "javascript:alert(1)//"}, "url"),
    ({"title": "a\x00b"}, "title"),
    ({"colour": "red"}, "fields"),
])
def test_bad_metadata_is_refused_and_nothing_changes(engine, ingest, fields, message):
    _real_ingest(ingest, IncomingDocument(UNDATED))
    doc, before = _doc(engine)
    with pytest.raises(InvalidInput, match=message):
        set_metadata(engine, doc.id, user="x", **fields)
    again, after = _doc(engine)
    assert (again.published, again.title, again.url, after) == (None, None, None, before)


def test_an_unknown_document_is_not_found(engine):
    with pytest.raises(NotFound):
        set_metadata(engine, 999, user="x", title="t")


def test_cli_documents_set(engine, ingest, db_url):
    from typer.testing import CliRunner

    from qala.cli import create_app

    _real_ingest(ingest, IncomingDocument(UNDATED))
    doc, _ = _doc(engine)
    runner = CliRunner()
    ok = runner.invoke(create_app(), ["documents", "set", str(doc.id), "--published", "2024-10-03", "--db", db_url])
    assert ok.exit_code == 0 and "published: — -> 2024-10-03" in ok.stdout
    bad = runner.invoke(create_app(), ["documents", "set", str(doc.id), "--published", "31.12.9999", "--db", db_url])
    assert bad.exit_code == 1 and "published" in bad.stderr and "Traceback" not in bad.output

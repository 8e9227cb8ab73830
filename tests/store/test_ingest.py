"""Ingest: one transaction per document, duplicates kept once, failures recorded (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from store_samples import ALMATY, KARAGANDA, count, fake_extract

from qala import model
from qala.ingest import ReadFailure
from qala.ingest.readers import read_items, record
from qala.store import schema
from qala.store.ingest import IncomingDocument, content_hash, simhash


def test_facts_are_stored_with_resolved_indicator_territory_and_period(engine, ingest):
    summary = ingest(IncomingDocument(ALMATY, url="https://example.kz/1", source="primeminister.kz"))
    assert (summary.ingested, summary.duplicates, summary.failed) == (1, 0, 0)
    with Session(engine) as s:
        facts = s.execute(select(schema.Fact, schema.Indicator.code, schema.Territory.kato)
                          .join(schema.Indicator).join(schema.Territory).order_by(schema.Fact.ordinal)).all()
        doc = s.scalars(select(schema.Document)).one()
        assert doc.published == dt.date(2021, 2, 4) and doc.source.name == "primeminister.kz"
        assert doc.content_hash == content_hash(ALMATY) and doc.status == "ok"
    got = [(code, kato, f.period_start, f.period_end, f.granularity, f.value, f.change_value)
           for f, code, kato in facts]
    assert got == [
        ("industrial_output", "750000000", dt.date(2020, 1, 1), dt.date(2020, 12, 31), "year", 1.052e12, 4.6),
        ("jobs_created", "750000000", dt.date(2021, 1, 1), dt.date(2021, 6, 30), "half", 35400.0, None),
    ]


def test_the_same_text_twice_adds_nothing(engine, ingest):
    ingest(IncomingDocument(ALMATY))
    summary = ingest(IncomingDocument(ALMATY), IncomingDocument("  " + ALMATY.replace("\n", "\n\n")))
    assert (summary.ingested, summary.duplicates) == (0, 2)
    assert count(engine, "documents") == 1 and count(engine, "facts") == 2


def test_a_republished_release_is_linked_and_its_facts_not_counted_again(engine, ingest):
    ingest(IncomingDocument(ALMATY))
    copy = "Новости региона\n" + ALMATY.replace("провел в Алматы", "провел в южной столице")
    summary = ingest(IncomingDocument(copy, url="https://other.kz/news/7"))
    assert (summary.ingested, summary.duplicates) == (0, 1)
    with Session(engine) as s:
        first, second = s.scalars(select(schema.Document).order_by(schema.Document.id)).all()
    assert (second.status, second.near_duplicate_of) == ("duplicate", first.id)
    assert count(engine, "facts") == 2 and count(engine, "instructions") == 1


def test_a_template_release_with_new_figures_is_a_new_document(engine, ingest):
    ingest(IncomingDocument(ALMATY))
    newer = ALMATY.replace("4,6%", "5,3%").replace("1,052 трлн", "1,24 трлн")
    assert (simhash(newer) ^ simhash(ALMATY)).bit_count() <= 8  # same wording...
    summary = ingest(IncomingDocument(newer))
    assert summary.ingested == 1  # ...but news
    assert count(engine, "documents", "WHERE status = 'ok'") == 2 and count(engine, "facts") == 4


def test_persons_merge_across_documents_and_keep_their_name_forms(engine, ingest):
    ingest(IncomingDocument(ALMATY), IncomingDocument(KARAGANDA))
    with Session(engine) as s:
        persons = s.scalars(select(schema.Person.full_name).order_by(schema.Person.full_name)).all()
        mamin = s.scalar(select(schema.Person).where(schema.Person.full_name == "Аскар Мамин"))
        forms = set(s.scalars(select(schema.PersonName.form).where(schema.PersonName.person_id == mamin.id)))
        mentions = s.scalar(select(schema.PersonMention.document_id).where(
            schema.PersonMention.person_id == mamin.id).distinct().limit(5).order_by(None))
        posts = s.scalars(select(schema.Post.title).where(schema.Post.person_id == mamin.id)).all()
    assert persons == ["Аскар Мамин", "Бакытжан Сагинтаев"]
    assert {"Аскар Мамин", "А. Мамин"} <= forms
    assert mentions is not None and posts == ["Премьер-Министр"]
    assert count(engine, "person_mentions") == 3


def test_initials_first_then_the_full_name_become_one_person(engine, ingest):
    ingest(IncomingDocument(KARAGANDA))
    ingest(IncomingDocument(ALMATY))
    with Session(engine) as s:
        names = s.scalars(select(schema.Person.full_name).where(schema.Person.surname == "мамин")).all()
    assert names == ["Аскар Мамин"]


def test_instructions_programs_and_meetings(engine, ingest):
    ingest(IncomingDocument(ALMATY), IncomingDocument(KARAGANDA))
    with Session(engine) as s:
        instruction = s.scalars(select(schema.Instruction)).one()
        history = s.scalars(select(schema.InstructionStatus.status)).all()
        issuer = s.get(schema.Person, instruction.issuer_id)
        meeting = s.scalars(select(schema.Meeting)).one()
        participants = s.scalars(select(schema.MeetingParticipant.name)).all()
        chair = s.get(schema.Person, meeting.chair_id)
    assert (instruction.status, instruction.deadline, history) == ("new", dt.date(2021, 12, 31), ["new"])
    assert issuer.full_name == "Аскар Мамин" and chair.full_name == "Аскар Мамин"
    assert (meeting.kind, meeting.date, participants) == ("совещание", dt.date(2021, 2, 4), ["Бакытжан Сагинтаев"])
    assert count(engine, "programs") == 1 and count(engine, "program_mentions") == 2


def test_a_failing_document_is_recorded_and_the_rest_go_on(engine, ingest):
    broken = IncomingDocument("Текст, который должен сломать извлечение.", path="bad.txt")
    summary = ingest(broken, IncomingDocument(ALMATY))
    assert (summary.ingested, summary.failed) == (1, 1)
    assert summary.errors == ["bad.txt: cannot extract: RuntimeError: extractor broke"]
    with Session(engine) as s:
        failed = s.scalars(select(schema.Document).where(schema.Document.status == "failed")).one()
    assert failed.error == "cannot extract: RuntimeError: extractor broke" and failed.text == broken.text
    # Run again with an extractor that works: the failure is retried, not counted as a duplicate.
    summary = ingest(broken, extract_fn=lambda doc: model.Extraction())
    assert summary.ingested == 1 and count(engine, "documents", "WHERE status = 'failed'") == 0


def test_a_write_that_fails_midway_leaves_no_half_written_document(engine, ingest):
    def half_bad(doc):
        good = fake_extract(doc)  # facts are written before instructions; the instruction is invalid
        return model.Extraction(document=good.document, facts=good.facts,
                                instructions=(model.Instruction(text=None),))

    summary = ingest(IncomingDocument(ALMATY), extract_fn=half_bad)
    assert summary.failed == 1 and "cannot store" in summary.errors[0]
    assert count(engine, "facts") == 0 and count(engine, "documents", "WHERE status = 'ok'") == 0
    assert count(engine, "documents", "WHERE status = 'failed'") == 1


def test_read_failures_are_recorded_once_per_input(engine, ingest):
    failure = ReadFailure("feed.jsonl:3", 'feed.jsonl:3: expected a record with "text", got none')
    ingest(failure)
    summary = ingest(failure, IncomingDocument(KARAGANDA))
    assert (summary.ingested, summary.failed) == (1, 1)
    assert summary.errors == ['feed.jsonl:3: expected a record with "text", got none']
    assert count(engine, "documents", "WHERE status = 'failed'") == 1


@pytest.mark.parametrize("text, year, kato", [
    ("г. Алматы", 2021, "750000000"),
    ("Нур-Султане", 2020, "710000000"),
])
def test_fact_territory_uses_the_document_year(engine, ingest, text, year, kato):
    doc = IncomingDocument(f"Документ {year} года о территории {text}.", published=f"{year}-05-01")

    def one_fact(_doc):
        return model.Extraction(facts=(model.Fact("население", 1000, "count", text, str(year)),))

    ingest(doc, extract_fn=one_fact)
    with Session(engine) as s:
        assert s.scalar(select(schema.Territory.kato).join(schema.Fact)) == kato


# ---------------------------------------------------------------- readers (no database)


@pytest.mark.parametrize("line, expected", [
    ('{"text": "Текст.", "url": "https://gov.kz/u", "published": "2021-02-04T10:00:00", "source": "gov.kz"}',
     IncomingDocument("Текст.", url="https://gov.kz/u", published="2021-02-04", source="gov.kz", path="f:1")),
    ('{"text": "Текст.", "url": "JavaScript:alert(1)//"}',
     "f:1: invalid url: expected an http:// or https:// address, got 'JavaScript:alert(1)//'"),
    ('{"text": "Текст\\u0000 с нулём"}', ("f:1: invalid text: expected text without NUL characters or lone "
                                          "surrogates, got a NUL character (U+0000) at position 6")),
    ('{"text": "Текст", "title": "\\ud800"}', ("f:1: invalid title: expected text without NUL characters or "
                                             "lone surrogates, got a lone surrogate (U+D800) at position 1")),
    ('{"text": "Текст", "published": "9999-12-31"}',
     "f:1: invalid published: expected a year from 1900 to 2100, got '9999-12-31'"),
    ('{"text": "<p>Из <b>разметки</b></p>", "title": null}', IncomingDocument("Из разметки", path="f:1")),
    ('{"text": "Текст", "published": "вчера"}', "f:1: invalid published: expected a date like 2021-02-04 or 2021-02, got 'вчера'"),
    ('{"text": "   "}', 'f:1: expected a record with "text", got only whitespace'),
    ('{"text": 5}', 'f:1: expected a record with "text", got int'),
    ('{"text": "Текст", "url": 5}', "f:1: expected 'url' as a string, got int"),
    ('["text"]', "f:1: expected a JSON object, got list"),
    ('{"text": ', "f:1: expected a JSON object, got malformed JSON (Expecting value at column 10)"),
])
def test_jsonl_record(line, expected):
    got = record(line, "f:1")
    assert got == expected if isinstance(expected, IncomingDocument) else got.error == expected


def test_folders_are_read_recursively_and_html_loses_its_markup(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "page.html").write_text("<html><body><p>Абзац один.</p><p>Два.</p></body></html>",
                                                   encoding="utf-8")
    (tmp_path / "a" / "note.txt").write_bytes("Текст в cp1251.".encode("cp1251"))
    (tmp_path / "a" / "x.gold.json").write_text("{}", encoding="utf-8")
    items = list(read_items([tmp_path]))
    assert [(i.path.removeprefix(str(tmp_path)), i.text) for i in items] == [
        ("/a/b/page.html", "Абзац один.\nДва."), ("/a/note.txt", "Текст в cp1251.")]


def test_a_file_that_failed_to_read_is_forgotten_once_read(engine, ingest):
    ingest(ReadFailure("notes/a.txt", "notes/a.txt: permission denied"))
    summary = ingest(IncomingDocument(KARAGANDA, path="notes/a.txt"))
    assert summary.ingested == 1 and count(engine, "documents", "WHERE status = 'failed'") == 0


def test_a_duplicate_reports_the_stored_document(engine, ingest):
    results = []
    ingest(IncomingDocument(ALMATY), on_result=results.append)
    ingest(IncomingDocument(ALMATY), on_result=results.append)
    assert [r.status for r in results] == ["ingested", "duplicate"]
    assert results[0].document_id is not None and results[1].document_id == results[0].document_id


def _simhash_by_the_book(text: str) -> int:
    """The fingerprint spelled out slowly: per word, figures to "0"; bigrams; blake2b; bit votes."""
    import hashlib
    import re

    tokens = [re.sub(r"\d+(?:[.,]\d+)*", "0", w) for w in re.findall(r"\w+", text.lower())]
    grams = [" ".join(tokens[i:i + 2]) for i in range(max(1, len(tokens) - 1))]
    votes = [0] * 64
    for gram in grams:
        value = int.from_bytes(hashlib.blake2b(gram.encode("utf-8"), digest_size=8).digest(), "big")
        for bit in range(64):
            votes[bit] += 1 if value >> (63 - bit) & 1 else -1
    return int("".join("1" if v > 0 else "0" for v in votes), 2)


@pytest.mark.parametrize("text", [ALMATY, KARAGANDA, "", "одно", "12", "рост 1,5% и 2.7 раза", "x2 y3.4 z",
                                  "цифры ٣٤ и ١٢", "Ёлка 2020-го года"])
def test_simhash_keeps_the_fingerprints_already_stored(text):
    """Fingerprints live in the database: a faster simhash must give the very same bits."""
    assert simhash(text) == _simhash_by_the_book(text)

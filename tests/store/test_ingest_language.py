"""Texts that are not Russian, arriving as files or JSON Lines: stored, listed as not read yet,
never fed to the Russian extractor; a Kazakh release and its Russian version are linked."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from qala.ingest import ingest_paths
from qala.ingest.batch import extract_document
from qala.sources.queries import unread_documents
from qala.store import schema

RUSSIAN = ("Аким области провел совещание по итогам девяти месяцев. Объем инвестиций в основной капитал "
           "составил 412,5 млрд тенге, построено 1 250 тыс. квадратных метров жилья, открыто 3 400 рабочих мест.")
KAZAKH = ("Облыс әкімі тоғыз айдың қорытындысы бойынша кеңес өткізді. Негізгі капиталға салынған "
          "инвестиция көлемі 412,5 млрд теңгені құрады, 1 250 мың шаршы метр тұрғын үй салынды, "
          "3 400 жұмыс орны ашылды.")
ENGLISH = ("The regional governor held a meeting on the results of nine months. Investment in fixed "
           "capital reached 412.5 billion tenge.")


def test_the_default_step_does_not_read_kazakh_or_english():
    from qala.store.ingest import IncomingDocument

    for text, language in ((KAZAKH, "kk"), (ENGLISH, "en")):
        ex = extract_document(IncomingDocument(text, published="2024-10-15"))
        assert ex.document.language == language
        assert (ex.facts, ex.persons, ex.instructions) == ((), (), ())
    assert extract_document(IncomingDocument(RUSSIAN)).facts  # Russian is read


def test_files_in_kazakh_and_english_are_stored_unread(engine, tmp_path):
    for name, text in (("ru.txt", RUSSIAN), ("kk.txt", KAZAKH), ("en.txt", ENGLISH)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    summary = ingest_paths(engine, [str(tmp_path)])
    assert (summary.ingested, summary.unread, summary.failed) == (1, 2, 0)
    with Session(engine) as s:
        docs = {d.path.rsplit("/", 1)[-1]: d for d in s.scalars(select(schema.Document))}
        facts_by_doc = {doc_id for (doc_id,) in s.execute(select(schema.Fact.document_id))}
    assert {n: (d.language, d.status) for n, d in docs.items()} == {
        "ru.txt": ("ru", "ok"), "kk.txt": ("kk", "unread"), "en.txt": ("en", "unread")}
    assert facts_by_doc == {docs["ru.txt"].id}
    listed = {d["id"] for d in unread_documents(engine)}
    assert listed == {docs["kk.txt"].id, docs["en.txt"].id}


def _ingest_pair(engine, tmp_path, kazakh_day: str) -> tuple[dict[str, int], list[set[int]]]:
    feed = tmp_path / "releases.jsonl"
    rows = [{"text": RUSSIAN, "published": "2024-10-15", "source": "akimat.example.kz", "url": "https://a.kz/ru/1"},
            {"text": KAZAKH, "published": kazakh_day, "source": "akimat.example.kz", "url": "https://a.kz/kk/1"}]
    feed.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    summary = ingest_paths(engine, [str(feed)])
    assert (summary.ingested, summary.unread, summary.failed) == (1, 1, 0)
    with Session(engine) as s:
        ids = {d.url: d.id for d in s.scalars(select(schema.Document))}
        links = s.execute(select(schema.DocumentTranslation.document_id,
                                 schema.DocumentTranslation.translation_of)).all()
    return ids, [set(link) for link in links]


def test_a_kazakh_release_and_its_russian_version_are_linked_as_translations(engine, tmp_path):
    ids, links = _ingest_pair(engine, tmp_path, "2024-10-15")
    assert links == [{ids["https://a.kz/ru/1"], ids["https://a.kz/kk/1"]}]


def test_the_same_figures_on_another_day_are_not_one_release(engine, tmp_path):
    assert _ingest_pair(engine, tmp_path, "2024-10-16")[1] == []


def test_the_smaller_of_one_documents_figures_for_one_point_are_its_parts(engine, tmp_path):
    from qala.scope import OBJECT, PART, TERRITORY

    (tmp_path / "housing.txt").write_text(
        "Аким Карагандинской области подвел итоги 2024 года. В 2024 году в области введено 820 тыс. "
        "квадратных метров жилья, в том числе в сельской местности введено 310 тыс. квадратных метров жилья. "
        "В 2023 году было введено 760 тыс. квадратных метров жилья.\n", encoding="utf-8")
    assert ingest_paths(engine, [str(tmp_path)]).ingested == 1
    with Session(engine) as s:
        got = {f.value: (f.period, f.scope, f.scope_name) for f in s.scalars(select(schema.Fact))}
    assert got[820000.0] == ("2024", TERRITORY, None)
    assert got[310000.0] == ("2024", OBJECT, PART)
    assert got[760000.0] == ("2023", TERRITORY, None)  # another period: no part of the 2024 figure

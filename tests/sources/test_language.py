"""Language per document: Kazakh and English stored as not read yet, and a Kazakh release linked to its Russian one."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qala.ingest.language import detect
from qala.sources import Collector, fetch_urls
from qala.sources.queries import unread_documents
from qala.store import schema


@pytest.mark.parametrize(("text", "language"), [
    ("Аким области провел рабочую встречу с представителями бизнеса.", "ru"),
    ("Облыс әкімі бизнес өкілдерімен жұмыс кездесуін өткізді.", "kk"),
    ("Қарағанды облысында 2023 жылы 21 400 жаңа жұмыс орны ашылды.", "kk"),
    ("The regional governor met business representatives.", "en"),
    # a Russian text naming a Kazakh place or person stays Russian
    (("Аким Жамбылской области посетил район Байзақ и встретился с жителями села Сарыкемер, где "
     "обсудили ремонт дорог, строительство школы и водоснабжение."), "ru"),
    ("", "ru"),
])
def test_detect(text, language):
    assert detect(text) == language


def test_kazakh_and_english_pages_are_stored_unread_and_not_extracted(site, fetcher, engine):
    calls: list[str] = []

    def extract_spy(doc):
        from qala.ingest.batch import extract_document

        calls.append(doc.url)
        return extract_document(doc)

    kk = site.page("/kk/press/news/details/501", "akimat-kk.html")
    en = site.page("/en/news/1", "english.html")
    with Collector(engine, fetcher=fetcher, extract_fn=extract_spy) as collector:
        outcomes = [collector.fetch(kk), collector.fetch(en)]
    assert [(o.status, o.language) for o in outcomes] == [("unread", "kk"), ("unread", "en")]
    assert calls == []
    with Session(engine) as session:
        docs = session.execute(select(schema.Document.status, schema.Document.language)
                               .order_by(schema.Document.id)).all()
        assert [tuple(d) for d in docs] == [("unread", "kk"), ("unread", "en")]
        assert session.scalar(select(func.count(schema.Fact.id))) == 0
    listed = unread_documents(engine)
    assert [(r["language"], r["title"]) for r in listed] == [
        ("en", "Almaty industry grew by 5.2% in nine months"),
        ("kk", "Тоғыз айдың қорытындысы: Алматы өнеркәсібі 5,2%-ға өсті")]


def test_the_same_release_in_kazakh_and_russian_is_linked_as_translations(site, fetcher, engine):
    ru = site.page("/ru/press/news/details/500", "akimat.html")
    kk = site.page("/kk/press/news/details/501", "akimat-kk.html")
    other_day = site.page("/ru/news/400", "government.html")  # another release: no link
    summary = fetch_urls(engine, [kk, other_day, ru], fetcher=fetcher)
    assert summary.counts == {"unread": 1, "ingested": 2}
    with Session(engine) as session:
        ids = {url: doc_id for url, doc_id in session.execute(select(schema.Document.url, schema.Document.id))}
        links = session.execute(select(schema.DocumentTranslation.document_id,
                                       schema.DocumentTranslation.translation_of)).all()
    assert [tuple(link) for link in links] == [(ids[ru], ids[kk])]
    assert unread_documents(engine)[0]["translation_of"] == ids[ru]


def test_a_kazakh_text_with_other_figures_is_not_linked(site, fetcher, engine):
    ru = site.page("/ru/press/news/details/500", "akimat.html")
    from localsite import PAGES

    changed = (PAGES / "akimat-kk.html").read_text(encoding="utf-8")
    for old, new in [("2,9", "3,4"), ("105,2", "101,8"), ("12,4", "7,7"), ("1,1", "0,8"), ("1,6", "1,2"),
                     ("4,7", "4,9")]:
        changed = changed.replace(old, new)
    kk = site.route("/kk/press/news/details/777", changed)
    assert fetch_urls(engine, [ru, kk], fetcher=fetcher).counts == {"ingested": 1, "unread": 1}
    with Session(engine) as session:
        assert session.scalar(select(func.count(schema.DocumentTranslation.id))) == 0


def test_cli_unread_lists_them(site, tmp_path):
    from typer.testing import CliRunner

    from qala.cli import create_app

    kk = site.page("/kk/press/news/details/501", "akimat-kk.html")
    db = f"sqlite:///{tmp_path / 'q.sqlite3'}"
    app = create_app()
    runner = CliRunner()
    assert runner.invoke(app, ["fetch", kk, "--db", db, "--delay", "0"]).exit_code == 0
    result = runner.invoke(app, ["unread", "--db", db])
    assert result.exit_code == 0
    assert f"kk  2024-10-15  {kk}  «Тоғыз айдың қорытындысы" in result.output

"""Fetching one page from the local site: main text, title, date, language, and the ingest that follows."""

from __future__ import annotations

import itertools
import time

import httpx
import pytest
from localsite import PAGES
from sqlalchemy import select
from sqlalchemy.orm import Session

from qala.ingest.batch import extract_document
from qala.sources import Fetcher, fetch_urls
from qala.sources.page import read_page
from qala.store import schema
from qala.store.ingest import IncomingDocument

# fixture, encoding, title, date, language, clean text (None: not Russian)
FIXTURES = [
    ("akimat.html", "utf-8", "Итоги девяти месяцев: промышленность Алматы выросла на 5,2%", "2024-10-15", "ru",
     "akimat.txt"),
    ("government.html", "utf-8", "Рост экономики страны за два месяца составил 4,1%", "2024-03-12", "ru",
     "government.txt"),
    ("agency.html", "utf-8", "Объем строительных работ в Шымкенте вырос на 18,6%", "2023-07-20", "ru", "agency.txt"),
    ("regional.html", "cp1251", "Промышленность области за год: 4,8 трлн тенге", "2024-02-05", "ru", "regional.txt"),
    ("akimat-kk.html", "utf-8", "Тоғыз айдың қорытындысы: Алматы өнеркәсібі 5,2%-ға өсті", "2024-10-15", "kk", None),
    ("english.html", "utf-8", "Almaty industry grew by 5.2% in nine months", "2024-10-16", "en", None),
]

# figures that sit in menus, widgets, comments, related news and footers of the fixtures: never read
WIDGET_NUMBERS = ["478,50", "521,30", "1 284", "2 300 000", "1 200 мест", "45 км", "2,5 млрд", "8 млн тонн",
                  "120 новых", "на 14%", "78,4", "990", "на 25%", "на 40%", "100 тысяч", "3 517", "скидкой 30%",
                  "на 7%", "12 000", "271-66-56", "74-50-50", "5 новых больниц", "на 3%", "за 2 года"]


def figures_of(text: str, published: str) -> set[tuple]:
    from qala.extractor import extract

    facts = extract(text, published).facts
    return {(f.indicator, f.value, f.unit, f.period, f.territory,
             (f.change.kind, f.change.value) if f.change else None) for f in facts}


@pytest.mark.parametrize(("fixture", "encoding", "title", "date", "language", "clean"), FIXTURES,
                         ids=[f[0] for f in FIXTURES])
def test_fixture_page_gives_its_title_date_language_and_only_its_main_text(
        site, fetcher, fixture, encoding, title, date, language, clean):
    content_type = "text/html" if encoding != "utf-8" else None  # the charset only in the page's meta tag
    url = site.page("/news/" + fixture, fixture, encoding=encoding, content_type=content_type)
    fetched = fetcher.get(url)
    page = read_page(fetched.text(), fetched.final_url)
    assert (page.title, page.published, page.language, page.site) == (title, date, language, "127.0.0.1")
    for number in WIDGET_NUMBERS:
        assert number not in page.text, f"{number!r} from the page's chrome got into the main text"
    for chrome in ("Главная", "cookie", "Читайте также", "Комментарии", "Поделиться", "Похожие новости", "©"):
        assert chrome not in page.text
    if clean:
        expected = figures_of((PAGES / clean).read_text(encoding="utf-8"), date)
        got = figures_of(page.text, date)
        assert len(expected) >= 3, "the clean text should carry several figures"
        assert len(expected & got) / len(expected) >= 0.95
        assert got <= expected, f"figures not in the clean text: {got - expected}"


def test_date_falls_back_to_the_dateline_when_the_page_has_no_metadata(site, fetcher):
    url = site.page("/news/regional", "regional.html", encoding="cp1251", content_type="text/html")
    page = read_page(fetcher.get(url).text(), url)
    assert (page.published, page.date_from) == ("2024-02-05", "dateline")
    page = read_page((PAGES / "akimat.html").read_text(encoding="utf-8"), url)
    assert page.date_from == "metadata"


def test_fetched_page_is_ingested_once_with_title_date_source_and_figures(site, fetcher, engine):
    url = site.page("/ru/press/news/details/500", "akimat.html")
    summary = fetch_urls(engine, [url], fetcher=fetcher)
    assert summary.counts == {"ingested": 1}
    with Session(engine) as session:
        doc = session.scalar(select(schema.Document))
        assert (doc.url, doc.title, doc.published.isoformat(), doc.language, doc.status) == (
            url, "Итоги девяти месяцев: промышленность Алматы выросла на 5,2%", "2024-10-15", "ru", "ok")
        assert doc.source.name == "127.0.0.1"
        assert not doc.text.startswith("Итоги девяти месяцев")  # the headline is the title, not the body
        values = set(session.scalars(select(schema.Fact.value).where(schema.Fact.document_id == doc.id)))
        assert {2.9e12, 1.1e12} <= values
        item = session.scalar(select(schema.SourceItem))
        assert (item.url, item.status, item.document_id, item.error) == (url, "ingested", doc.id, None)
    again = fetch_urls(engine, [url], fetcher=fetcher)
    assert again.counts == {"unchanged": 1}
    with Session(engine) as session:
        assert len(session.scalars(select(schema.Document)).all()) == 1


def test_extraction_in_a_process_of_its_own_stores_what_extraction_here_stores(site, fetcher, engine):
    pages = [site.page(f"/ru/news/{n}", name) for n, name in enumerate(("akimat.html", "government.html",
                                                                         "agency.html", "akimat-kk.html"))]
    summary = fetch_urls(engine, pages, fetcher=fetcher, workers=1)
    assert summary.counts == {"ingested": 3, "unread": 1} and summary.extract_seconds > 0
    with Session(engine) as session:
        stored = {url: sorted(session.scalars(select(schema.Fact.value).join(schema.Document)
                                              .where(schema.Document.url == url)), key=str) for url in pages}
    for url in pages[:3]:
        fetched = fetcher.get(url)
        page = read_page(fetched.text(), fetched.final_url)
        here = sorted((f.value for f in extract_document(IncomingDocument(page.text, published=page.published)).facts),
                      key=str)
        assert stored[url] == here and here
    assert stored[pages[3]] == []  # Kazakh: kept, not read


def test_conditional_request_with_etag_and_last_modified(site, fetcher, engine):
    body = (PAGES / "agency.html").read_bytes()
    validators = {"ETag": '"v1"', "Last-Modified": "Thu, 20 Jul 2023 04:00:00 GMT"}

    def page(request):
        if request.headers.get("if-none-match") == '"v1"':
            return 304, validators, b""
        return 200, {"Content-Type": "text/html; charset=utf-8", **validators}, body

    url = site.route("/ru/regions/78", page)
    assert fetch_urls(engine, [url], fetcher=fetcher).counts == {"ingested": 1}
    assert fetch_urls(engine, [url], fetcher=fetcher).counts == {"unchanged": 1}
    last = site.hits("/ru/regions/78")[-1]
    assert last.headers["if-none-match"] == '"v1"'
    assert last.headers["if-modified-since"] == "Thu, 20 Jul 2023 04:00:00 GMT"


def test_user_agent_robots_and_rate_limit(site, engine):
    site.route("/robots.txt", "User-agent: *\nDisallow: /private/\n", headers={"Content-Type": "text/plain"})
    site.page("/private/1", "akimat.html")
    allowed = site.page("/ru/1", "government.html")
    other = site.page("/ru/2", "agency.html")
    sent: list[float] = []

    class Recording(httpx.HTTPTransport):  # when each request leaves the client
        def handle_request(self, request):
            sent.append(time.monotonic())
            return super().handle_request(request)

    with Fetcher(timeout=2.0, delay=0.3, transport=Recording()) as polite:
        summary = fetch_urls(engine, [site.url("/private/1"), allowed, other], fetcher=polite)
    assert summary.counts == {"ingested": 2, "failed": 1}
    assert "robots.txt" in summary.errors[0] and "disallows" in summary.errors[0]
    assert site.hits("/private/1") == []
    assert all(r.headers["user-agent"].startswith("QalaBot/") for r in site.requests)
    assert len(sent) == 3  # robots.txt, /ru/1 and /ru/2, whatever their order
    assert all(later - earlier >= 0.29 for earlier, later in itertools.pairwise(sorted(sent)))


def test_since_skips_older_releases(site, fetcher, engine):
    old = site.page("/ru/old", "agency.html")  # 2023-07-20
    new = site.page("/ru/new", "akimat.html")  # 2024-10-15
    summary = fetch_urls(engine, [old, new], fetcher=fetcher, since="2024-01-01")
    assert summary.counts == {"skipped": 1, "ingested": 1}

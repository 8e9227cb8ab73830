"""Faults of the web: each gives a recorded error or a correct document, never a traceback or a stuck run."""

from __future__ import annotations

import time

import pytest
from localsite import PAGES
from sqlalchemy import select
from sqlalchemy.orm import Session

from qala.sources import Fetcher, FetchError, SourceSpec, fetch_urls, watch
from qala.store import schema


def item(engine, url: str) -> schema.SourceItem:
    with Session(engine) as session:
        return session.scalar(select(schema.SourceItem).where(schema.SourceItem.url == url))


def one_failure(engine, fetcher, url: str) -> str:
    summary = fetch_urls(engine, [url], fetcher=fetcher)
    assert summary.counts == {"failed": 1}, summary.counts
    row = item(engine, url)
    assert (row.status, row.attempts, row.document_id) == ("failed", 1, None)
    assert row.retry_after is not None
    assert row.error == summary.errors[0] and "\n" not in row.error
    return row.error


def test_404_is_recorded_and_not_retried_at_once(site, fetcher, engine):
    url = site.url("/ru/news/gone")
    assert one_failure(engine, fetcher, url) == f"{url}: expected a page, got HTTP 404"
    assert len(site.hits("/ru/news/gone")) == 1


def test_500_is_retried_with_backoff_then_recorded(site, engine):
    url = site.route("/ru/news/broken", "<h1>Internal error</h1>", status=500)
    waits: list[float] = []
    with Fetcher(timeout=2.0, retries=2, backoff=0.5, delay=0.0, sleep=waits.append) as fetcher:
        assert one_failure(engine, fetcher, url) == f"{url}: expected a page, got HTTP 500"
    assert len(site.hits("/ru/news/broken")) == 3
    assert waits == [0.5, 1.0]


def test_slow_server_times_out(site, engine):
    def slow(request):
        time.sleep(2.5)
        return 200, {"Content-Type": "text/html"}, b"<p>late</p>"

    url = site.route("/ru/news/slow", slow)
    with Fetcher(timeout=1.0, retries=0, delay=0.0) as fetcher:
        assert "timeout" in one_failure(engine, fetcher, url)
        started = time.monotonic()
        with pytest.raises(FetchError, match="timeout"):
            fetcher.get(url)
        assert time.monotonic() - started < 2.4  # given up at the timeout, not when the server answered


def test_trickling_server_is_cut_off_at_the_timeout(site, engine):
    def trickle(request):
        def body():
            yield b"<html><body><p>"
            for _ in range(20):
                time.sleep(0.3)
                yield "Аким провел прием. ".encode()
        return 200, {"Content-Type": "text/html; charset=utf-8"}, body()

    url = site.route("/ru/news/trickle", trickle)
    with Fetcher(timeout=1.0, retries=0, delay=0.0) as fetcher:
        assert "got it still coming" in one_failure(engine, fetcher, url)
        started = time.monotonic()
        with pytest.raises(FetchError, match="still coming"):
            fetcher.get(url)
        assert time.monotonic() - started < 3.0  # the whole page would take 6 s


def test_redirects_are_followed_but_loops_and_long_chains_are_not(site, fetcher, engine):
    target = site.page("/ru/news/500", "akimat.html")
    moved = site.route("/news/500", b"", status=301, headers={"Location": "/ru/news/500"})
    assert fetch_urls(engine, [moved], fetcher=fetcher).counts == {"ingested": 1}
    with Session(engine) as session:
        assert session.scalar(select(schema.Document.url)) == target

    site.route("/loop/a", b"", status=302, headers={"Location": "/loop/b"})
    site.route("/loop/b", b"", status=302, headers={"Location": "/loop/a"})
    assert "redirect loop" in one_failure(engine, fetcher, site.url("/loop/a"))
    for n in range(10):
        site.route(f"/chain/{n}", b"", status=302, headers={"Location": f"/chain/{n + 1}"})
    assert "expected at most 5 redirects" in one_failure(engine, fetcher, site.url("/chain/0"))
    assert len(site.hits("/chain/6")) == 0


def test_a_30_mb_page_is_refused_whether_its_length_is_announced_or_not(site, fetcher, engine):
    huge = b"<html><body>" + b"<p>" + b"x" * (30 * 1024 * 1024) + b"</p></body></html>"
    announced = site.route("/ru/huge", huge)
    assert "expected at most 10485760 bytes, got 31457" in one_failure(engine, fetcher, announced)

    def streamed(request):
        chunk = b"<p>" + b"y" * (1024 * 1024) + b"</p>"
        return 200, {"Content-Type": "text/html"}, (chunk for _ in range(30))

    unannounced = site.route("/ru/huge-stream", streamed)
    assert "expected at most 10485760 bytes, got more" in one_failure(engine, fetcher, unannounced)


def test_wrong_charset_in_the_header_still_gives_the_right_text(site, fetcher, engine):
    text = (PAGES / "regional.html").read_text(encoding="utf-8")
    url = site.route("/reg/wrong", text.encode("cp1251"), headers={"Content-Type": "text/html; charset=utf-8"})
    utf8_said_cp1251 = site.route("/reg/wrong2", text.replace("Караганда", "Темиртау").encode("utf-8"),
                                  headers={"Content-Type": "text/html; charset=windows-1251"})
    summary = fetch_urls(engine, [url, utf8_said_cp1251], fetcher=fetcher)
    assert summary.counts == {"ingested": 1, "duplicate": 1} or summary.counts == {"ingested": 2}
    with Session(engine) as session:
        texts = session.scalars(select(schema.Document.text).order_by(schema.Document.id)).all()
    assert texts[0].startswith("Караганда, 5 февраля 2024 года. В Карагандинской области")
    assert all("\ufffd" not in t and "Ð" not in t for t in texts)


def test_a_page_that_changes_becomes_a_new_document_linked_to_the_first(site, fetcher, engine):
    first = (PAGES / "agency.html").read_text(encoding="utf-8")
    versions = [first, first.replace("310,5 млрд", "312,7 млрд")]
    url = site.route("/ru/regions/78", lambda request: (200, {"Content-Type": "text/html; charset=utf-8"},
                                                         versions[0].encode()))
    assert fetch_urls(engine, [url], fetcher=fetcher).counts == {"ingested": 1}
    versions.pop(0)
    assert fetch_urls(engine, [url], fetcher=fetcher).counts == {"ingested": 1}
    with Session(engine) as session:
        docs = session.scalars(select(schema.Document).order_by(schema.Document.id)).all()
        assert [("312,7 млрд" in d.text, d.url) for d in docs] == [(False, url), (True, url)]
        assert item(engine, url).document_id == docs[1].id


def test_pages_with_no_text_or_not_html_are_recorded(site, fetcher, engine):
    empty = site.route("/ru/empty", "<html><head><title>x</title></head><body><nav></nav></body></html>")
    pdf = site.route("/ru/file.pdf", b"%PDF-1.4 binary", headers={"Content-Type": "application/pdf"})
    assert "expected a page with some main text, got none" in one_failure(engine, fetcher, empty)
    assert one_failure(engine, fetcher, pdf) == f"{pdf}: expected an HTML page, got application/pdf"


def test_unreachable_host_and_bad_urls_are_one_line_errors(fetcher, engine):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    error = one_failure(engine, fetcher, f"http://127.0.0.1:{port}/ru/news/1")
    assert "cannot connect" in error
    summary = fetch_urls(engine, ["ftp://127.0.0.1/file", "not a url"], fetcher=fetcher)
    assert summary.counts == {"failed": 2}
    assert all("expected an http(s) URL" in e for e in summary.errors)


@pytest.mark.parametrize("broken", [
    b"<?xml version='1.0'?><rss version='2.0'><channel><item><title>oops",
    b"<html><body>This is not a feed</body></html>",
])
def test_a_broken_feed_is_recorded_on_its_source_and_the_others_go_on(site, fetcher, engine, broken):
    site.route("/broken.rss", broken, headers={"Content-Type": "application/rss+xml"})
    site.page("/ru/regions/78", "agency.html")
    atom = ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
            '<id>urn:t</id><updated>2023-07-20T09:15:00Z</updated><entry><title>x</title><id>urn:1</id>'
            '<link href="/ru/regions/78"/><updated>2023-07-20T09:15:00Z</updated></entry></feed>')
    site.route("/atom.xml", atom, headers={"Content-Type": "application/atom+xml"})
    lines: list[str] = []
    specs = [SourceSpec("Сломанная лента", site.url("/broken.rss"), "feed"),
             SourceSpec("Лента Atom", site.url("/atom.xml"), "feed")]
    summary = watch(engine, specs, once=True, fetcher=fetcher, progress=lines.append)
    assert summary.counts == {"ingested": 1}
    assert lines[0].startswith("Сломанная лента: ingested: 0, failed: 1 (" + site.url("/broken.rss")
                               + ": expected an RSS or Atom feed")
    assert lines[1] == "Лента Atom: ingested: 1, failed: 0"
    with Session(engine) as session:
        broken_source = session.scalar(select(schema.WatchedSource).where(schema.WatchedSource.name ==
                                                                          "Сломанная лента"))
        assert "expected an RSS or Atom feed" in broken_source.last_error
        assert broken_source.last_run is not None

"""Following sources: RSS and Atom feeds, a sitemap and a news-list page, seen items, retries, stopping."""

from __future__ import annotations

import datetime as dt
import re
import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qala.errors import ConfigError, InvalidInput
from qala.sources import Collector, SourceSpec, load_sources, watch
from qala.sources.feeds import feed_entries, list_entries, sitemap_entries
from qala.sources.http import FetchError
from qala.store import schema

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Новости акимата</title><link>{base}/ru</link>
<item><title>Итоги девяти месяцев</title><link>{base}/ru/news/500</link>
  <pubDate>Tue, 15 Oct 2024 10:30:00 +0500</pubDate></item>
<item><title>Экономика за два месяца</title><link>{base}/ru/news/400</link>
  <pubDate>Tue, 12 Mar 2024 11:20:00 +0500</pubDate></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Регионы</title><id>urn:regions</id>
<updated>2023-07-20T09:15:00+06:00</updated>
<entry><title>Строительство в Шымкенте</title><id>urn:1</id><link href="/ru/regions/78"/>
  <updated>2023-07-20T09:15:00+06:00</updated></entry>
</feed>"""

SITEMAP_INDEX = """<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>{base}/sitemap-news.xml</loc></sitemap></sitemapindex>"""

SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{base}/reg/1.html</loc><lastmod>2024-02-05</lastmod></url>
<url><loc>{base}/reg/2.html</loc><lastmod>2024-02-06T08:00:00+05:00</lastmod></url>
</urlset>"""

LIST_PAGE = """<html><body><nav><a href="/ru">Главная</a> <a href="/ru/about">Об акимате</a></nav>
<div class="news-list">
<a href="/ru/press/news/details/500">Итоги девяти месяцев</a>
<a href="/ru/press/news/details/500#comments">Комментарии</a>
<a href="/kk/press/news/details/501">Қазақша</a>
<a href="https://elsewhere.example/ru/press/news/details/9">Чужой сайт</a>
</div><a href="/ru/press/news?page=2">Следующая страница</a></body></html>"""


def test_feed_sitemap_and_list_readers():
    base = "http://127.0.0.1:1"
    rss = feed_entries(RSS.format(base=base).encode(), base + "/rss")
    assert [(e.url, e.title, e.published) for e in rss] == [
        (base + "/ru/news/500", "Итоги девяти месяцев", "2024-10-15"),
        (base + "/ru/news/400", "Экономика за два месяца", "2024-03-12")]
    atom = feed_entries(ATOM.encode(), base + "/atom.xml")
    assert [(e.url, e.published) for e in atom] == [(base + "/ru/regions/78", "2023-07-20")]
    pages, nested = sitemap_entries(SITEMAP_INDEX.format(base=base).encode(), base + "/sitemap.xml")
    assert (pages, nested) == ([], [base + "/sitemap-news.xml"])
    pages, _ = sitemap_entries(SITEMAP.format(base=base).encode(), base + "/sitemap-news.xml")
    assert [(e.url, e.published) for e in pages] == [(base + "/reg/1.html", "2024-02-05"),
                                                     (base + "/reg/2.html", "2024-02-06")]
    listed = list_entries(LIST_PAGE, base + "/ru/press/news", r"/press/news/details/\d+$")
    assert [e.url for e in listed] == [base + "/ru/press/news/details/500", base + "/kk/press/news/details/501"]


def test_broken_feed_and_sitemap_are_one_line_errors():
    with pytest.raises(FetchError, match="expected an RSS or Atom feed, got broken XML"):
        feed_entries(b"<?xml version='1.0'?><rss><channel><item><title>\xd0\x9d", "http://x/rss")
    with pytest.raises(FetchError, match="expected a sitemap, got broken XML"):
        sitemap_entries(b"<urlset><url><loc>http://x/1</loc>", "http://x/sitemap.xml")
    with pytest.raises(FetchError, match=r"expected a sitemap \(<urlset> or <sitemapindex>\), got <html>"):
        sitemap_entries(b"<html><body>nope</body></html>", "http://x/sitemap.xml")


LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE urlset [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://x/&c;</loc></url></urlset>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE urlset [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://x/&secret;</loc></url></urlset>"""


@pytest.mark.parametrize("hostile", [LAUGHS, EXTERNAL], ids=["entity-expansion", "external-entity"])
def test_a_sitemap_with_entities_is_refused_not_expanded(hostile):
    with pytest.raises(FetchError, match="got XML with a DTD or entities, which are not read") as caught:
        sitemap_entries(hostile, "http://x/sitemap.xml")
    assert caught.value.permanent and "root:" not in str(caught.value)


def serve_sources(site) -> list[SourceSpec]:
    site.page("/ru/news/500", "akimat.html")
    site.page("/ru/news/400", "government.html")
    site.page("/ru/regions/78", "agency.html")
    site.page("/reg/1.html", "regional.html", encoding="cp1251", content_type="text/html")
    site.page("/reg/2.html", "english.html")
    site.page("/ru/press/news/details/500", "akimat.html")
    site.page("/kk/press/news/details/501", "akimat-kk.html")
    xml = {"Content-Type": "application/xml"}
    site.route("/rss", RSS.format(base=site.base), headers=xml)
    site.route("/atom.xml", ATOM, headers=xml)
    site.route("/sitemap.xml", SITEMAP_INDEX.format(base=site.base), headers=xml)
    site.route("/sitemap-news.xml", SITEMAP.format(base=site.base), headers=xml)
    site.route("/ru/press/news", LIST_PAGE)
    return [SourceSpec("Акимат RSS", site.url("/rss"), "feed"),
            SourceSpec("Регионы Atom", site.url("/atom.xml"), "feed"),
            SourceSpec("Областная газета", site.url("/sitemap.xml"), "sitemap"),
            SourceSpec("Акимат, список", site.url("/ru/press/news"), "list", r"/press/news/details/\d+$")]


def test_watch_once_ingests_new_items_and_skips_seen_ones(site, fetcher, engine):
    specs = serve_sources(site)
    lines: list[str] = []
    first = watch(engine, specs, once=True, fetcher=fetcher, progress=lines.append)
    # 7 pages: 5 Russian (one text twice: a duplicate), a Kazakh and an English one stored unread
    assert first.counts == {"ingested": 4, "duplicate": 1, "unread": 2}
    assert [line.split(":")[0] for line in lines] == [s.name for s in specs]
    assert lines[0] == "Акимат RSS: ingested: 2, failed: 0"
    page_hits = len([r for r in site.requests if "/news/" in r.path or "/reg" in r.path])

    lines.clear()
    second = watch(engine, specs, once=True, fetcher=fetcher, progress=lines.append)
    assert second.counts == {"seen": 7}
    assert len([r for r in site.requests if "/news/" in r.path or "/reg" in r.path]) == page_hits
    with Session(engine) as session:
        sources = {w.name: (w.items_seen, w.failures, w.last_run is not None)
                   for w in session.scalars(select(schema.WatchedSource))}
        assert sources == {"Акимат RSS": (2, 0, True), "Регионы Atom": (1, 0, True),
                           "Областная газета": (2, 0, True), "Акимат, список": (2, 0, True)}


def test_failed_items_are_kept_and_retried_after_their_backoff(site, fetcher, engine):
    state = {"up": False}
    body = site.page("/ru/news/500", "akimat.html")
    del body

    def flaky(request):
        if state["up"]:
            return site.routes["/ru/news/500"](request)
        return 503, {"Content-Type": "text/plain"}, b"maintenance"

    site.route("/ru/news/400", flaky)
    site.route("/rss", RSS.format(base=site.base), headers={"Content-Type": "application/rss+xml"})
    spec = SourceSpec("Акимат RSS", site.url("/rss"), "feed")
    clock = {"now": dt.datetime(2024, 10, 16, 8, 0, tzinfo=dt.UTC)}
    with Collector(engine, fetcher=fetcher, now=lambda: clock["now"]) as collector:
        done = collector.run_source(spec)
        assert done.counts == {"ingested": 1, "failed": 1}
        assert "got HTTP 503" in done.errors[0]
        assert len(site.hits("/ru/news/400")) == 3  # the first try and two retries
        with Session(engine) as session:
            item = session.scalar(select(schema.SourceItem).where(schema.SourceItem.url.endswith("/400")))
            assert (item.status, item.attempts) == ("failed", 1)
            assert "503" in item.error
            assert session.scalar(select(schema.WatchedSource.failures)) == 1

        state["up"] = True
        assert collector.run_source(spec).counts == {"seen": 1, "waiting": 1}  # backoff not over yet
        clock["now"] += dt.timedelta(minutes=6)
        assert collector.run_source(spec).counts == {"seen": 1, "duplicate": 1}
        with Session(engine) as session:
            item = session.scalar(select(schema.SourceItem).where(schema.SourceItem.url.endswith("/400")))
            assert (item.status, item.error, item.retry_after) == ("duplicate", None, None)
            assert session.scalar(select(schema.WatchedSource.failures)) == 0


def test_stopping_between_items_loses_nothing_and_the_next_run_goes_on(site, fetcher, engine):
    specs = serve_sources(site)[:1]
    stop = threading.Event()
    first = watch(engine, specs, fetcher=fetcher, stop=stop, progress=lambda line: None,
                  on_outcome=lambda outcome: stop.set())
    assert first.counts == {"ingested": 1}
    with Session(engine) as session:
        assert len(session.scalars(select(schema.SourceItem)).all()) == 1
    second = watch(engine, specs, once=True, fetcher=fetcher, progress=lambda line: None)
    assert second.counts == {"seen": 1, "ingested": 1}


def test_sources_toml_is_checked(tmp_path):
    good = tmp_path / "sources.toml"
    good.write_text('[[source]]\nname = "Акимат"\nurl = "https://gov.example/rss"\nkind = "feed"\n\n'
                    '[[source]]\nname = "Список"\nurl = "https://gov.example/news"\nkind = "list"\n'
                    'pattern = "/news/\\\\d+"\n', encoding="utf-8")
    assert [(s.name, s.kind, s.pattern) for s in load_sources(good)] == [
        ("Акимат", "feed", None), ("Список", "list", r"/news/\d+")]
    bad = tmp_path / "bad.toml"
    for content, message in [
        ('[[source]]\nname = "x"\nurl = "gov.example"\n', "expected url as an http(s) URL"),
        ('[[source]]\nname = "x"\nurl = "https://a.kz"\nkind = "rss"\n', "expected kind as one of"),
        ('[[source]]\nname = "x"\nurl = "https://a.kz"\nkind = "list"\n', "expected a link pattern"),
        ('[[source]]\nname = "x"\nurl = "https://a.kz"\nkind = "list"\npattern = "(("\n', "regular expression"),
        ("name = 1\n", "expected one or more [[source]] tables"),
        ("[[source]\n", "expected TOML"),
    ]:
        bad.write_text(content, encoding="utf-8")
        with pytest.raises(ConfigError, match=re.escape(message)):
            load_sources(bad)
    with pytest.raises(ConfigError, match="no such file"):
        load_sources(tmp_path / "missing.toml")
    from qala.sources import parse_interval

    with pytest.raises(InvalidInput, match="expected an interval like 15m"):
        parse_interval("soon")


def test_cli_watch_once_and_fetch(site, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from qala.cli import create_app

    serve_sources(site)
    site.route("/robots.txt", "User-agent: *\nDisallow:\n", headers={"Content-Type": "text/plain"})
    config = tmp_path / "sources.toml"
    config.write_text(f'[[source]]\nname = "Акимат RSS"\nurl = "{site.url("/rss")}"\nkind = "feed"\n',
                      encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'q.sqlite3'}"
    runner = CliRunner()
    app = create_app()
    result = runner.invoke(app, ["watch", str(config), "--once", "--db", db, "--delay", "0"])
    assert result.exit_code == 0, result.output
    assert "Акимат RSS: ingested: 2, failed: 0" in result.output
    result = runner.invoke(app, ["fetch", site.url("/reg/2.html"), site.url("/nowhere"), "--db", db,
                                 "--delay", "0", "--timeout", "2"])
    assert result.exit_code == 1
    assert "unread" in result.output and "[en: не прочитан]" in result.output
    assert "Error: " + site.url("/nowhere") + ": expected a page, got HTTP 404" in result.output
    assert "Traceback" not in result.output
    result = runner.invoke(app, ["watch", str(tmp_path / "none.toml"), "--once", "--db", db])
    assert result.exit_code == 1 and "no such file" in result.output


def test_sources_added_on_the_page_are_watched_too(site, fetcher, engine):
    specs = serve_sources(site)
    from qala.store.db import transaction

    with transaction(engine) as session:  # as the sources page adds one
        session.add(schema.WatchedSource(name="Добавлен на странице", url=site.url("/atom.xml"), kind="feed",
                                         items_seen=0, failures=0))
    lines: list[str] = []
    summary = watch(engine, specs[:1], once=True, fetcher=fetcher, progress=lines.append)
    assert [line.split(":")[0] for line in lines] == ["Акимат RSS", "Добавлен на странице"]
    assert summary.counts == {"ingested": 3}


def test_sigterm_stops_the_watcher_cleanly(site, tmp_path):
    import os
    import signal
    import subprocess
    import sys

    serve_sources(site)
    site.route("/robots.txt", "User-agent: *\nDisallow:\n", headers={"Content-Type": "text/plain"})
    config = tmp_path / "sources.toml"
    config.write_text(f'[[source]]\nname = "Лента"\nurl = "{site.url("/rss")}"\nkind = "feed"\n', encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'q.sqlite3'}"
    process = subprocess.Popen([sys.executable, "-m", "qala", "watch", str(config), "--interval", "1h", "--db", db,
                                "--delay", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        first = process.stdout.readline()  # the first pass is over; now it waits an hour
        assert first.startswith("Лента: ingested: 2"), first + process.stderr.read()
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "stopped: everything fetched so far is stored" in out
    assert "Traceback" not in err
    from qala.store.db import open_store

    engine = open_store(db)
    with Session(engine) as session:
        assert session.scalar(select(func.count(schema.SourceItem.id))) == 2
    engine.dispose()


def test_a_feed_listing_an_item_twice_fetches_it_once(site, fetcher, engine):
    site.page("/ru/news/500", "akimat.html")
    item = f"<item><title>a</title><link>{site.base}/ru/news/500</link></item>"
    site.route("/rss", f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{item}{item}'
                       "</channel></rss>", headers={"Content-Type": "application/rss+xml"})
    summary = watch(engine, [SourceSpec("Лента", site.url("/rss"), "feed")], once=True, fetcher=fetcher,
                    progress=lambda line: None)
    assert summary.counts == {"ingested": 1}
    assert len(site.hits("/ru/news/500")) == 1

"""`qala fetch`, `qala watch`, `qala unread`: press releases from web pages and feeds (qala.sources)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from qala.cli.common import errors_as_one_line
from qala.cli.store import DbOption, open_db

SinceOption = Annotated[str | None, typer.Option(
    help="Only releases published on or after this day (2021-02-04); older ones are skipped.")]
DelayOption = Annotated[float, typer.Option(help="Seconds between two requests to one site.")]
TimeoutOption = Annotated[float, typer.Option(help="Seconds to wait for a page before giving up.")]
WorkersOption = Annotated[int, typer.Option(
    help="Extract in this many processes while pages download and earlier ones are written (0: in this process).")]


def _outcome_line(outcome) -> str:
    if outcome.status == "failed":
        return f"Error: {outcome.error}"
    parts = [outcome.status, outcome.url]
    if outcome.document_id is not None:
        parts.append(f"doc {outcome.document_id}")
    if outcome.published:
        parts.append(outcome.published)
    if outcome.language and outcome.language != "ru":
        parts.append(f"[{outcome.language}: не прочитан]" if outcome.status == "unread" else f"[{outcome.language}]")
    if outcome.title:
        parts.append(f"«{outcome.title}»")
    return "  ".join(parts)


def register(app: typer.Typer) -> None:
    @app.command("fetch")
    def fetch_cmd(
        urls: Annotated[list[str], typer.Argument(help="Pages to fetch (http or https).")],
        since: SinceOption = None,
        db: DbOption = None,
        delay: DelayOption = 1.0,
        timeout: TimeoutOption = 20.0,
        workers: WorkersOption = 0,
    ) -> None:
        """Fetch press releases from web pages and ingest them (main text, title, date, language, site).

        A page fetched before is asked for again with its ETag/Last-Modified and kept once; a page
        that is not Russian is stored as "not read yet". One line per URL; exits 1 if any failed.

        Example:

            qala fetch https://www.akorda.kz/ru/... --since 2024-01-01
        """
        from qala.sources import Fetcher, fetch_urls
        from qala.text import parse_published

        with errors_as_one_line():
            since_day = parse_published(since) if since else None
            engine = open_db(db)
            summary = fetch_urls(engine, urls, since=since_day, fetcher=Fetcher(timeout=timeout, delay=delay),
                                 workers=workers,
                                 on_outcome=lambda o: print(_outcome_line(o), file=sys.stderr if
                                                            o.status == "failed" else sys.stdout, flush=True))
            engine.dispose()
        print(summary.line())
        if summary.counts.get("failed"):
            raise typer.Exit(1)

    @app.command("watch")
    def watch_cmd(
        sources: Annotated[str, typer.Argument(help="A TOML file of [[source]] tables: name, url, kind "
                                                    "(feed | sitemap | list), pattern (list pages).")],
        once: Annotated[bool, typer.Option("--once", help="One pass over the sources, then exit.")] = False,
        interval: Annotated[str, typer.Option(help="Time between passes: 15m, 30s, 2h.")] = "15m",
        since: SinceOption = None,
        db: DbOption = None,
        delay: DelayOption = 1.0,
        timeout: TimeoutOption = 20.0,
        workers: WorkersOption = 0,
    ) -> None:
        """Follow feeds, sitemaps and news-list pages: new items are fetched and ingested, seen ones skipped.

        Failures are kept per item with their error and retried later with backoff. One progress
        line per source and pass. Ctrl-C or SIGTERM stops after the item in hand; nothing is lost.

        Example:

            qala watch sources.toml --interval 15m
        """
        from qala.sources import Fetcher, load_sources, parse_interval, watch
        from qala.text import parse_published

        with errors_as_one_line():
            specs = load_sources(sources)
            seconds = parse_interval(interval)
            since_day = parse_published(since) if since else None
            engine = open_db(db)
            summary = watch(engine, specs, once=once, interval=seconds, since=since_day,
                            fetcher=Fetcher(timeout=timeout, delay=delay), workers=workers,
                            progress=lambda line: print(line, flush=True))
            engine.dispose()
        print(f"total: {summary.line()}")

    @app.command("unread")
    def unread_cmd(db: DbOption = None, limit: Annotated[int, typer.Option(help="At most this many.")] = 100) -> None:
        """List stored documents not read yet (not in Russian), with their language and translations.

        Example:

            qala unread --limit 20
        """
        from qala.sources.queries import unread_documents

        with errors_as_one_line():
            rows = unread_documents(open_db(db), limit=limit)
        for r in rows:
            linked = f"  перевод документа {r['translation_of']}" if r["translation_of"] else ""
            print(f"{r['id']}  {r['language']}  {r['published'] or ''}  {r['url'] or ''}  «{r['title'] or ''}»{linked}")

"""Press releases from the web: pages, RSS/Atom feeds, sitemaps and news-list pages.

    fetch_urls(engine, ["https://example.kz/ru/news/1"]) -> CollectSummary
    watch(engine, load_sources("SOURCES.toml"), once=True)

``http`` fetches politely, ``page`` reads a page's main text and metadata (trafilatura),
``feeds`` reads listings, ``collect`` hands pages to the ingest path and keeps what was seen,
``watch`` follows sources, ``language`` tells Russian from Kazakh and English.
"""

from qala.sources.collect import Collector, CollectSummary, Outcome, fetch_urls
from qala.sources.config import SourceSpec, load_sources, parse_interval
from qala.sources.http import Fetcher, FetchError
from qala.sources.watch import watch

__all__ = ["CollectSummary", "Collector", "FetchError", "Fetcher", "Outcome", "SourceSpec", "fetch_urls",
           "load_sources", "parse_interval", "watch"]

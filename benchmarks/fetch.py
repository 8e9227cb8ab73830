"""Fetch speed from a local web server with extraction, and the share of time spent outside extraction.

    .venv/bin/python benchmarks/fetch.py [--pages 200] [--postgres URL]

Serves N pages on 127.0.0.1 (nothing else is reached) built from the fixture pages of
tests/sources/pages (government, news-agency and regional layouts with menus, widgets, comments
and related news), every figure of the body varied so that each page is a new release. Fetches
them with ``qala.sources.fetch_urls`` into a fresh store (the per-host delay set to 0: the server is
local) after a warm-up on other pages, and prints pages/s and where the time went: fetching (HTTP),
reading (trafilatura: main text and metadata), extraction (Qala's extractor) and storing. The goal
is that everything but extraction takes at most 20% of the wall time. Measured twice: extraction on
the writing thread (``--workers 0``, the default of ``qala fetch``) and in one process of its own fed
by the download threads (``qala fetch --workers 1``), where writing overlaps the next extraction.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "sources"))

GOAL = 0.20
FIXTURES = [("akimat.html", "utf-8"), ("government.html", "utf-8"), ("agency.html", "utf-8"),
            ("regional.html", "cp1251")]
BODY_FIGURE = re.compile(r"(?<=[ \xa0(])(\d{1,3}(?:,\d)?)(?=[ %])")


def vary(html: str, rng: random.Random) -> str:
    """The page with every figure in its body paragraphs replaced (dates and years kept)."""
    def paragraph(match: re.Match) -> str:
        return BODY_FIGURE.sub(lambda m: str(rng.randint(2, 899)) + ("," + str(rng.randint(1, 9))
                                                                      if "," in m.group() else ""), match.group())
    return re.sub(r"<p>.*?</p>", paragraph, html)


def serve(site, pages: int, seed: int, prefix: str) -> list[str]:
    from localsite import PAGES

    rng = random.Random(seed)
    templates = [((PAGES / name).read_text(encoding="utf-8"), encoding) for name, encoding in FIXTURES]
    urls = []
    for n in range(pages):
        html, encoding = templates[n % len(templates)]
        ctype = "text/html; charset=utf-8" if encoding == "utf-8" else "text/html"
        urls.append(site.route(f"/{prefix}/news/{n}", vary(html, rng).encode(encoding),
                               headers={"Content-Type": ctype}))
    return urls


def run(url: str, pages: int, workers: int = 0) -> dict[str, float]:
    from localsite import LocalSite

    from qala.sources import Collector, Fetcher
    from qala.sources.collect import CollectSummary
    from qala.store.db import open_store

    site = LocalSite()
    try:
        engine = open_store(url)
        with Collector(engine, fetcher=Fetcher(delay=0.0), workers=workers) as collector:
            warm = serve(site, 8, seed=1, prefix="warm")  # models loaded, processes started
            list(collector.fetch_many((u, None) for u in warm))
            urls = serve(site, pages, seed=int(time.time()), prefix="bench")
            collector.summary = summary = CollectSummary()
            started = time.perf_counter()
            list(collector.fetch_many((u, None) for u in urls))
            wall = time.perf_counter() - started
        engine.dispose()
    finally:
        site.close()
    if summary.counts.get("failed"):
        print("failures:", *summary.errors[:5], sep="\n  ")
    return {"pages": pages, "workers": workers, "ingested": summary.counts.get("ingested", 0), "wall": wall,
            "fetch": summary.fetch_seconds, "read": summary.read_seconds, "extract": summary.extract_seconds,
            "store": summary.store_seconds, "waited": summary.waited_seconds}


def report(name: str, r: dict[str, float]) -> None:
    wall = r["wall"]
    outside = max(wall - r["extract"], 0.0) / wall
    where = "this thread" if not r["workers"] else f"{r['workers']} extraction process(es)"
    print(f"{name}, extraction in {where}: {r['pages']} pages ({r['ingested']} ingested) in {wall:.1f} s = "
          f"{r['pages'] / wall:.2f} pages/s")
    print(f"  extract {r['extract']:.1f} s ({r['extract'] / wall:.1%} of the wall time)")
    if not r["workers"]:
        rest = wall - r["extract"] - r["store"] - r["waited"]
        print(f"  this thread besides: store {r['store']:.1f} s ({r['store'] / wall:.1%}), waiting for a download "
              f"{r['waited']:.1f} s ({r['waited'] / wall:.1%}), the rest (look-ups, records of URLs) "
              f"{rest:.1f} s ({rest / wall:.1%})")
    else:
        print(f"  this thread (writes only): store {r['store']:.1f} s, waiting for pages and extractions "
              f"{r['waited']:.1f} s")
    print(f"  download threads, overlapping: fetch {r['fetch']:.1f} s, read (trafilatura) {r['read']:.1f} s")
    verdict = "ok" if outside <= GOAL else "over the goal"
    print(f"  outside extraction: {outside:.1%} of the wall time (goal <= {GOAL:.0%}: {verdict})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--postgres", help="also measure on this PostgreSQL URL (a scratch schema)")
    parser.add_argument("--workers", type=int, nargs="+", default=[0, 1],
                        help="extraction processes to measure with (0: on the writing thread, as by default)")
    args = parser.parse_args()
    for workers in args.workers:
        with tempfile.TemporaryDirectory() as tmp:
            report("SQLite", run(f"sqlite:///{Path(tmp) / 'fetch.sqlite3'}", args.pages, workers))
        if args.postgres:
            from qala.store.db import scratch_schema

            url, drop = scratch_schema(args.postgres, "qbench")
            try:
                report("PostgreSQL", run(url, args.pages, workers))
            finally:
                drop()


if __name__ == "__main__":
    main()

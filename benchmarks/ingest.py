"""Ingest speed into SQLite and PostgreSQL, and what the store costs next to extraction.

    .venv/bin/python benchmarks/ingest.py [--docs 10000] [--workers 1 2] [--postgres URL] [--corpus DIR]

Builds N documents from the bundled sample releases (qala/samples): each one a release with a
second release's body paragraphs appended, about the length of a real press release (~1,000
characters), every figure varied and the publication date spread over six years, so each document
is new. Every run gets documents of its own (the same recipe, another seed), so no run reads texts
an earlier run already extracted; extraction is warmed up on other documents before any clock
starts. For SQLite and a fresh PostgreSQL schema, once in this process and once per --workers N,
it prints docs/s, the time spent extracting (summed over documents, wherever they ran) and storing
(writes and look-ups in the ingest process), the store's overhead (store / extract; goal <= 25%)
and the SQL statements per document. ``--corpus DIR`` adds real texts to the recipe (used only to
measure).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NUMBER = re.compile(r"\d+")
YEAR = re.compile(r"^(19|20)\d\d$")
GOAL = 0.25


def releases(corpus: Path | None) -> list[tuple[str, list[str], str]]:
    """(title, body paragraphs, closing "Источник:" line or "") of every base release."""
    from qala.samples import sample_names, sample_text

    texts = [sample_text(name) for name in sample_names()]
    if corpus and corpus.is_dir():
        texts += [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))]
    parts = []
    for text in texts:
        lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
        tail = lines.pop() if lines[-1].startswith("Источник") else ""
        if len(lines) >= 2:
            parts.append((lines[0], lines[1:], tail))
    return parts


def vary(text: str, rng: random.Random) -> str:
    """The same text with every figure replaced by another of the same length; years move together."""
    shift = rng.randint(-3, 3)

    def swap(match: re.Match) -> str:
        digits = match.group()
        if YEAR.match(digits):
            return str(int(digits) + shift)
        return str(rng.randint(10 ** (len(digits) - 1) if len(digits) > 1 else 1, 10 ** len(digits) - 1))

    return NUMBER.sub(swap, text)


def build(n: int, corpus: Path | None = None, seed: int = 7):
    """n new documents: a release, then the body of another one, figures varied, dated within 2019-2024."""
    from qala.store.ingest import IncomingDocument

    rng = random.Random(seed)
    parts = releases(corpus)
    start = dt.date(2019, 1, 1)
    docs = []
    for i in range(n):
        title, body, tail = parts[i % len(parts)]
        extra = parts[rng.randrange(len(parts))][1]
        text = "\n".join([title, *body, *extra, tail]).strip() + "\n"
        docs.append(IncomingDocument(vary(text, rng), url=f"https://bench.example/{seed}/{i}",
                                     published=(start + dt.timedelta(days=rng.randrange(6 * 365))).isoformat(),
                                     source="bench"))
    return docs


def run(label: str, url: str, docs, workers: int) -> float:
    """Ingest docs into a new store; prints one line and returns the overhead."""
    from sqlalchemy import event

    from qala.ingest import ingest_items
    from qala.store.db import open_store

    engine = open_store(url)
    statements = 0

    def count(*_args) -> None:
        nonlocal statements
        statements += 1

    event.listen(engine, "before_cursor_execute", count)
    summary = ingest_items(engine, docs, workers=workers)
    engine.dispose()
    overhead = summary.store_seconds / summary.extract_seconds if summary.extract_seconds else float("nan")
    print(f"{label:<8} workers={workers}  {len(docs)} docs in {summary.wall_seconds:6.1f} s  "
          f"{len(docs) / summary.wall_seconds:5.1f} docs/s  extract {summary.extract_seconds:6.1f} s  "
          f"store {summary.store_seconds:5.1f} s ({1000 * summary.store_seconds / len(docs):.1f} ms/doc, "
          f"{statements / len(docs):.1f} statements/doc)  overhead {overhead:5.1%} "
          f"{'ok' if overhead <= GOAL else 'OVER'} (goal <= {GOAL:.0%})  "
          f"[ingested {summary.ingested}, duplicates {summary.duplicates}, failed {summary.failed}]",
          flush=True)
    return overhead


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--postgres", default=os.environ.get("QALA_TEST_POSTGRES_URL",
                                                             "postgresql://postgres@127.0.0.1:5432/test"))
    parser.add_argument("--corpus", type=Path, default=None, help="also build documents from these real texts")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--backends", nargs="+", choices=["sqlite", "postgres"], default=["sqlite", "postgres"])
    args = parser.parse_args()

    from qala.extractor import extract
    from qala.store.db import scratch_schema
    from qala.store.ingest import content_hash

    for doc in build(100, args.corpus, seed=0):  # load the models and warm the caches before any clock
        extract(doc.text, doc.published)
    seeds = iter(range(1, 1000))
    sample = build(args.docs, args.corpus, seed=1)
    chars = sum(len(d.text) for d in sample) / len(sample)
    print(f"{len(sample)} documents per run, {chars:.0f} characters on average", flush=True)
    for workers in args.workers:
        for backend in args.backends:
            docs = build(args.docs, args.corpus, seed=next(seeds))
            assert len({content_hash(d.text) for d in docs}) == len(docs), "expected every document to be new"
            if backend == "sqlite":
                with tempfile.TemporaryDirectory() as tmp:
                    run("sqlite", f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", docs, workers)
                continue
            try:
                url, drop = scratch_schema(args.postgres, "qala_bench")
            except Exception as e:  # noqa: BLE001 - report and go on with what can run
                print(f"postgres skipped: {str(e).splitlines()[0]}", flush=True)
                continue
            try:
                run("postgres", url, docs, workers)
            finally:
                drop()


if __name__ == "__main__":
    main()

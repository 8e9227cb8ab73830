"""Ingest speed into SQLite and PostgreSQL, and what the store costs next to extraction.

    .venv/bin/python benchmarks/ingest.py [--docs 10000] [--postgres URL] [--corpus ../shared/corpus/dev]

Builds N documents from the bundled sample texts (and the corpus texts, when present, used only
to measure) with every figure varied and publication dates spread over six years, so each
document is new. Ingests them into a fresh SQLite file and a fresh PostgreSQL schema, once in this
process and once with --workers 2, and prints for each: docs/s, and the store's overhead as a
share of extraction time (time spent writing and looking up / time spent extracting; goal <= 25%).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NUMBER = re.compile(r"\d+")
YEAR = re.compile(r"^(19|20)\d\d$")


def base_texts(corpus: Path) -> list[str]:
    from qala.samples import sample_names, sample_text

    texts = [sample_text(name) for name in sample_names()]
    if corpus.is_dir():
        texts += [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))]
    return [t for t in texts if len(NUMBER.findall(t)) >= 5]  # enough figures to make each copy new


def vary(text: str, rng: random.Random) -> str:
    """The same text with every figure replaced by another of the same length (years stay years)."""
    def swap(match: re.Match) -> str:
        digits = match.group()
        if YEAR.match(digits):
            return str(rng.randint(2015, 2024))
        return str(rng.randint(10 ** (len(digits) - 1) if len(digits) > 1 else 1, 10 ** len(digits) - 1))

    return NUMBER.sub(swap, text)


def build(n: int, corpus: Path, seed: int = 7):
    from qala.store.ingest import IncomingDocument

    rng = random.Random(seed)
    texts = base_texts(corpus)
    start = dt.date(2019, 1, 1)
    return [IncomingDocument(vary(texts[i % len(texts)], rng), url=f"https://bench.example/{i}",
                             published=(start + dt.timedelta(days=rng.randrange(6 * 365))).isoformat(),
                             source="bench") for i in range(n)]


def postgres_store(base_url: str):
    from sqlalchemy import text

    from qala.store.db import check_connection, make_engine, normalize_url

    admin = make_engine(base_url)
    check_connection(admin)
    schema = f"qala_bench_{uuid.uuid4().hex[:8]}"
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))

    def drop() -> None:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()

    sep = "&" if "?" in base_url else "?"
    return f"{normalize_url(base_url)}{sep}options=-csearch_path%3D{schema}", drop


def run(label: str, url: str, docs, workers: int) -> None:
    from qala.ingest import ingest_items
    from qala.store.db import open_store

    engine = open_store(url)
    summary = ingest_items(engine, docs, workers=workers)
    engine.dispose()
    overhead = summary.store_seconds / summary.extract_seconds if summary.extract_seconds else float("nan")
    print(f"{label:<10} workers={workers}  {len(docs)} docs in {summary.wall_seconds:6.1f} s  "
          f"{len(docs) / summary.wall_seconds:6.1f} docs/s  extract {summary.extract_seconds:6.1f} s  "
          f"store {summary.store_seconds:5.1f} s  overhead {overhead:6.1%}  "
          f"(ingested {summary.ingested}, duplicates {summary.duplicates}, failed {summary.failed})",
          flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--postgres", default=os.environ.get("QALA_TEST_POSTGRES_URL",
                                                             "postgresql://postgres@127.0.0.1:5432/test"))
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "dev")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()

    from qala.extractor import extract
    from qala.store.ingest import content_hash

    docs = build(args.docs, args.corpus)
    assert len({content_hash(d.text) for d in docs}) == len(docs), "expected every document to be new"
    extract(docs[0].text)  # load the models before the clock starts
    chars = sum(len(d.text) for d in docs) / len(docs)
    print(f"{len(docs)} documents, {chars:.0f} characters on average", flush=True)
    for workers in args.workers:
        with tempfile.TemporaryDirectory() as tmp:
            run("sqlite", f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", docs, workers)
        try:
            url, drop = postgres_store(args.postgres)
        except Exception as e:  # noqa: BLE001 - report and go on with what can run
            print(f"postgres   skipped: {str(e).splitlines()[0]}")
            continue
        try:
            run("postgres", url, docs, workers)
        finally:
            drop()


if __name__ == "__main__":
    main()

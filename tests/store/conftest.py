"""Fixtures for the store tests (samples in store_samples.py)."""

from __future__ import annotations

import pytest
from store_samples import fake_extract


@pytest.fixture
def ingest(engine):
    """ingest(*docs) -> IngestSummary, through the batch runner with the hand-made extractor."""
    from qala.ingest import ingest_items

    def run(*docs, **options):
        return ingest_items(engine, list(docs), extract_fn=options.pop("extract_fn", fake_extract), **options)

    return run


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def module_engine(request, tmp_path_factory):
    """One migrated store per test module and backend, for read-only table-driven tests."""


    from qala.store.db import open_store, scratch_schema

    drop = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'qala.sqlite3'}"
    else:
        url, drop = scratch_schema(request.getfixturevalue("postgres_url"), "qtest")
    engine = open_store(url)
    yield engine
    engine.dispose()
    if drop:
        drop()

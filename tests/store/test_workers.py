"""Parallel extraction: worker processes and a Dask cluster write the same store (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import text as sql
from store_samples import many_releases

from qala.errors import ConfigError
from qala.extractor import extract
from qala.ingest import batch, ingest_items
from qala.store.ingest import IncomingDocument


def _stored(engine) -> dict[str, int]:
    with engine.connect() as conn:
        rows = conn.execute(sql("SELECT d.text, count(f.id) FROM documents d LEFT JOIN facts f "
                                "ON f.document_id = d.id WHERE d.status = 'ok' GROUP BY d.id, d.text")).all()
    return dict(rows)


def _expected(texts: list[str]) -> dict[str, int]:
    return {t: len(extract(t).facts) for t in texts}


def test_worker_processes(engine):
    texts = many_releases(12)
    docs = [IncomingDocument(t, path=f"{i}.txt") for i, t in enumerate(texts)] + [IncomingDocument(texts[0])]
    summary = ingest_items(engine, docs, workers=2)
    assert (summary.ingested, summary.duplicates, summary.failed) == (12, 1, 0)
    assert _stored(engine) == _expected(texts)


def test_dask_local_cluster(engine):
    distributed = pytest.importorskip("distributed")
    texts = many_releases(8)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        summary = ingest_items(engine, [IncomingDocument(t) for t in texts], scheduler=cluster.scheduler_address)
    assert (summary.ingested, summary.failed) == (8, 0)
    assert summary.extract_seconds > 0
    assert _stored(engine) == _expected(texts)


def test_an_unreachable_scheduler_is_one_clear_error(engine, monkeypatch):
    monkeypatch.setattr(batch, "SCHEDULER_TIMEOUT", "1s")
    with pytest.raises(ConfigError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:1"):
        ingest_items(engine, [IncomingDocument("Текст.")], scheduler="tcp://127.0.0.1:1")


def test_workers_must_be_positive(engine):
    with pytest.raises(ConfigError, match="expected --workers of 1 or more, got 0"):
        ingest_items(engine, [], workers=0)

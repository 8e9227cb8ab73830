"""Crash safety: `qala ingest` killed with SIGKILL midway, then run again (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from sqlalchemy import text as sql
from store_samples import many_releases

from qala.extractor import extract
from qala.store.db import make_engine

N = 100


def _count(engine) -> int:
    try:
        with engine.connect() as conn:
            return conn.execute(sql("SELECT count(*) FROM documents")).scalar()
    except Exception:  # noqa: BLE001 - the tables may not exist yet
        return 0


def test_sigkill_midway_then_rerun_keeps_exactly_one_whole_copy(db_url, tmp_path):
    releases = many_releases(N)
    folder = tmp_path / "releases"
    folder.mkdir()
    for i, text in enumerate(releases):
        (folder / f"{i:04d}.txt").write_text(text, encoding="utf-8")
    command = [sys.executable, "-m", "qala", "ingest", str(folder), "--db", db_url, "--quiet"]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    engine = make_engine(db_url)
    deadline = time.monotonic() + 120
    while _count(engine) < 10 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    at_kill = _count(engine)
    assert 10 <= at_kill < N, f"expected the kill to land midway, {at_kill} of {N} stored"

    rerun = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert rerun.returncode == 0, rerun.stderr
    stored_before = int(rerun.stdout.split("duplicates: ")[1].split(",")[0])
    assert rerun.stdout.strip() == f"ingested: {N - stored_before}, duplicates: {stored_before}, failed: 0"
    assert stored_before >= at_kill

    with engine.connect() as conn:
        docs = conn.execute(sql("SELECT id, text, status FROM documents ORDER BY id")).all()
        facts = dict(conn.execute(sql("SELECT document_id, count(*) FROM facts GROUP BY document_id")).all())
        bands = dict(conn.execute(sql("SELECT document_id, count(*) FROM document_bands GROUP BY document_id")).all())
    engine.dispose()
    assert sorted(d.text for d in docs) == sorted(releases)  # exactly one copy of each
    assert {d.status for d in docs} == {"ok"}
    for doc in docs:  # and each one whole: everything its extraction says is there
        assert facts.get(doc.id, 0) == len(extract(doc.text).facts)
        assert bands[doc.id] == 4

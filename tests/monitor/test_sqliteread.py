"""SQLite: a large read split with a child process gives the same columns, holds off other writers,
and survives a failed child; derived rows written several to a statement come back as written."""

from __future__ import annotations

import logging
import sqlite3
import subprocess
import sys

import numpy as np
import pytest
from sqlalchemy import text

from qala.monitor import bulk, frame, sqliteread
from qala.store.db import open_store
from tests.monitor.factories import Rows


@pytest.fixture
def store(tmp_path):
    engine = open_store(f"sqlite:///{tmp_path / 'split.sqlite3'}")
    rows = Rows(engine)
    for k in range(7):
        doc = rows.document(f"Сводка {k}: жильё и занятость в городе.", f"2022-0{k + 1}-12")
        for year in (2019, 2020, 2021):
            rows.fact(doc, "Город", "housing", str(year), 0.1 * (k + 1) + year, "m2",
                      change=("percent", 3.5 + k, "down" if k % 2 else "up", None), obj=f"домов\x1fкорпус {k}")
        rows.fact(doc, None, None, "2021-01..2021-06", None, None)  # no territory, indicator, value
    yield engine
    engine.dispose()


def _read(engine, **kw):
    with engine.begin() as conn:
        return frame.read_facts(conn, **kw)


def _same(a: frame.Facts, b: frame.Facts) -> None:
    assert len(a) == len(b) > 0
    oa, ob = np.argsort(a["fact_id"]), np.argsort(b["fact_id"])
    assert set(a.cols) == set(b.cols)
    for name in a.cols:
        x, y = a[name][oa], b[name][ob]
        if x.dtype.kind in "fM":
            assert np.array_equal(x, y, equal_nan=True), name
        else:
            assert list(x) == list(y), name


def _children(monkeypatch) -> list[list[str]]:
    started: list[list[str]] = []
    inner = subprocess.Popen

    def popen(args, **kw):
        started.append(list(args))
        return inner(args, **kw)
    monkeypatch.setattr(sqliteread.subprocess, "Popen", popen)
    return started


def test_a_read_split_with_a_child_process_gives_the_same_columns(store, monkeypatch):
    whole = _read(store, fresh=True)  # 28 facts: below the threshold, read here alone
    started = _children(monkeypatch)
    assert started == []
    monkeypatch.setattr(sqliteread, "PARALLEL_FROM", 2)
    split = _read(store, fresh=True)
    assert len(started) == 1 and started[0][1:3] == ["-m", "qala.monitor.sqliteread"]
    _same(whole, split)
    assert (split["territory_id"] == -1).sum() == 7 and np.isnan(split["value"]).sum() == 7


def test_a_transaction_that_wrote_already_reads_alone(store, monkeypatch):
    monkeypatch.setattr(sqliteread, "PARALLEL_FROM", 2)
    started = _children(monkeypatch)
    with store.begin() as conn:
        conn.execute(text("DELETE FROM checks"))  # the child could not see this transaction's writes
        frame.read_facts(conn, fresh=True)
    assert started == []


def test_other_writers_wait_until_the_rebuild_commits(store, monkeypatch, tmp_path):
    monkeypatch.setattr(sqliteread, "PARALLEL_FROM", 2)
    other = sqlite3.connect(tmp_path / "split.sqlite3", timeout=0)
    try:
        with store.begin() as conn:
            frame.read_facts(conn, fresh=True)
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")  # the rebuild holds the write lock from its read on
        other.execute("BEGIN IMMEDIATE")  # and lets go when it commits
        other.rollback()
    finally:
        other.close()


def test_a_failed_child_costs_time_not_facts(store, monkeypatch, caplog):
    whole = _read(store)
    monkeypatch.setattr(sqliteread, "PARALLEL_FROM", 2)
    inner = subprocess.Popen
    monkeypatch.setattr(sqliteread.subprocess, "Popen", lambda args, **kw: inner(
        [sys.executable, "-c", "import sys; sys.exit('reader broke')"], **kw))
    with caplog.at_level(logging.WARNING, logger="qala.monitor.sqliteread"):
        split = _read(store, fresh=True)
    _same(whole, split)
    assert "reader broke" in caplog.text


def test_an_in_memory_store_is_read_in_one_process(monkeypatch):
    monkeypatch.setattr(sqliteread, "PARALLEL_FROM", 0)
    started = _children(monkeypatch)
    engine = open_store("sqlite://")
    try:
        Rows(engine).fact(Rows(engine).document("Сводка.", "2022-01-01"), "Город", "housing", "2021", 5.0, "m2")
        assert len(_read(engine, fresh=True)) == 1
    finally:
        engine.dispose()
    assert started == []


@pytest.mark.parametrize("n", [0, 1, 99, 100, 101, 457])
def test_rows_written_several_to_a_statement_come_back_in_order(n, monkeypatch):
    monkeypatch.setattr(bulk, "SQLITE_MAX_PARAMETERS", 14)  # at most 3 rows of 4 columns per statement
    engine = open_store("sqlite://")
    try:
        rng = np.random.default_rng(n)
        values = rng.normal(size=n)
        values[::7] = np.nan
        dates = np.array(["2021-03-31"] * n, dtype="datetime64[D]")
        dates[::5] = np.datetime64("NaT")
        columns = {"kind": ["outlier"] * n, "message": [f"строка {i}" for i in range(n)],
                   "value_a": values, "period_start": dates}
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, kind TEXT, message TEXT, value_a REAL, "
                              "period_start DATE)"))
            assert bulk.write(conn, "t", columns) == n
            got = conn.execute(text("SELECT kind, message, value_a, period_start FROM t ORDER BY id")).all()
        assert [r[1] for r in got] == columns["message"]
        assert [r[2] for r in got] == [None if np.isnan(v) else v for v in values]
        assert [r[3] for r in got] == [None if i % 5 == 0 else "2021-03-31" for i in range(n)]
    finally:
        engine.dispose()

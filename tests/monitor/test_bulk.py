"""Writes overlapped on a writer thread: order kept, reads wait for them, failures surface."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text

from qala.monitor import bulk

ROW = ("contradiction", "проверка записана позже")


def _count(conn) -> int:
    return conn.execute(text("SELECT count(*) FROM checks")).scalar_one()


def test_a_read_sees_every_write_queued_before_it(engine):
    threads: list[int] = []
    with engine.begin() as conn, bulk.overlapped(conn):
        bulk.later(conn, lambda c: threads.append(threading.get_ident()))
        bulk.insert_rows(conn, "checks", ("kind", "message"), [ROW] * 3)
        bulk.later(conn, lambda c: c.execute(text("DELETE FROM checks WHERE id = (SELECT MIN(id) FROM checks)")))
        assert _count(conn) == 2  # the insert, then the delete, both done before this read ran
    assert threads and threads[0] != threading.get_ident()
    with engine.connect() as conn:
        assert _count(conn) == 2


def test_outside_overlapped_writes_run_at_once(engine):
    with engine.begin() as conn:
        bulk.insert_rows(conn, "checks", ("kind", "message"), [ROW])
        assert _count(conn) == 1


def test_a_failed_write_surfaces_and_the_rebuild_rolls_back(engine):
    with (pytest.raises(Exception, match="no_such_table|no such table|does not exist"),
          engine.begin() as conn, bulk.overlapped(conn)):
        bulk.insert_rows(conn, "checks", ("kind", "message"), [ROW])
        bulk.later(conn, lambda c: c.execute(text("INSERT INTO no_such_table VALUES (1)")))
        bulk.flush(conn)
    with engine.connect() as conn:
        assert _count(conn) == 0

"""Several `qala ingest` processes on a new store at once, and `qala ingest --workers 2` stopped
by SIGKILL or SIGTERM: every ingest succeeds with every document once, and no worker outlives it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from sqlalchemy import func, select

from qala.store import schema as s
from qala.store.db import open_store
from security.conftest import ROOT, qala_env

RELEASES = [
    "В 2021 году объем промышленного производства в Алматы составил 1,2 трлн тенге.",
    "В 2022 году в Астане ввели в эксплуатацию 2,4 млн квадратных метров жилья.",
    "Аким Шымкента поручил до 1 сентября 2023 года завершить строительство 5 школ.",
    "Уровень безработицы в Казахстане в 2020 году составил 4,9%.",
    "В 2019 году инвестиции в основной капитал Алматы выросли на 12,4%.",
]


def write_releases(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        text = RELEASES[i % len(RELEASES)] + f" Сообщение {i + 1} пресс-службы, номер {1000 + i}."
        (folder / f"release-{i:03d}.txt").write_text(text, encoding="utf-8")
    return folder


def documents(url: str) -> tuple[int, int]:
    """(documents, distinct texts) in the store."""
    engine = open_store(url)
    try:
        with engine.connect() as conn:
            total = conn.scalar(select(func.count()).select_from(s.Document))
            distinct = conn.scalar(select(func.count(func.distinct(s.Document.content_hash))))
            failed = conn.scalar(select(func.count()).where(s.Document.status == "failed"))
        assert failed == 0
        return total, distinct
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def new_store(request, tmp_path):
    """The URL of a store nobody has opened yet: no file, or an empty PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'new' / 'qala.sqlite3'}"
        return
    from qala.store.db import scratch_schema

    url, drop = scratch_schema(request.getfixturevalue("postgres_url"), "qsecnew")
    yield url
    drop()


@pytest.mark.parametrize("copies", [2, 4])
def test_ingests_started_together_on_a_new_store_all_succeed(new_store, tmp_path, copies):
    folder = write_releases(tmp_path / "releases", 6)
    env = qala_env(new_store)
    processes = [subprocess.Popen([sys.executable, "-m", "qala", "ingest", str(folder)], env=env, cwd=ROOT,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(copies)]
    results = [(p.wait(timeout=600), *p.communicate()) for p in processes]
    for code, out, err in results:
        assert code == 0 and "failed: 0" in out, (out, err)
    assert sum(int(out.split("ingested: ")[1].split(",")[0]) for _, out, _ in results) == 6
    assert documents(new_store) == (6, 6)


def _group(pgid: int) -> list[psutil.Process]:
    alive = []
    for proc in psutil.process_iter(["pid"]):
        try:
            if os.getpgid(proc.pid) == pgid and proc.status() != psutil.STATUS_ZOMBIE:
                alive.append(proc)
        except (ProcessLookupError, psutil.NoSuchProcess):
            continue
    return alive


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_stopping_an_ingest_stops_its_workers(tmp_path, sig):
    folder = write_releases(tmp_path / "releases", 400)
    env = qala_env(f"sqlite:///{tmp_path / 'qala.sqlite3'}")
    parent = subprocess.Popen([sys.executable, "-m", "qala", "ingest", str(folder), "--workers", "2"], env=env,
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)  # its own process group, to find what it started
    try:
        deadline = time.monotonic() + 180
        workers: list[psutil.Process] = []
        while time.monotonic() < deadline and parent.poll() is None:
            workers = [p for p in psutil.Process(parent.pid).children(recursive=True)
                       if "spawn_main" in " ".join(p.cmdline())]
            if len(workers) >= 2 and all(p.cpu_times().user > 1 for p in workers):
                break  # both workers loaded and extracting
            time.sleep(0.5)
        assert parent.poll() is None and len(workers) == 2, "the ingest ended before its workers ran"
        os.kill(parent.pid, sig)  # the parent alone, as an OOM killer or an impatient operator would
        parent.wait(timeout=30)
        deadline = time.monotonic() + 20
        while _group(parent.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        left = _group(parent.pid)
        assert left == [], [" ".join(p.cmdline()) for p in left]
    finally:
        for proc in _group(parent.pid):
            proc.kill()

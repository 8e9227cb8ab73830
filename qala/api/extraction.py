"""Posted documents, read and stored off the server's event loop: in a worker process, behind a
bounded queue.

Extraction (and writing its thousands of rows) is Python work that holds the GIL, so in a thread
it would still slow every other request of the process; in a worker process (spawned once,
shared by the apps of this process, with its own connection to the store) it only takes a core. At most ``queue`` documents wait or run at once; one more is told
to come back later (503) instead of piling up memory. The worker dies with the server (see
``qala.ingest.batch.die_with_parent``).
"""

from __future__ import annotations

import asyncio
import concurrent.futures as cf
import multiprocessing
import os
import threading
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool

from qala.errors import QalaError, StoreError
from qala.ingest.batch import die_with_parent
from qala.store.db import make_engine, sqlite_path

_lock = threading.Lock()
_pools: dict[int, cf.ProcessPoolExecutor] = {}
_submitter = cf.ThreadPoolExecutor(max_workers=1, thread_name_prefix="qala-extract-submit")


class Busy(StoreError):
    """Too many documents are being extracted already: come back later."""

    status = 503


def _pool(workers: int) -> cf.ProcessPoolExecutor:
    with _lock:
        pool = _pools.get(workers)
        if pool is None:
            pool = _pools[workers] = cf.ProcessPoolExecutor(
                max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                initializer=die_with_parent, initargs=(os.getpid(),))
        return pool


def _forget(workers: int, pool: cf.ProcessPoolExecutor) -> None:
    with _lock:
        if _pools.get(workers) is pool:
            del _pools[workers]
    pool.shutdown(wait=False, cancel_futures=True)


class Extractor:
    """``await extractor.add(url, fields, max_bytes)``: one posted document read and stored in a
    worker process (``workers`` of them), with its own connection to the store at ``url``; with
    ``workers=0`` or a store only this process can see, in a thread here."""

    def __init__(self, workers: int = 1, queue: int = 4) -> None:
        self.workers = workers
        self.queue = queue
        self.in_flight = 0

    async def add(self, engine: Engine, url: str, fields: dict[str, Any], max_bytes: int) -> dict[str, Any]:
        if self.in_flight >= self.queue:
            raise Busy(f"the server is already reading {self.in_flight} documents: try again in a minute")
        self.in_flight += 1
        try:
            if self.workers == 0 or not url or sqlite_path(url) is None and url.startswith("sqlite"):
                result = await run_in_threadpool(_add, engine, fields, max_bytes)
            else:
                pool = _pool(self.workers)
                try:
                    # Submitted from one long-lived thread: Linux ties a worker's death signal to the
                    # thread that started it, and a request's thread may end before the worker should.
                    future = await asyncio.get_running_loop().run_in_executor(
                        _submitter, pool.submit, _add_in_worker, url, fields, max_bytes)
                    result = await asyncio.wrap_future(future)
                except BrokenProcessPool:  # the worker was killed (out of memory?): a new one next time
                    _forget(self.workers, pool)
                    raise StoreError("the worker reading documents stopped while reading this one: "
                                     "try again") from None
        finally:
            self.in_flight -= 1
        if isinstance(result, Exception):
            raise result
        return result


_engines: dict[str, Engine] = {}  # in a worker: one engine per store, kept between documents


def _add_in_worker(url: str, fields: dict[str, Any], max_bytes: int) -> dict[str, Any] | Exception:
    engine = _engines.get(url)
    if engine is None:
        engine = _engines[url] = make_engine(url)  # the server migrated it already
    return _add(engine, fields, max_bytes)


def _add(engine: Engine, fields: dict[str, Any], max_bytes: int) -> dict[str, Any] | Exception:
    """add_document, its errors returned (they cross the process boundary as values)."""
    from qala.store.records import add_document

    try:
        return add_document(engine, **fields, max_bytes=max_bytes)
    except QalaError as e:
        return e
    except SQLAlchemyError as e:
        first = str(getattr(e, "orig", None) or type(e).__name__).strip().splitlines()[0]
        return StoreError(f"the database failed: {first}")
    except Exception as e:  # noqa: BLE001 - one document's failure, told to its sender
        return StoreError(f"cannot store the document: {type(e).__name__}: {e}")

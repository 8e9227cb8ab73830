"""Extraction for the server, off its event loop: a worker process, and a bounded queue in front of it.

Extraction is pure-Python CPU work that holds the GIL, so in a thread it would still slow every
other request of the process; in a worker process (spawned once, shared by the apps of this
process) it only takes a core. At most ``queue`` documents wait or run at once; one more is told
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

from starlette.concurrency import run_in_threadpool

from qala import model
from qala.errors import StoreError
from qala.ingest.batch import die_with_parent, extract_document
from qala.store.ingest import IncomingDocument

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
    """``await extractor.extract(doc)``: the document's extraction, made in a worker process
    (``workers`` of them; 0 runs it in a thread of this process), or the error it raised."""

    def __init__(self, workers: int = 1, queue: int = 4) -> None:
        self.workers = workers
        self.queue = queue
        self.in_flight = 0

    async def extract(self, doc: IncomingDocument) -> model.Extraction | Exception:
        if self.in_flight >= self.queue:
            raise Busy(f"the server is already reading {self.in_flight} documents: try again in a minute")
        self.in_flight += 1
        try:
            if self.workers == 0:
                return await run_in_threadpool(_guarded, doc)
            pool = _pool(self.workers)
            try:
                # Submitted from one long-lived thread: Linux ties a worker's death signal to the
                # thread that started it, and a request's thread may end before the worker should.
                future = await asyncio.get_running_loop().run_in_executor(_submitter, pool.submit, _guarded, doc)
                return await asyncio.wrap_future(future)
            except BrokenProcessPool:  # the worker was killed (out of memory?): a new one next time
                _forget(self.workers, pool)
                return RuntimeError("the extraction worker stopped while reading this document")
        finally:
            self.in_flight -= 1


def _guarded(doc: IncomingDocument) -> model.Extraction | Exception:
    try:
        return extract_document(doc)
    except Exception as e:  # noqa: BLE001 - the document is recorded as failed with this error
        return e

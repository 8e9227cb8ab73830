"""The batch runner: read, skip what is stored, extract (here, in N processes or on Dask), write.

Extraction is the slow part and runs wherever asked; every write goes through one
``DocumentWriter`` in this process, one transaction per document, so a crash loses at most the
documents in flight and a re-run picks up where it stopped.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import itertools
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from qala import model
from qala.errors import ConfigError, StoreError
from qala.ingest.readers import Item, ReadFailure, read_items
from qala.store.ingest import DocumentWriter, IncomingDocument, IngestResult, content_hash
from qala.store.reference import seed

BATCH = 64  # documents looked up together before extraction
SCHEDULER_TIMEOUT = "10s"


@dataclass
class IngestSummary:
    ingested: int = 0
    unread: int = 0  # stored in another language than Russian, not extracted (listed as not read yet)
    duplicates: int = 0  # exact copies (nothing added) and near-duplicates (linked, no facts)
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    extract_seconds: float = 0.0  # summed over documents, wherever they were extracted
    store_seconds: float = 0.0  # spent writing in this process
    wall_seconds: float = 0.0

    def add(self, result: IngestResult) -> None:
        if result.status == "ingested":
            self.ingested += 1
        elif result.status == "unread":
            self.unread += 1
        elif result.status in ("duplicate", "near_duplicate"):
            self.duplicates += 1
        else:
            self.failed += 1
            error = result.error or "failed"
            self.errors.append(error if error.startswith(result.label) else f"{result.label}: {error}")


@dataclass(frozen=True)
class Extracted:
    extraction: model.Extraction | None
    error: str | None
    seconds: float


def extract_document(doc: IncomingDocument) -> model.Extraction:
    """The default extraction step (a top-level function, so worker processes can run it).

    A text in Kazakh or English is not fed to the Russian extractor: it comes back with its language
    and nothing read, and the writer keeps it as not read yet."""
    from qala.extractor import extract
    from qala.ingest.language import detect

    language = detect(doc.text)
    if language != "ru":
        return unread(doc, language)
    return extract(doc.text, doc.published, source=doc.source, title=doc.title, path=doc.path)


def unread(doc: IncomingDocument, language: str) -> model.Extraction:
    """What is kept of a text Qala cannot read yet: its metadata and language, no items."""
    return model.Extraction(document=model.DocumentInfo(
        source=doc.source, published=doc.published, language=language, title=doc.title, path=doc.path))


def die_with_parent(parent: int | None = None) -> None:
    """In a worker process: ask Linux to kill this process when its parent dies (kill -9 included),
    so an ingest or a server that is stopped leaves no worker behind. Elsewhere nothing happens.

    The parent is the process that started the worker; if it is already gone, the worker exits.
    """
    import ctypes
    import os
    import signal
    import sys

    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - no prctl: the pool's own shutdown remains
        return
    if os.getppid() != (parent or os.getppid()) or os.getppid() == 1:
        os._exit(1)  # the parent died before the request was made


def timed(extract_fn: Callable[[IncomingDocument], model.Extraction], doc: IncomingDocument) -> Extracted:
    start = time.perf_counter()
    try:
        result = extract_fn(doc)
    except Exception as e:  # noqa: BLE001 - one document's failure is recorded, the rest go on
        return Extracted(None, f"cannot extract: {type(e).__name__}: {e}", time.perf_counter() - start)
    return Extracted(result, None, time.perf_counter() - start)


class _Inline(cf.Executor):
    """Runs each task at submit time in this process (the one-worker case)."""

    def submit(self, fn, /, *args, **kwargs):
        future: cf.Future = cf.Future()
        future.set_result(fn(*args, **kwargs))
        return future


def process_pool(workers: int) -> cf.ProcessPoolExecutor:
    """Extraction processes, started fresh (spawn) and killed with this process."""
    import multiprocessing
    import os

    pool = cf.ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                  initializer=die_with_parent, initargs=(os.getpid(),))
    # Start every process now, from this thread: a process asks to die with the thread that started
    # it (PR_SET_PDEATHSIG), and a pool fed from short-lived threads would otherwise lose its workers.
    for started in [pool.submit(int) for _ in range(workers)]:
        started.result()
    return pool


@contextlib.contextmanager
def executor(workers: int = 1, scheduler: str | None = None) -> Iterator[tuple[cf.Executor, int]]:
    """An executor and how many tasks to keep in flight: inline, a process pool, or a Dask client."""
    if scheduler:
        try:
            from distributed import Client
        except ImportError:  # pragma: no cover - dask[distributed] is a dependency
            raise ConfigError("--scheduler needs dask[distributed] installed") from None
        try:
            client = Client(scheduler, timeout=SCHEDULER_TIMEOUT, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as e:
            raise ConfigError(f"cannot reach the Dask scheduler at {scheduler}: {e}") from None
        try:
            slots = max(1, sum(client.nthreads().values()))
            yield client.get_executor(pure=False), slots * 4
        finally:
            client.close()
    elif workers > 1:
        pool = process_pool(workers)
        try:
            yield pool, workers * 4
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    else:
        yield _Inline(), 1


def ingest_items(engine: Engine, items: Iterable[Item], *, workers: int = 1, scheduler: str | None = None,
                 extract_fn: Callable[[IncomingDocument], model.Extraction] = extract_document,
                 on_result: Callable[[IngestResult], None] | None = None,
                 extractor_version: str | None = None) -> IngestSummary:
    """Ingest documents (and report read failures) into a migrated store; returns the counts.

    Extraction runs here (workers=1), in N processes, or on the Dask cluster at ``scheduler``;
    ``on_result`` is called with each IngestResult as it is written.
    """
    try:
        return _ingest_items(engine, items, workers=workers, scheduler=scheduler, extract_fn=extract_fn,
                             on_result=on_result, extractor_version=extractor_version)
    except SQLAlchemyError as e:
        first = str(getattr(e, "orig", None) or e).strip().splitlines()[0]
        raise StoreError(f"the database failed during ingest: {first}") from None


def _ingest_items(engine: Engine, items: Iterable[Item], *, workers: int = 1, scheduler: str | None = None,
                  extract_fn: Callable[[IncomingDocument], model.Extraction] = extract_document,
                  on_result: Callable[[IngestResult], None] | None = None,
                  extractor_version: str | None = None) -> IngestSummary:
    if workers < 1:
        raise ConfigError(f"expected --workers of 1 or more, got {workers}")
    started = time.perf_counter()
    seed(engine)
    summary = IngestSummary()

    def report(result: IngestResult) -> None:
        summary.add(result)
        if on_result:
            on_result(result)

    def finish(future: cf.Future, doc: IncomingDocument) -> None:
        try:
            done: Extracted = future.result()
        except Exception as e:  # noqa: BLE001 - a lost worker fails its document only
            done = Extracted(None, f"cannot extract: {type(e).__name__}: {e}", 0.0)
        summary.extract_seconds += done.seconds
        t0 = time.perf_counter()
        if done.extraction is None:
            fresh.pop(doc, None)
            report(writer.fail(doc, done.error or "cannot extract"))
        else:
            report(writer.store(doc, done.extraction, new=fresh.pop(doc, False)))
        summary.store_seconds += time.perf_counter() - t0

    with DocumentWriter(engine, extractor_version=extractor_version) as writer, \
            executor(workers, scheduler) as (pool, window):
        pending: dict[cf.Future, IncomingDocument] = {}
        fresh: dict[IncomingDocument, bool] = {}
        iterator = iter(items)
        while batch := list(itertools.islice(iterator, BATCH)):
            docs = [item for item in batch if isinstance(item, IncomingDocument)]
            t0 = time.perf_counter()
            known = writer.known(docs)
            summary.store_seconds += time.perf_counter() - t0
            for item in batch:
                if isinstance(item, ReadFailure):
                    report(writer.fail(None, str(item), label=item.label))
                    continue
                h = content_hash(item.text)
                status, doc_id = known.get(h, ("failed", None))
                if status != "failed":
                    writer.fill_metadata(item, doc_id)  # a date or title it lacked is filled in
                    report(IngestResult("duplicate", item.label, doc_id))
                    continue
                fresh[item] = h not in known
                known[h] = ("pending", None)  # a second copy in the same batch is not extracted twice
                pending[pool.submit(timed, extract_fn, item)] = item
                while len(pending) >= window:
                    done, _ = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
                    for future in done:
                        finish(future, pending.pop(future))
        for future in cf.as_completed(list(pending)):
            finish(future, pending.pop(future))
    summary.wall_seconds = time.perf_counter() - started
    return summary


def ingest_paths(engine: Engine, paths: Iterable[str], **options) -> IngestSummary:
    """Ingest files, folders and JSON Lines (see ``ingest_items`` for the options)."""
    return ingest_items(engine, read_items(paths), **options)

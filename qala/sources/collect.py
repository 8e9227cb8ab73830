"""Fetched pages into the store: each URL once, failures kept and retried later, sources followed.

``Collector.fetch(url)`` fetches one page, reads its release (``page.read_page``) and hands it to
the ordinary ingest path (``DocumentWriter``: stored once, near-duplicates linked, figures
extracted). Texts that are not Russian are stored with status 'unread' and not extracted; a Kazakh
and a Russian release of one day and site with the same figures are linked as translations.

Every URL fetched is a row of ``source_items``: a URL seen is not fetched again by a watch (an
explicit ``qala fetch`` asks the server whether it changed, with its ETag and Last-Modified); a
failure keeps its error, and is retried once its backoff has passed. Each item is written in its
own transaction, so stopping at any moment loses nothing that was done.
"""

from __future__ import annotations

import collections
import concurrent.futures as cf
import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Self

from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from qala import model
from qala.errors import ConfigError, QalaError, StoreError
from qala.ingest.batch import Extracted, extract_document, process_pool, timed, unread
from qala.sources.config import SourceSpec
from qala.sources.feeds import Entry, feed_entries, list_entries, sitemap_entries
from qala.sources.http import Fetched, Fetcher, FetchError
from qala.sources.page import Page, read_page
from qala.store import schema
from qala.store.ingest import DocumentWriter, IncomingDocument
from qala.store.reference import seed

RETRY_BASE = dt.timedelta(minutes=5)  # first retry of a failed item; doubles per attempt
RETRY_PERMANENT = dt.timedelta(hours=6)  # 404, robots.txt, too large: tried again much later
RETRY_MAX = dt.timedelta(days=2)
PREFETCH = 2  # pages downloaded and read ahead of the one being extracted
MAX_SITEMAPS = 50  # nested sitemaps followed from one index


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    return value.replace(tzinfo=dt.UTC) if value is not None and value.tzinfo is None else value


@dataclass(frozen=True)
class Outcome:
    url: str
    status: str  # ingested | duplicate | unread | unchanged | seen | skipped | waiting | failed
    document_id: int | None = None
    error: str | None = None
    title: str | None = None
    published: str | None = None
    language: str | None = None


@dataclass
class _Job:
    url: str
    entry: Entry | None
    source_id: int | None
    etag: str | None = None
    last_modified: str | None = None
    document_id: int | None = None  # what the URL gave last time
    known: bool = False  # a row of source_items exists for it
    attempts: int = 0  # failures so far


@dataclass
class CollectSummary:
    counts: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    fetch_seconds: float = 0.0
    read_seconds: float = 0.0  # trafilatura: main text and metadata
    extract_seconds: float = 0.0  # Qala's extractor
    store_seconds: float = 0.0
    waited_seconds: float = 0.0  # this thread waiting for a download that was not ready yet
    wall_seconds: float = 0.0

    def add(self, outcome: Outcome) -> None:
        self.counts[outcome.status] = self.counts.get(outcome.status, 0) + 1
        if outcome.status == "failed" and outcome.error:
            self.errors.append(outcome.error)

    def line(self) -> str:
        order = ("ingested", "duplicate", "unread", "unchanged", "seen", "skipped", "waiting", "failed")
        return ", ".join(f"{key}: {self.counts.get(key, 0)}" for key in order
                         if self.counts.get(key) or key in ("ingested", "failed"))


def _incoming(page: Page, entry: Entry | None) -> IncomingDocument:
    """A fetched page as a document to ingest; the listing's title and date fill what the page lacks."""
    return IncomingDocument(text=page.text, url=page.url, published=page.published or
                            (entry.published if entry else None), source=page.site,
                            title=page.title or (entry.title if entry else None))


class Collector:
    """One run of fetching into one store (one HTTP client, one document writer)."""

    def __init__(self, engine: Engine, *, fetcher: Fetcher | None = None, since: str | None = None,
                 extract_fn: Callable[[IncomingDocument], model.Extraction] = extract_document,
                 now: Callable[[], dt.datetime] = _now, workers: int = 0) -> None:
        """``workers``: 0 extracts on this thread between writes; N >= 1 extracts in N processes, fed
        by the download threads, while this thread only writes (``extract_fn`` must then be a
        top-level function)."""
        if workers < 0:
            raise ConfigError(f"expected --workers of 0 or more, got {workers}")
        self.engine = engine
        self.workers = workers
        self._extractors = process_pool(workers) if workers else None
        self.fetcher = fetcher or Fetcher()
        self.since = since
        self.extract_fn = extract_fn
        self.now = now
        seed(engine)
        self.writer = DocumentWriter(engine)
        self.summary = CollectSummary()

    def close(self) -> None:
        if self._extractors is not None:
            self._extractors.shutdown(wait=True, cancel_futures=True)
        self.writer.close()
        self.fetcher.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---------------------------------------------------------------- URLs

    def fetch(self, url: str, *, source_id: int | None = None, entry: Entry | None = None,
              watching: bool = False) -> Outcome:
        """Fetch, read and ingest one URL; never raises for the page's own faults."""
        return next(self.fetch_many([(url, entry)], source_id=source_id, watching=watching))

    def fetch_many(self, items: Iterable[tuple[str, Entry | None]], *, source_id: int | None = None,
                   watching: bool = False, stop: Callable[[], bool] = lambda: False) -> Iterator[Outcome]:
        """Outcomes of these URLs, in order. Downloads and trafilatura run ahead on a few threads
        while this one extracts and writes (every store write stays on this thread); a stop
        drops the downloads in flight, which were not stored, so nothing is lost."""
        pending: collections.deque[tuple[_Job, cf.Future | None]] = collections.deque()
        iterator = iter(items)
        taken: set[str] = set()
        threads = PREFETCH + self.workers  # each extracting process is fed by a thread that waits on it
        with cf.ThreadPoolExecutor(max_workers=threads, thread_name_prefix="qala-fetch") as pool:
            try:
                while True:
                    while len(pending) < threads * 2 and not stop():
                        nxt = next(iterator, None)
                        if nxt is None:
                            break
                        url, entry = nxt[0].strip(), nxt[1]
                        if url in taken:  # listed twice (a feed repeating an item): once is enough
                            continue
                        taken.add(url)
                        job = self._guarded(url, source_id, partial(self._plan, url, entry, source_id, watching))
                        future = pool.submit(self._download, job) if isinstance(job, _Job) else None
                        pending.append((job, future))
                    if not pending:
                        return
                    job, future = pending.popleft()
                    if future is None:
                        outcome = job
                    else:
                        outcome = self._guarded(job.url, source_id, partial(self._finish, job, future))
                    self.summary.add(outcome)
                    yield outcome
                    if stop():
                        return
            finally:
                for _, future in pending:
                    if future is not None:
                        future.cancel()

    def _guarded(self, url: str, source_id: int | None, step: Callable[[], object]):
        try:
            return step()
        except QalaError as e:
            return self._failed(url, source_id, e)
        except (KeyboardInterrupt, SystemExit):
            raise
        except StoreError:
            raise  # the database is gone: nothing more can be kept, the run stops with one line
        except SQLAlchemyError as e:
            first = str(getattr(e, "orig", None) or e).strip().splitlines()[0]
            raise StoreError(f"the database failed while fetching {url}: {first}") from None
        except Exception as e:  # noqa: BLE001 - a page that breaks a library is one failed item, not a stopped watcher
            return self._failed(url, source_id, QalaError(f"cannot read the page: {type(e).__name__}: {e}"))

    def _plan(self, url: str, entry: Entry | None, source_id: int | None, watching: bool) -> _Job | Outcome:
        """What to do with a URL, from what the store says of it (this thread)."""
        I = schema.SourceItem
        with self.writer.transaction(lazy=True) as session:
            item = session.execute(select(I.status, I.retry_after, I.error, I.document_id, I.etag, I.last_modified,
                                          I.attempts).where(I.url == url)).first()
        job = _Job(url, entry, source_id, known=item is not None, attempts=(item.attempts or 0) if item else 0)
        if item is not None:
            job.document_id = item.document_id
            if item.status == "failed":
                retry = _aware(item.retry_after)
                if watching and retry is not None and retry > self.now():
                    return Outcome(url, "waiting", error=item.error)
            elif watching:
                return Outcome(url, "seen", item.document_id)
            else:
                job.etag, job.last_modified = item.etag, item.last_modified
        if entry is not None and entry.published and self.since and entry.published < self.since:
            return Outcome(url, "skipped", published=entry.published)
        return job

    def _download(self, job: _Job) -> tuple[Fetched, Page | None, float, float, Extracted | None]:
        """Fetch and read one page, and extract it when extraction runs in processes (a worker
        thread: no store access here)."""
        t0 = time.perf_counter()
        fetched = self.fetcher.get(job.url, etag=job.etag, last_modified=job.last_modified)
        t1 = time.perf_counter()
        if fetched.not_modified:
            return fetched, None, t1 - t0, 0.0, None
        kind = fetched.content_type.split(";")[0].strip().lower()
        if kind and not (kind.startswith("text/") or "html" in kind or "xml" in kind):
            raise FetchError(f"{job.url}: expected an HTML page, got {kind}", permanent=True)
        page = read_page(fetched.text(), fetched.final_url)
        read = time.perf_counter() - t1
        done = None
        if self._extractors is not None and page.language == "ru" and not self._too_old(page):
            try:
                done = self._extractors.submit(timed, self.extract_fn, _incoming(page, job.entry)).result()
            except Exception as e:  # noqa: BLE001 - a lost process fails this page only
                done = Extracted(None, f"cannot extract: {type(e).__name__}: {e}", 0.0)
        return fetched, page, t1 - t0, read, done

    def _too_old(self, page: Page) -> bool:
        return bool(self.since and page.published and page.published < self.since)

    def _finish(self, job: _Job, future: cf.Future) -> Outcome:
        """Ingest a downloaded page and record the URL (this thread)."""
        t0 = time.perf_counter()
        fetched, page, fetch_seconds, read_seconds, extracted = future.result()
        self.summary.waited_seconds += time.perf_counter() - t0
        self.summary.fetch_seconds += fetch_seconds
        self.summary.read_seconds += read_seconds
        url, source_id = job.url, job.source_id
        if page is None:
            self._record(url, source_id, "seen_unchanged", None, None, fetched.etag, fetched.last_modified,
                         known=job.known, attempts=job.attempts)
            return Outcome(url, "unchanged", job.document_id)
        if self._too_old(page):
            self._record(url, source_id, "skipped", None, None, fetched.etag, fetched.last_modified,
                         known=job.known, attempts=job.attempts)
            return Outcome(url, "skipped", title=page.title, published=page.published)
        status, doc_id, error = self._ingest(page, job.entry, extracted)
        if status == "duplicate" and doc_id is not None and job.document_id == doc_id:
            # the same text as last time (a server that sends no validators): the earlier outcome stands
            self._record(url, source_id, "seen_unchanged", None, None, fetched.etag, fetched.last_modified,
                         known=job.known, attempts=job.attempts)
            return Outcome(url, "unchanged", doc_id, None, page.title, page.published, page.language)
        self._record(url, source_id, status, doc_id, error, fetched.etag, fetched.last_modified,
                     known=job.known, attempts=job.attempts)
        return Outcome(url, status, doc_id, error, page.title, page.published, page.language)

    def _ingest(self, page: Page, entry: Entry | None, extracted: Extracted | None = None,
                ) -> tuple[str, int | None, str | None]:
        doc = _incoming(page, entry)
        if page.language != "ru":
            extraction = unread(doc, page.language)
        else:
            if extracted is None:  # extraction on this thread
                extracted = timed(self.extract_fn, doc)
            self.summary.extract_seconds += extracted.seconds
            if extracted.extraction is None:
                t1 = time.perf_counter()
                result = self.writer.fail(doc, extracted.error or "cannot extract")
                self.summary.store_seconds += time.perf_counter() - t1
                return "failed", result.document_id, f"{page.url}: {result.error}"
            extraction = extracted.extraction
        t0 = time.perf_counter()
        result = self.writer.store(doc, extraction)
        status = {"ingested": "ingested", "unread": "unread", "near_duplicate": "duplicate",
                  "duplicate": "duplicate"}.get(result.status, "failed")
        self.summary.store_seconds += time.perf_counter() - t0
        error = f"{page.url}: {result.error}" if status == "failed" else None
        return status, result.document_id, error

    def _failed(self, url: str, source_id: int | None, error: QalaError) -> Outcome:
        message = str(error) if str(error).startswith(url) else f"{url}: {error}"
        self._record(url, source_id, "failed", None, message, None, None,
                     permanent=getattr(error, "permanent", False))
        return Outcome(url, "failed", error=message)

    def _record(self, url: str, source_id: int | None, status: str, doc_id: int | None, error: str | None,
                etag: str | None, last_modified: str | None, *, permanent: bool = False, known: bool | None = None,
                attempts: int = 0) -> None:
        """Write what became of a URL: one INSERT or UPDATE (``known``: whether its row exists, and
        ``attempts`` its failures so far, as the plan read them; None: look them up)."""
        I = schema.SourceItem
        now = self.now()
        with self.writer.transaction() as session:
            if known is None:
                row = session.execute(select(I.attempts).where(I.url == url)).first()
                known, attempts = row is not None, (row.attempts or 0) if row else 0
            values: dict = {"fetched_at": now}
            if source_id is not None:
                values["source_id"] = source_id
            if status == "seen_unchanged":  # a 304 or the same text: the earlier outcome stands
                values.update({k: v for k, v in (("etag", etag), ("last_modified", last_modified)) if v})
            elif status == "failed":
                base = RETRY_PERMANENT if permanent else RETRY_BASE
                values.update(status="failed", attempts=attempts + 1, error=(error or "failed")[:2000],
                              retry_after=now + min(base * 2 ** attempts, RETRY_MAX))
            else:
                values.update(status=status, attempts=0, retry_after=None, error=None, etag=etag,
                              last_modified=last_modified)
                if doc_id is not None:
                    values["document_id"] = doc_id
            if known:
                session.execute(update(I).where(I.url == url).values(**values))
            else:
                values.setdefault("status", status)
                values.setdefault("attempts", 0)
                session.execute(insert(I).values(url=url[:2000], **values))

    # ---------------------------------------------------------------- a followed source

    def listing(self, spec: SourceSpec) -> list[Entry]:
        """The items a source lists now (newest feeds first, as the site orders them)."""
        fetched = self.fetcher.get(spec.url)
        if spec.kind == "feed":
            return feed_entries(fetched.content, fetched.final_url)
        if spec.kind == "list":
            return list_entries(fetched.text(), fetched.final_url, spec.pattern or ".")
        pages, nested = sitemap_entries(fetched.content, fetched.final_url)
        for url in nested[:MAX_SITEMAPS]:
            sub = self.fetcher.get(url)
            pages.extend(sitemap_entries(sub.content, sub.final_url)[0])
        return pages

    def register(self, spec: SourceSpec) -> int:
        """The id of the watched source (added, or its url, kind and pattern brought up to date)."""
        W = schema.WatchedSource
        with Session(self.engine) as session, session.begin():
            row = session.scalar(select(W).where(W.name == spec.name))
            if row is None:
                row = W(name=spec.name, items_seen=0, failures=0)
                session.add(row)
            row.url, row.kind, row.pattern = spec.url, spec.kind, spec.pattern
            session.flush()
            return row.id

    def run_source(self, spec: SourceSpec, *, stop: Callable[[], bool] = lambda: False,
                   on_outcome: Callable[[Outcome], None] | None = None) -> CollectSummary:
        """One pass over a source: list, fetch what is new, record the run on the source."""
        source_id = self.register(spec)
        mine = CollectSummary()
        listing_error = None
        try:
            entries = self.listing(spec)
        except StoreError:
            raise
        except Exception as e:  # noqa: BLE001 - one broken listing must not stop the other sources
            if not isinstance(e, QalaError):
                e = QalaError(f"cannot read the listing: {type(e).__name__}: {e}")
            entries = []
            listing_error = str(e) if str(e).startswith(spec.url) else f"{spec.url}: {e}"
            mine.errors.append(listing_error)
            mine.counts["failed"] = 1
        for outcome in self.fetch_many(((entry.url, entry) for entry in entries), source_id=source_id,
                                       watching=True, stop=stop):
            mine.add(outcome)
            if on_outcome:
                on_outcome(outcome)
        self._finish_source(source_id, listing_error)
        return mine

    def _finish_source(self, source_id: int, error: str | None) -> None:
        W, I = schema.WatchedSource, schema.SourceItem
        with Session(self.engine) as session, session.begin():
            row = session.get(W, source_id)
            row.last_run = self.now()
            row.last_error = error
            row.items_seen = session.scalar(select(func.count(I.id)).where(I.source_id == source_id)) or 0
            row.failures = session.scalar(select(func.count(I.id)).where(
                I.source_id == source_id, I.status == "failed")) or 0


def fetch_urls(engine: Engine, urls: Iterable[str], *, since: str | None = None, fetcher: Fetcher | None = None,
               on_outcome: Callable[[Outcome], None] | None = None, workers: int = 0) -> CollectSummary:
    """Fetch and ingest the pages at these URLs (``qala fetch``; ``workers``: see ``Collector``)."""
    started = time.perf_counter()
    with Collector(engine, fetcher=fetcher, since=since, workers=workers) as collector:
        for outcome in collector.fetch_many((url, None) for url in urls):
            if on_outcome:
                on_outcome(outcome)
        collector.summary.wall_seconds = time.perf_counter() - started
        return collector.summary


"""`qala watch`: follow sources until stopped, one pass every interval.

A stop (Ctrl-C or SIGTERM) is noticed between items: the item in hand is finished and written,
nothing half-done is left, and the next run picks up from what the store says was seen.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Engine

from qala.sources.collect import Collector, CollectSummary, Outcome
from qala.sources.config import SourceSpec
from qala.sources.http import Fetcher


@contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGINT and SIGTERM set ``stop`` instead of raising mid-write (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}

    def handler(signum, frame) -> None:
        stop.set()

    for sig in (signal.SIGINT, signal.SIGTERM):
        previous[sig] = signal.signal(sig, handler)
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def stored_sources(engine: Engine, *, exclude: set[str]) -> list[SourceSpec]:
    """Sources added on the sources page (kept in the store), besides those of the file."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from qala.store import schema

    W = schema.WatchedSource
    with Session(engine) as session:
        rows = session.execute(select(W.name, W.url, W.kind, W.pattern).order_by(W.id)).all()
    return [SourceSpec(name, url, kind, pattern) for name, url, kind, pattern in rows if name not in exclude]


def watch(engine: Engine, sources: list[SourceSpec], *, once: bool = False, interval: float = 900.0,
          since: str | None = None, fetcher: Fetcher | None = None, stop: threading.Event | None = None,
          progress: Callable[[str], None] = print,
          on_outcome: Callable[[Outcome], None] | None = None, workers: int = 0) -> CollectSummary:
    """Pass over every source (those given, then those added on the sources page), then wait
    ``interval`` seconds and again, until stopped (or once)."""
    stop = stop or threading.Event()
    with stop_on_signals(stop), Collector(engine, fetcher=fetcher, since=since, workers=workers) as collector:
        while not stop.is_set():
            for spec in sources + stored_sources(engine, exclude={s.name for s in sources}):
                if stop.is_set():
                    break
                done = collector.run_source(spec, stop=stop.is_set, on_outcome=on_outcome)
                line = f"{spec.name}: {done.line()}"
                if done.errors and done.counts.get("failed") and not sum(
                        v for k, v in done.counts.items() if k != "failed"):
                    line += f" ({done.errors[0]})"
                progress(line)
            if once or stop.wait(interval):
                break
        if stop.is_set():
            progress("stopped: everything fetched so far is stored")
        return collector.summary

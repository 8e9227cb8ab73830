"""Browser fixtures: a seeded store served by uvicorn in a thread, and Debian's headless Chromium.

Without /usr/bin/chromium the browser tests skip locally and fail under CI (CI=true), where
`make test` installs it.
"""

from __future__ import annotations

import os
import socket
import threading
import time

import pytest

from web.webtools import CHROMIUM, CHROMIUM_ARGS, CONTRADICTING, factories


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """A uvicorn server on a free loopback port over a store with the factories and the samples."""
    import uvicorn

    from qala.api import create_app
    from qala.config import Settings
    from qala.ingest.batch import ingest_items
    from qala.samples import sample_records
    from qala.store.db import open_store
    from qala.store.ingest import IncomingDocument

    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'qala.sqlite3'}"
    engine = open_store(url)
    ids = factories.seed_monitoring(engine, factories.seed_store(engine))
    ingest_items(engine, [IncomingDocument(**r) for r in sample_records() + CONTRADICTING])
    app = create_app(Settings(database_url=url, secret_key="browser-tests"), engine=engine)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start within 20 s")
        time.sleep(0.05)
    yield {"base": f"http://127.0.0.1:{port}", "ids": ids}
    server.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"CI=true but {CHROMIUM} is missing (make browser installs it)")
        pytest.skip(f"{CHROMIUM} not installed (make browser)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU")
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
    pg.js_errors = errors
    yield pg
    context.close()

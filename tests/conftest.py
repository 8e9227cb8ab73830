"""Shared fixtures: the NLP pipeline once per session, a fresh store per test on SQLite and PostgreSQL.

PostgreSQL runs when QALA_TEST_POSTGRES_URL is set; each test gets its own schema there. Under
CI (CI=true) a missing or unreachable PostgreSQL fails the run instead of skipping.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("QALA_SHARED", ROOT.parent / "shared"))
CORPUS_DEV = SHARED / "corpus" / "dev"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--corpus", action="store_true", help="also run the slow corpus checks")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--corpus"):
        return
    skip = pytest.mark.skip(reason="corpus run: enable with --corpus")
    for item in items:
        if "corpus" in item.keywords:
            item.add_marker(skip)


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def nlp():
    from qala.extractor.nlp import pipeline

    return pipeline()


@pytest.fixture(scope="session")
def postgres_url() -> str:
    url = os.environ.get("QALA_TEST_POSTGRES_URL")
    if not url:
        if in_ci():
            pytest.fail("CI=true but QALA_TEST_POSTGRES_URL is not set")
        pytest.skip("QALA_TEST_POSTGRES_URL not set")
    from sqlalchemy import text

    from qala.errors import StoreError
    from qala.store.db import check_connection, make_engine

    try:
        check_connection(make_engine(url))
    except StoreError as e:
        if in_ci():
            pytest.fail(f"PostgreSQL unreachable under CI: {e}")
        pytest.skip(str(e))
    del text
    return url


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path):
    """A URL of an empty database, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'qala.sqlite3'}"
        return
    from qala.store.db import scratch_schema

    url, drop = scratch_schema(request.getfixturevalue("postgres_url"), "qtest")
    try:
        yield url
    finally:
        drop()


@pytest.fixture
def engine(db_url: str):
    """A migrated, empty store."""
    from qala.store.db import open_store

    eng = open_store(db_url)
    yield eng
    eng.dispose()


@pytest.fixture(autouse=True)
def read_own_writes(monkeypatch):
    """Servers made by tests let a reader wait (up to 60 s) for the background rebuild of the
    derived tables, so a test that writes and then reads sees its write; the tests of the
    background rebuild itself set qala.api.monitoring.WAIT_AT_LEAST back to 0."""
    monkeypatch.setattr("qala.api.monitoring.WAIT_AT_LEAST", 60.0)
    monkeypatch.setattr("qala.api.monitoring.REBUILD_IN_CHILD", False)  # in the thread: no process to start

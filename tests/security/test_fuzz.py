"""Schemathesis over the OpenAPI schema, every string it generates (query and path parameters, JSON
body fields) poisoned with a NUL character or a lone surrogate, on SQLite and on PostgreSQL, signed
in so that the writes run too: never a server error, always the one error shape."""

from __future__ import annotations

import atexit
import json
import os
import tempfile
from pathlib import Path
from urllib.parse import quote

import pytest
import schemathesis
from api.factories import seed_store
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings

from qala.api import create_app
from qala.config import Settings
from qala.store.db import open_store
from security.conftest import SECRET, VALID

POISONS = ("\x00", chr(0xD800), "a\x00b", chr(0xDFFF) + "z")


def _app(url: str):
    engine = open_store(url)
    seed_store(engine)
    # workers=0: documents are read in a thread here (the fuzzer sends many; no process to start)
    app = create_app(Settings(database_url=url, secret_key=SECRET, extract_workers=0, extract_queue=64),
                     engine=engine)
    app.state.client = TestClient(app, raise_server_exceptions=False)
    return app


def _schemas():
    """The apps over seeded stores, built when the module is collected (schemathesis needs the schema
    to make its cases): SQLite in a temporary folder, PostgreSQL in a scratch schema dropped at exit."""
    url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='qala-fuzz-')) / 'qala.sqlite3'}"
    schemas = {"sqlite": _app(url)}
    pg = os.environ.get("QALA_TEST_POSTGRES_URL")
    if pg:
        from qala.store.db import scratch_schema

        pg_url, drop = scratch_schema(pg, "qsecfuzz")
        atexit.register(drop)
        schemas["postgres"] = _app(pg_url)
    return {name: schemathesis.openapi.from_asgi("/api/openapi.json", app) for name, app in schemas.items()}, \
        {name: app for name, app in schemas.items()}


SCHEMAS, APPS = _schemas()
sqlite_schema = SCHEMAS["sqlite"]
postgres_schema = SCHEMAS.get("postgres")


def poison(value, n: int = 0):
    """Every string in ``value`` with a NUL or a lone surrogate in it (query strings: NUL only, since
    a URL carries UTF-8 and a surrogate has none)."""
    if isinstance(value, str):
        return value + POISONS[n % len(POISONS)]
    if isinstance(value, dict):
        return {k: poison(v, n + i) for i, (k, v) in enumerate(value.items())}
    if isinstance(value, list):
        return [poison(v, n + i) for i, v in enumerate(value)]
    return value


def in_url(value, n: int = 0):
    if isinstance(value, str):
        return value + ("\x00", "a\x00")[n % 2]
    if isinstance(value, list):
        return [in_url(v, n) for v in value]
    return value


def check(app, case) -> None:
    path = case.path
    for i, (name, value) in enumerate((case.path_parameters or {}).items()):
        path = path.replace("{" + name + "}", quote(str(in_url(value, i)), safe=""))
    query = {k: in_url(v, i) for i, (k, v) in enumerate((case.query or {}).items())}
    kwargs = {}
    if case.body is not None and not isinstance(case.body, (bytes, str)) and case.media_type == "application/json":
        # written by hand: json.dumps escapes a lone surrogate as \\udXXX, as any client may send it
        kwargs["content"] = json.dumps(poison(case.body)).encode()
    response = app.state.client.request(case.method, path, params=query,
                                        headers={**VALID, "Content-Type": "application/json"}, **kwargs)
    assert response.status_code < 500, f"{case.method} {path} {query}: {response.text[:300]}"
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"ok", "error", "status"} and body["ok"] is False, body
        assert not any(w in body["error"] for w in ("[SQL", "INSERT", "SELECT ", "parameters:")), body


@sqlite_schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
def test_poisoned_strings_never_cause_a_server_error_on_sqlite(case):
    check(APPS["sqlite"], case)


if postgres_schema is not None:
    @postgres_schema.parametrize()
    @settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
    def test_poisoned_strings_never_cause_a_server_error_on_postgresql(case):
        check(APPS["postgres"], case)
else:
    def test_poisoned_strings_never_cause_a_server_error_on_postgresql():
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail("CI=true but QALA_TEST_POSTGRES_URL is not set")
        pytest.skip("QALA_TEST_POSTGRES_URL not set")

"""Property-based requests over the OpenAPI schema: whatever the input, never a server error.

Bounded (a few examples per operation) so it stays quick; runs against a seeded SQLite store.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings

from api.factories import seed_store
from qala.api import create_app
from qala.config import Settings
from qala.store.db import open_store


def _schema():
    """The app over a seeded SQLite store in a temporary folder (built when the module is collected:
    schemathesis needs the schema to generate its test cases)."""
    url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='qala-st-')) / 'qala.sqlite3'}"
    engine = open_store(url)
    seed_store(engine)
    app = create_app(Settings(database_url=url, secret_key="k"), engine=engine)
    return schemathesis.openapi.from_asgi("/api/openapi.json", app)


schema = _schema()


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_error(case):
    response = case.call_and_validate(checks=[schemathesis.checks.not_a_server_error])
    assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.text[:300]}"
    if response.status_code >= 400:
        body = response.json()  # every API error is JSON with one shape
        assert set(body) == {"ok", "error", "status"} and body["ok"] is False

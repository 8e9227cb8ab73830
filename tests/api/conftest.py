"""API fixtures: a seeded store (SQLite and PostgreSQL) and a TestClient over create_app."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.factories import PASSWORD, csrf_of, seed_store
from qala.api import create_app
from qala.config import Settings


@pytest.fixture
def seeded(engine):
    return seed_store(engine)


@pytest.fixture
def client(engine, db_url, seeded):
    app = create_app(Settings(database_url=db_url, secret_key="test-secret"), engine=engine)
    with TestClient(app) as c:
        yield c


@pytest.fixture
def signed_in(client):
    """The client after signing in through the form (session cookie + CSRF token)."""
    client.get("/login")
    token = csrf_of(client.get("/login").text)
    r = client.post("/login", data={"username": "analyst", "password": PASSWORD, "csrf": token},
                    follow_redirects=False)
    assert r.status_code == 303
    return client

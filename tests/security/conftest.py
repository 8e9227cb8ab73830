"""A live Qala server on 127.0.0.1 (a `qala serve` process on a free port) over a seeded store,
once on SQLite and once on PostgreSQL; the attacks in this folder run against it over HTTP.

The main server keeps reading private (QALA_PUBLIC_READ=0) and allows many failed sign-ins per
address, so that the tests that fail on purpose do not lock the others out; the throttling test
starts a server of its own with small limits.
"""

from __future__ import annotations

import base64
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from api.factories import PASSWORD, seed_store

SECRET = "a-test-secret-that-is-long-enough-for-qala"
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def qala_env(db_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QALA_")}
    env.update({"QALA_DATABASE_URL": db_url, "QALA_SECRET_KEY": SECRET, "PYTHONUNBUFFERED": "1", **extra})
    return env


def qala(*args: str, env: dict[str, str], timeout: float = 300, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "qala", *args], env=env, capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT, check=False, **kw)


@dataclass
class Server:
    url: str
    db_url: str
    process: subprocess.Popen
    ids: dict[str, int]

    def client(self, **kw) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=120, **kw)


def basic(user: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


VALID = basic("analyst", PASSWORD)


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def sign_in(client: httpx.Client, user: str = "analyst", password: str = PASSWORD) -> httpx.Response:
    token = csrf_of(client.get("/login").text)
    return client.post("/login", data={"username": user, "password": password, "csrf": token})


def start_server(db_url: str, ids: dict[str, int] | None = None, **env: str) -> Server:
    port = free_port()
    settings = {"QALA_PUBLIC_READ": "0", "QALA_LOGIN_ATTEMPTS": "100000", "QALA_ADDRESS_ATTEMPTS": "100000", **env}
    process = subprocess.Popen([sys.executable, "-m", "qala", "serve", "--port", str(port)],
                               env=qala_env(db_url, **settings), cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"qala serve stopped: {process.stdout.read()}")
        try:
            httpx.get(url + "/login", timeout=2)
            break
        except httpx.TransportError:
            time.sleep(0.2)
    else:
        stop_server(process)
        raise RuntimeError("qala serve did not answer within 120 s")
    return Server(url, db_url, process, ids or {})


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def seeded_store(request, tmp_path_factory) -> Iterator[tuple[str, dict[str, int]]]:
    """(URL, ids) of a seeded store (the API tests' factories), per module and backend."""
    from qala.store.db import open_store, scratch_schema

    drop = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sec') / 'qala.sqlite3'}"
    else:
        url, drop = scratch_schema(request.getfixturevalue("postgres_url"), "qsec")
    engine = open_store(url)
    ids = seed_store(engine)
    engine.dispose()
    yield url, ids
    if drop:
        drop()


@pytest.fixture(scope="module")
def live(seeded_store) -> Iterator[Server]:
    server = start_server(*seeded_store)
    yield server
    stop_server(server.process)


@pytest.fixture
def server_factory() -> Iterator[Callable[..., Server]]:
    """start(db_url, **env) -> a server of the test's own, stopped afterwards."""
    started: list[Server] = []

    def start(db_url: str, **env: str) -> Server:
        server = start_server(db_url, **env)
        started.append(server)
        return server

    yield start
    for server in started:
        stop_server(server.process)

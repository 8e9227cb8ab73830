"""The pieces of issue 13 that need no live server: the Guard's limit on a body sent in chunks,
the extraction queue's bound, the sign-in gate's lockout and its expiry, settings refused."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from fastapi import FastAPI, Request

from qala.api.extraction import Busy, Extractor
from qala.api.guard import Guard
from qala.auth import Gate, TooManyAttempts
from qala.config import Settings
from qala.errors import ConfigError


def _echo_app(settings: Settings) -> FastAPI:
    app = FastAPI()

    @app.post("/api/echo")
    async def echo(request: Request) -> dict:
        return {"bytes": len(await request.body())}

    app.add_middleware(Guard, settings=settings)
    return app


def test_a_body_in_chunks_is_cut_at_the_limit_whatever_the_app_does():
    app = _echo_app(Settings(max_request_bytes=100_000))

    async def run(size: int) -> httpx.Response:
        async def chunks():
            for _ in range(size // 10_000):
                yield b"x" * 10_000

        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            return await client.post("/api/echo", content=chunks(), headers={"Authorization": "Basic eDp5"})

    small, large = asyncio.run(run(50_000)), asyncio.run(run(1_000_000))
    assert small.status_code == 200 and small.json() == {"bytes": 50_000}
    assert large.status_code == 413 and large.json()["error"].startswith("expected a request of at most 97 KB")
    assert "content-security-policy" in large.headers


def test_the_extraction_queue_is_bounded():
    extractor = Extractor(workers=0, queue=2)
    extractor.in_flight = 2  # two documents are being read
    with pytest.raises(Busy, match="try again"):
        asyncio.run(extractor.add(None, "sqlite:///unused.sqlite3", {}, 1))
    assert Busy.status == 503


def test_a_user_name_is_locked_out_after_failures_and_the_lockout_expires():
    gate = Gate(limit_user=3, limit_address=100, lockout=0.5)
    for _ in range(3):
        gate.check_open("Analyst", "10.0.0.1")
        gate.failed("Analyst", "10.0.0.1")
    with pytest.raises(TooManyAttempts) as locked:
        gate.check_open("analyst", "10.0.0.2")  # the name, whatever its case and address
    assert locked.value.status == 429 and locked.value.retry_after >= 1
    gate.check_open("someone", "10.0.0.1")  # others from that address go on
    time.sleep(0.6)
    gate.check_open("analyst", "10.0.0.1")


def test_an_address_is_locked_out_after_failures_under_many_names():
    gate = Gate(limit_user=100, limit_address=4, lockout=60)
    for n in range(4):
        gate.failed(f"user{n}", "10.0.0.9")
    with pytest.raises(TooManyAttempts, match="this address"):
        gate.check_open("analyst", "10.0.0.9")
    gate.check_open("analyst", "10.0.0.10")


@pytest.mark.parametrize(("env", "message"), [
    ({"QALA_SECRET_KEY": "x"}, "QALA_SECRET_KEY: expected at least 32 characters"),
    ({"QALA_DATABASE_URL": "sqlite:///"}, "a database in memory that keeps nothing"),
    ({"QALA_DATABASE_URL": "sqlite://"}, "a database in memory that keeps nothing"),
    ({"QALA_DATABASE_URL": "sqlite:///:memory:"}, "a database in memory that keeps nothing"),
    ({"QALA_EXTRACT_WORKERS": "-1"}, "QALA_EXTRACT_WORKERS: expected a positive whole number"),
])
def test_unsafe_settings_are_refused(env, message):
    with pytest.raises(ConfigError, match=message):
        Settings.from_env({"QALA_HOME": "/tmp/qala-settings-test", **env})


def test_secure_cookies_and_long_secrets_are_accepted():
    settings = Settings.from_env({"QALA_HOME": "/tmp/qala-settings-test", "QALA_SECURE_COOKIES": "1",
                                  "QALA_SECRET_KEY": "k" * 32})
    assert settings.secure_cookies and settings.secret_key == "k" * 32

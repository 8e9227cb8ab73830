"""An unlucky operator: a read-only store, an unwritable QALA_HOME, an SQLite URL without a file,
the database lost while serving, a short secret; and an attacker guessing passwords."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import time
from pathlib import Path

import pytest
from api.factories import PASSWORD, seed_store

from qala.store.db import open_store
from security.conftest import ROOT, basic, csrf_of, qala, qala_env, sign_in

NOBODY = 65534


def one_line(result) -> str:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1, result.stderr
    return result.stderr


# ================================================================ stores that cannot be written

@pytest.fixture
def readonly_store():
    """A seeded SQLite store in a folder and file that user nobody may read but not write."""
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("needs root and setpriv to act as another user")
    folder = Path(tempfile.mkdtemp(prefix="qala-ro-"))
    path = folder / "qala.sqlite3"
    engine = open_store(f"sqlite:///{path}")
    seed_store(engine)
    engine.dispose()
    for p in (folder, *folder.iterdir()):
        p.chmod(0o755 if p.is_dir() else 0o644)
    yield path
    shutil.rmtree(folder)


def as_nobody(*args: str, env: dict[str, str]) -> tuple[int, str, str]:
    import subprocess
    import sys

    env = {**env, "HOME": "/tmp", "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
                             sys.executable, "-m", "qala", *args], env=env, capture_output=True, text=True,
                            timeout=300, cwd="/tmp", check=False)
    return result.returncode, result.stdout, result.stderr


def test_a_read_only_store_is_read_without_migrations_and_refuses_changes(readonly_store):
    env = qala_env(f"sqlite:///{readonly_store}", PYTHONPATH=str(ROOT))
    before = readonly_store.read_bytes()
    code, out, err = as_nobody("serve", "--get", "/api/documents", env=env)
    assert code == 0 and '"count":3' in out.replace(" ", ""), (out, err)
    code, out, err = as_nobody("facts", "--json", env=env)
    assert code == 0 and "850" in out, (out, err)
    code, out, err = as_nobody("user", "add", "someone", "--password", "long enough secret", env=env)
    assert code == 1 and "read-only" in err and "Traceback" not in err and err.count("\n") == 1, err
    assert readonly_store.read_bytes() == before  # nothing written, not even the WAL switch
    assert not Path(f"{readonly_store}-wal").exists()


@pytest.mark.parametrize("args", [["serve", "--get", "/api/facts"], ["user", "add", "analyst", "--password",
                                  "long enough secret"], ["demo", "--no-serve"], ["serve", "--port", "1"],
                                  ["ingest", "/nonexistent.txt"]])
def test_an_unwritable_home_is_one_clear_line(args):
    env = qala_env("")
    env.pop("QALA_DATABASE_URL")
    env["QALA_HOME"] = "/proc/qala-cannot-be-here"
    assert "cannot open the database /proc/qala-cannot-be-here/qala.sqlite3" in one_line(qala(*args, env=env))


@pytest.mark.parametrize("url", ["sqlite:///", "sqlite://", "sqlite:///:memory:"])
def test_an_sqlite_url_without_a_file_keeps_nothing_so_it_is_refused(url, tmp_path):
    text = tmp_path / "release.txt"
    text.write_text("В 2023 году в Алматы открыли 5 школ.", encoding="utf-8")
    by_env = qala("ingest", str(text), env=qala_env(url))
    assert "keeps nothing" in one_line(by_env) and "ingested" not in by_env.stdout
    by_option = qala("ingest", str(text), "--db", url, env=qala_env(f"sqlite:///{tmp_path / 'q.sqlite3'}"))
    assert "keeps nothing" in one_line(by_option)


def test_a_short_secret_stops_the_server_at_once(tmp_path):
    env = qala_env(f"sqlite:///{tmp_path / 'q.sqlite3'}", QALA_SECRET_KEY="short")
    assert "QALA_SECRET_KEY: expected at least 32 characters" in one_line(qala("serve", "--port", "1", env=env))


# ================================================================ the database lost while serving

def test_an_sqlite_store_lost_while_serving_is_a_503_with_the_reason(server_factory, tmp_path):
    path = tmp_path / "qala.sqlite3"
    engine = open_store(f"sqlite:///{path}")
    seed_store(engine)
    engine.dispose()
    server = server_factory(f"sqlite:///{path}", QALA_PUBLIC_READ="1")
    with server.client() as client:
        assert client.get("/api/documents").status_code == 200
        for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            if name.exists():
                with open(name, "r+b") as handle:  # the disk turned to noise under the server
                    handle.write(b"\x13" * min(name.stat().st_size, 1 << 20))
        for route in ("/api/documents", "/api/facts", "/api/checks"):
            r = client.get(route)
            assert r.status_code == 503, (route, r.status_code, r.text[:300])
            assert r.json()["error"].startswith("the database"), r.text
        page = client.get("/documents")
        assert page.status_code == 503 and "База данных недоступна" in page.text


def test_a_postgresql_store_lost_while_serving_is_a_503_with_the_reason(server_factory, postgres_url):
    from qala.store.db import scratch_schema

    url, drop = scratch_schema(postgres_url, "qsecgone")
    try:
        engine = open_store(url)
        seed_store(engine)
        engine.dispose()
        server = server_factory(url, QALA_PUBLIC_READ="1")
        with server.client() as client:
            assert client.get("/api/documents").status_code == 200
            drop()  # the schema and every table in it are gone
            for route in ("/api/documents", "/api/facts", "/api/persons"):
                r = client.get(route)
                assert r.status_code == 503 and r.json()["error"].startswith("the database"), r.text
    finally:
        drop()


# ================================================================ guessing passwords

def test_sign_in_is_throttled_per_user_and_per_address_and_the_lockout_expires(server_factory, tmp_path):
    import httpx

    path = tmp_path / "qala.sqlite3"
    engine = open_store(f"sqlite:///{path}")
    seed_store(engine)
    engine.dispose()
    server = server_factory(f"sqlite:///{path}", QALA_LOGIN_ATTEMPTS="3", QALA_ADDRESS_ATTEMPTS="8",
                            QALA_LOCKOUT_SECONDS="3")
    with server.client() as client:
        for _ in range(3):
            assert client.get("/api/documents", headers=basic("analyst", "guess")).status_code == 401
        locked = client.get("/api/documents", headers=basic("analyst", PASSWORD))
        assert locked.status_code == 429 and int(locked.headers["retry-after"]) >= 1
        assert "too many failed sign-ins" in locked.json()["error"]
        form = sign_in(client)  # the form is locked out as well, in Russian
        assert form.status_code == 429 and "Слишком много неудачных попыток" in form.text
        time.sleep(3.5)
        assert client.get("/api/documents", headers=basic("analyst", PASSWORD)).status_code == 200
        for n in range(5):  # many names from one address: 8 failures with the 3 above
            assert client.get("/api/documents", headers=basic(f"guess{n}", "x")).status_code == 401
        assert client.get("/api/documents", headers=basic("analyst", PASSWORD)).status_code == 429
    started = time.monotonic()
    with httpx.Client(base_url=server.url, timeout=30) as other:
        other.get("/api/documents", headers=basic("analyst", "guess"))
    assert time.monotonic() - started < 1  # a locked-out try runs no argon2


def test_secure_cookies_carry_the_secure_flag(server_factory, tmp_path):
    path = tmp_path / "qala.sqlite3"
    engine = open_store(f"sqlite:///{path}")
    seed_store(engine)
    engine.dispose()
    server = server_factory(f"sqlite:///{path}", QALA_SECURE_COOKIES="1")
    with server.client() as client:
        r = client.get("/login")
        assert "secure" in r.headers["set-cookie"].lower()
        assert r.headers["strict-transport-security"].startswith("max-age=")


def test_the_form_says_the_document_limit_in_russian(server_factory, tmp_path):
    path = tmp_path / "qala.sqlite3"
    engine = open_store(f"sqlite:///{path}")
    seed_store(engine)
    engine.dispose()
    server = server_factory(f"sqlite:///{path}", QALA_MAX_DOCUMENT_BYTES="20000")
    with server.client() as client:
        sign_in(client)
        token = csrf_of(client.get("/add").text)
        over = client.post("/add", data={"csrf": token, "text": "Школы Алматы. " * 3000})
        assert over.status_code == 413 and "допускается не больше 19,5 КБ" in over.text
        assert "Школы Алматы." in over.text  # the form keeps what was typed
        huge = client.post("/add", data={"csrf": token, "text": "я" * 400_000})
        assert huge.status_code == 413 and "допускается не больше 19,5 КБ" in huge.text


def test_a_pasted_text_over_one_megabyte_is_accepted_under_the_document_limit(server_factory, tmp_path):
    path = tmp_path / "qala.sqlite3"
    engine = open_store(f"sqlite:///{path}")
    seed_store(engine)
    engine.dispose()
    server = server_factory(f"sqlite:///{path}", QALA_MAX_DOCUMENT_BYTES=str(3 * 1024 * 1024))
    with server.client() as client:
        sign_in(client)
        token = csrf_of(client.get("/add").text)
        text = "В 2023 году в Алматы открыли 5 школ.\n" + " " * (1_200_000)
        r = client.post("/add", data={"csrf": token, "text": text})
        assert r.status_code == 303 and r.headers["location"].startswith("/documents/"), r.text[:500]


def test_files_of_the_store_are_not_left_world_writable(tmp_path):
    """The lock file beside an SQLite store is created with the process's usual mode."""
    open_store(f"sqlite:///{tmp_path / 'q.sqlite3'}").dispose()
    lock = tmp_path / "q.sqlite3.lock"
    assert lock.exists() and not lock.stat().st_mode & stat.S_IWOTH

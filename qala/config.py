"""One settings object, read from the environment when asked for (never at import time)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def default_data_dir() -> Path:
    """Where the embedded SQLite database lives: $QALA_HOME, else $XDG_DATA_HOME/qala, else ~/.local/share/qala."""
    if os.environ.get("QALA_HOME"):
        return Path(os.environ["QALA_HOME"])
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "qala"


@dataclass(frozen=True)
class Settings:
    database_url: str = ""
    max_document_bytes: int = 10 * 1024 * 1024
    public_read: bool = True
    secret_key: str = ""
    data_dir: Path = field(default_factory=default_data_dir)
    secure_cookies: bool = False  # QALA_SECURE_COOKIES=1: the session cookie only travels over HTTPS
    extract_workers: int = 1  # worker processes reading posted documents (0: a thread of the server)
    extract_queue: int = 4  # documents read or waiting at once; one more gets a 503
    max_request_bytes: int = 1024 * 1024  # any other request body
    login_attempts: int = 5  # failed sign-ins per user name before a lockout
    address_attempts: int = 20  # failed sign-ins per client address before a lockout
    lockout_seconds: int = 300
    # QALA_REBUILD_WAIT: seconds a reader may wait for a pending rebuild of the derived tables
    # (0: never; readers get the last complete rebuild with the note "обновляется")
    rebuild_wait: float = 0.0

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        data_dir = Path(env["QALA_HOME"]) if env.get("QALA_HOME") else default_data_dir()
        url = env.get("QALA_DATABASE_URL") or f"sqlite:///{data_dir / 'qala.sqlite3'}"
        check_database_url(url, "QALA_DATABASE_URL")
        secret = env.get("QALA_SECRET_KEY", "")
        if secret and len(secret) < MIN_SECRET:
            from qala.errors import ConfigError

            raise ConfigError(f"QALA_SECRET_KEY: expected at least {MIN_SECRET} characters (e.g. the output of "
                              f"`python -c 'import secrets; print(secrets.token_urlsafe(32))'`), got {len(secret)}")
        workers = env.get("QALA_EXTRACT_WORKERS", "1")
        return cls(
            database_url=url,
            max_document_bytes=_positive_int(env, "QALA_MAX_DOCUMENT_BYTES", 10 * 1024 * 1024),
            public_read=not _false(env.get("QALA_PUBLIC_READ", "1")),
            secret_key=secret,
            data_dir=data_dir,
            secure_cookies=not _false(env.get("QALA_SECURE_COOKIES", "0")),
            extract_workers=0 if workers == "0" else _positive_int(env, "QALA_EXTRACT_WORKERS", 1),
            extract_queue=_positive_int(env, "QALA_EXTRACT_QUEUE", 4),
            login_attempts=_positive_int(env, "QALA_LOGIN_ATTEMPTS", 5),
            address_attempts=_positive_int(env, "QALA_ADDRESS_ATTEMPTS", 20),
            lockout_seconds=_positive_int(env, "QALA_LOCKOUT_SECONDS", 300),
            rebuild_wait=_seconds(env, "QALA_REBUILD_WAIT"),
        )


MIN_SECRET = 32


def _seconds(env: dict[str, str], name: str) -> float:
    text = env.get(name, "0").strip() or "0"
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 3600:
        from qala.errors import ConfigError

        raise ConfigError(f"{name}: expected seconds between 0 and 3600, got {text!r}")
    return value


def _false(value: str) -> bool:
    return value.strip().lower() in {"0", "false", "no", "off"}


def check_database_url(url: str, name: str = "--db") -> str:
    """Refuse an SQLite URL without a file: a database in memory keeps nothing once the command ends.

    >>> check_database_url("sqlite:///")
    Traceback (most recent call last):
    ...
    qala.errors.ConfigError: --db: expected an SQLite URL with a file path (sqlite:///path/qala.sqlite3), got 'sqlite:///', a database in memory that keeps nothing
    """
    if url.startswith("sqlite"):
        path = url.split("://", 1)[1] if "://" in url else ""
        path = path.removeprefix("/")
        if path.split("?", 1)[0] in ("", ":memory:") or "mode=memory" in path:
            from qala.errors import ConfigError

            raise ConfigError(f"{name}: expected an SQLite URL with a file path (sqlite:///path/qala.sqlite3), "
                              f"got {url!r}, a database in memory that keeps nothing")
    return url


def _positive_int(env: dict[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value <= 0:
        from qala.errors import ConfigError

        raise ConfigError(f"{name}: expected a positive whole number, got {raw!r}")
    return value

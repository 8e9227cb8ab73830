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

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        data_dir = Path(env["QALA_HOME"]) if env.get("QALA_HOME") else default_data_dir()
        url = env.get("QALA_DATABASE_URL") or f"sqlite:///{data_dir / 'qala.sqlite3'}"
        return cls(
            database_url=url,
            max_document_bytes=_positive_int(env, "QALA_MAX_DOCUMENT_BYTES", 10 * 1024 * 1024),
            public_read=env.get("QALA_PUBLIC_READ", "1").lower() not in {"0", "false", "no"},
            secret_key=env.get("QALA_SECRET_KEY", ""),
            data_dir=data_dir,
        )


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

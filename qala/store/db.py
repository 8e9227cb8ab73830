"""Engine and sessions from a URL; migrations applied with Alembic on open."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from qala.errors import ConfigError, StoreError

MIGRATIONS = Path(__file__).with_name("migrations")


def normalize_url(url: str) -> str:
    """Accept plain postgres URLs and pick the psycopg 3 driver for them.

    >>> normalize_url("postgresql://postgres@127.0.0.1/test")
    'postgresql+psycopg://postgres@127.0.0.1/test'
    """
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def _sqlite_read_only_pragmas(dbapi_connection, _record) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA query_only=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def sqlite_path(url: str) -> Path | None:
    """The file of an SQLite URL, None for one in memory.

    >>> sqlite_path("sqlite:////var/lib/qala/qala.sqlite3")
    PosixPath('/var/lib/qala/qala.sqlite3')
    """
    path = url.split(":///", 1)[1] if ":///" in url else ""
    path = path.split("?", 1)[0]
    path = path.removeprefix("file:")
    return Path(path).expanduser() if path and path != ":memory:" else None


def _writable(path: Path) -> bool:
    """Whether SQLite may write here: the file and its folder (where the WAL and lock files go)."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def make_engine(url: str) -> Engine:
    """An engine for ``url``. An SQLite file this process may not write is opened read-only
    (``is_read_only``): no WAL switch, no migrations, every write refused."""
    url = normalize_url(url)
    if not url.startswith(("sqlite", "postgresql")):
        raise ConfigError(f"expected a sqlite:/// or postgresql:// database URL, got {url.split(':')[0]!r}")
    try:
        if url.startswith("sqlite"):
            path = sqlite_path(url)
            if path is not None and path.exists() and not _writable(path):
                return _read_only_sqlite(path)
            if path is not None:
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                except OSError as e:
                    raise StoreError(f"cannot open the database {path}: cannot create its folder "
                                     f"({e.strerror or e}); set QALA_HOME or --db to a writable place") from None
                if not os.access(path.parent, os.W_OK):
                    raise StoreError(f"cannot open the database {path}: its folder is not writable; "
                                     "set QALA_HOME or --db to a writable place")
            engine = create_engine(url, connect_args={"timeout": 30})
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 5})
    except (SQLAlchemyError, ValueError, ImportError) as e:
        raise ConfigError(f"cannot use database URL: {e}") from None
    return engine


def _read_only_sqlite(path: Path) -> Engine:
    from urllib.parse import quote

    if not os.access(path, os.R_OK):
        raise StoreError(f"cannot read the database {path}: permission denied")
    for mode in ("mode=ro", "immutable=1"):  # immutable: a WAL store whose folder is read-only too
        engine = create_engine(f"sqlite:///file:{quote(str(path.resolve()))}?{mode}&uri=true",
                               connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_read_only_pragmas)
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT count(*) FROM sqlite_master"))
        except OperationalError:
            engine.dispose()
            continue
        return engine
    raise StoreError(f"cannot read the database {path}: SQLite cannot open it read-only")


def is_read_only(engine: Engine) -> bool:
    """Whether ``make_engine`` opened this SQLite store read-only."""
    query = engine.url.query
    return engine.dialect.name == "sqlite" and (query.get("mode") == "ro" or query.get("immutable") == "1")


def check_connection(engine: Engine) -> None:
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as e:
        first = str(e.orig).strip().splitlines()[0] if e.orig else str(e)
        raise StoreError(f"cannot connect to the database at {engine.url.render_as_string()}: {first}") from None


def alembic_config(engine: Engine):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (each step in its own transaction), one process at
    a time: two commands opening a new store together both succeed."""
    from alembic import command

    check_connection(engine)
    try:
        with first_use_lock(engine):
            command.upgrade(alembic_config(engine), "head")
    except (SQLAlchemyError, OSError) as e:
        first = str(getattr(e, "orig", None) or e).strip().splitlines()[0]
        raise StoreError(f"cannot bring the database at {engine.url.render_as_string()} up to date: "
                         f"{first}") from None


def check_schema(engine: Engine) -> None:
    """For a store opened read-only: its schema must already be this version's (nothing is migrated)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    try:
        with engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
    except SQLAlchemyError as e:
        raise StoreError(f"cannot read the database at {engine.url.database}: {str(e.orig or e).splitlines()[0]}") \
            from None
    if current != head:
        raise StoreError(f"the read-only database {engine.url.database} is at schema {current or 'none'}, this "
                         f"Qala needs {head}: open it once where it is writable to upgrade it")


def open_store(url: str, *, upgrade: bool = True) -> Engine:
    engine = make_engine(url)
    if is_read_only(engine):
        check_schema(engine)
    elif upgrade:
        migrate(engine)
    return engine


FIRST_USE_KEY = "qala:first-use"


@contextlib.contextmanager
def first_use_lock(engine: Engine) -> Iterator[None]:
    """Held while a store's tables are created or its reference rows seeded, across processes:
    an advisory lock on PostgreSQL (per schema), a lock file beside an SQLite database."""
    if engine.dialect.name == "postgresql":
        key = text("SELECT pg_advisory_lock(hashtext(:k || coalesce(current_schema(), '')))")
        with engine.connect() as conn:
            conn.execute(key, {"k": FIRST_USE_KEY})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(hashtext(:k || coalesce(current_schema(), '')))"),
                             {"k": FIRST_USE_KEY})
                conn.commit()
        return
    path = sqlite_path(engine.url.render_as_string(hide_password=False))
    if path is None or is_read_only(engine):
        yield
        return
    import fcntl

    with open(f"{path}.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextlib.contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    with session_factory(engine)() as session, session.begin():
        yield session


def scratch_schema(base_url: str, prefix: str = "qscratch") -> tuple[str, Callable[[], None]]:
    """A new empty PostgreSQL schema on the server of ``base_url``, for tests and benchmarks.

    Returns a URL whose connections use that schema, and a function that drops it.
    """
    import uuid

    admin = make_engine(base_url)
    check_connection(admin)
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))

    def drop() -> None:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()

    sep = "&" if "?" in base_url else "?"
    return f"{normalize_url(base_url)}{sep}options=-csearch_path%3D{schema}", drop

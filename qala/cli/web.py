"""`qala serve`, `qala user add` and `qala demo`: the dashboard and the people who may change things."""

from __future__ import annotations

import datetime as dt
import getpass
import sys
from typing import Annotated

import typer

from qala.cli.common import errors_as_one_line
from qala.cli.store import DbOption
from qala.errors import ConfigError


def settings(db: str | None = None):
    """The configured settings, with the database of ``--db`` when given."""
    import dataclasses

    from qala.config import Settings, check_database_url

    found = Settings.from_env()
    return dataclasses.replace(found, database_url=check_database_url(db)) if db else found


def _app(db: str | None = None):
    from qala.api import create_app

    return create_app(settings(db))


def check_port(host: str, port: int) -> None:
    """Fail with one line, before any work is done, when the port cannot be listened on."""
    import errno
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as e:
            if e.errno == errno.EADDRINUSE:
                raise ConfigError(f"port {port} on {host} is taken by another program: stop it or choose "
                                  f"another port with --port N (make demo PORT=N)") from None
            raise ConfigError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None


def get_once(path: str, db: str | None = None) -> int:
    """Run one GET in-process and print the status line and body; returns the exit code."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    if not path.startswith("/"):
        path = "/" + path
    with TestClient(_app(db)) as client:
        response = client.get(path)
    print(response.text)
    return 0 if response.status_code < 400 else 1


def serve(host: str, port: int, db: str | None = None) -> None:
    import uvicorn

    check_port(host, port)
    app = _app(db)
    if app.state.read_only:
        print("Note: the store is read-only (no write permission on its file): served as it is, "
              "without migrations or changes", file=sys.stderr, flush=True)
    print(f"Qala: http://{host}:{port}/  (API: http://{host}:{port}/api/docs)", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


OFFICIAL_SAMPLES_VINTAGE = dt.date(2024, 6, 1)  # when the bundled copies were taken from the Bureau's tables


def ingest_samples(db: str | None = None) -> str:
    """Ingest the bundled sample press releases into the store (of ``--db``, else the configured one);
    returns a summary line."""
    from qala.ingest.batch import ingest_items
    from qala.samples import sample_records
    from qala.store.db import open_store
    from qala.store.ingest import IncomingDocument

    engine = open_store(settings(db).database_url)
    summary = ingest_items(engine, [IncomingDocument(**r) for r in sample_records()])
    official = import_official_samples(engine)
    engine.dispose()
    return (f"samples: {summary.ingested} ingested, {summary.duplicates} already stored, "
            f"{summary.failed} failed; official tables: {official}")


def import_official_samples(engine) -> str:
    """Import the bundled official tables (Almaty, Astana, Shymkent and the country: unemployment,
    population, GRP per capita); a second run adds nothing."""
    from qala.samples import official_tables
    from qala.stats.importer import import_file

    added = already = 0
    for path in official_tables():
        report = import_file(engine, path, vintage=OFFICIAL_SAMPLES_VINTAGE)
        if report.error:
            return f"{path.name}: {report.error}"
        added += report.added
        already += report.already is not None
    return f"{added} values added" + (f", {already} tables already imported" if already else "")


def _ask_password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    password = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != password:
        raise typer.BadParameter("the two passwords differ")
    return password


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve_cmd(
        host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
        get: Annotated[str | None, typer.Option("--get", help="Run one GET request in-process, print it, exit.",
                                                 metavar="PATH")] = None,
        db: DbOption = None,
    ) -> None:
        """Serve the dashboard and the JSON API (QALA_DATABASE_URL selects the store).

        Example:

            qala serve --port 8000
            qala serve --get /api/facts?territory=750000000
        """
        with errors_as_one_line():
            if get is not None:
                raise typer.Exit(get_once(get, db))
            serve(host, port, db)

    user_app = typer.Typer(help="People who may change statuses and add documents.\n\nExample:\n\n    qala user add analyst",
                           no_args_is_help=True)
    app.add_typer(user_app, name="user")

    @user_app.command("add")
    def user_add_cmd(
        name: Annotated[str, typer.Argument(help="User name (no spaces).")],
        password: Annotated[str | None, typer.Option(help="Password; asked for when not given.")] = None,
        db: DbOption = None,
    ) -> None:
        """Add a user who can sign in to the dashboard (the password is stored as an argon2 hash).

        Example:

            qala user add analyst --password 'long enough secret'
        """
        from qala.auth import add_user
        from qala.store.db import open_store, transaction

        if password is None:
            password = _ask_password()
        with errors_as_one_line():
            engine = open_store(settings(db).database_url)
            with transaction(engine) as session:
                add_user(session, username=name, password=password)
        print(f"user {name!r} added")

    @user_app.command("passwd")
    def user_passwd_cmd(
        name: Annotated[str, typer.Argument(help="User name.")],
        password: Annotated[str | None, typer.Option(help="New password; asked for when not given.")] = None,
        db: DbOption = None,
    ) -> None:
        """Give a user a new password; every session they had signed in is ended.

        Example:

            qala user passwd analyst
        """
        from qala.auth import set_password
        from qala.store.db import open_store, transaction

        password = password if password is not None else _ask_password()
        with errors_as_one_line():
            engine = open_store(settings(db).database_url)
            with transaction(engine) as session:
                set_password(session, username=name, password=password)
        print(f"password of {name!r} changed; their sessions are signed out")

    @app.command("demo")
    def demo_cmd(
        host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
        no_serve: Annotated[bool, typer.Option("--no-serve", help="Only ingest the samples.")] = False,
        db: DbOption = None,
    ) -> None:
        """Ingest the bundled sample press releases into the default store and serve the dashboard.

        Example:

            qala demo
        """
        with errors_as_one_line():
            if not no_serve:
                check_port(host, port)  # before the work, not after it
            print(ingest_samples(db), flush=True)
            if not no_serve:
                serve(host, port, db)

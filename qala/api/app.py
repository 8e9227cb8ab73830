"""create_app(settings) -> FastAPI: the JSON API under /api, the Russian dashboard at /, one error shape.

Errors carry their HTTP status on the class (qala.errors). Under /api they render as
{"ok": false, "error": "...", "status": N}; elsewhere as a page in the dashboard's layout.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
from collections.abc import AsyncIterator
from importlib import resources
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware

from qala import auth
from qala.api import guard
from qala.api.extraction import Extractor
from qala.config import Settings
from qala.errors import QalaError
from qala.store import fulltext
from qala.store.db import is_read_only, open_store, transaction

log = logging.getLogger("qala.api")
WEB = Path(__file__).resolve().parent.parent / "web"


def plotly_js() -> Path:
    """plotly.min.js as bundled by the installed plotly package (served locally, never from a CDN)."""
    return Path(str(resources.files("plotly").joinpath("package_data", "plotly.min.js")))


def _message(exc: Exception) -> tuple[int, str]:
    if isinstance(exc, QalaError):
        return exc.status, str(exc)
    if isinstance(exc, (OperationalError, InterfaceError)) or (isinstance(exc, DBAPIError)
                                                               and exc.connection_invalidated):
        if "readonly" in _first_line(exc):
            return 503, "the store is read-only (no write permission on its file): nothing can be changed"
        log.warning("database unavailable: %s", _first_line(exc))
        return 503, f"the database is unavailable: {_first_line(exc)}"
    if isinstance(exc, SQLAlchemyError):
        log.exception("database error", exc_info=exc)
        return 503, f"the database failed: {_first_line(exc)}"
    if isinstance(exc, HTTPException):
        return exc.status_code, str(exc.detail)
    if isinstance(exc, RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path"))
        return 422, f"invalid {where or 'request'}: {first.get('msg', 'unreadable input')}"
    log.exception("unexpected error", exc_info=exc)
    return 500, "internal error: the server could not complete the request"


def _first_line(exc: Exception) -> str:
    """The driver's own first line: never the SQL or its parameters, which SQLAlchemy appends."""
    text = str(getattr(exc, "orig", None) or type(exc).__name__).strip()
    return (text.splitlines() or [type(exc).__name__])[0][:300]


def _is_api(request: Request) -> bool:
    return request.url.path == "/api" or request.url.path.startswith("/api/")


async def handle_error(request: Request, exc: Exception) -> Response:
    status, message = _message(exc)
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, auth.TooManyAttempts) else None
    if _is_api(request):
        return JSONResponse({"ok": False, "error": message, "status": status}, status_code=status,
                            headers=headers)
    if status == 401:
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
    from qala.web.views import render_error

    return render_error(request, status, message)


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    rebuilder = getattr(app.state, "rebuilder", None)
    if rebuilder is not None:  # a rebuild under way finishes (one transaction) before the store is let go
        from starlette.concurrency import run_in_threadpool

        await run_in_threadpool(rebuilder.wait, SHUTDOWN_WAIT)


SHUTDOWN_WAIT = 120.0  # seconds a stopping server gives a rebuild under way


def create_app(settings: Settings | None = None, *, engine: Engine | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    engine = engine or open_store(settings.database_url)
    if not is_read_only(engine):
        with transaction(engine) as session:
            fulltext.ensure_search_index(session)
    app = FastAPI(title="Qala", version="0.1.0", docs_url="/api/docs", redoc_url=None,
                  openapi_url="/api/openapi.json", lifespan=lifespan,
                  description="Figures, officials and instructions from government press releases, "
                              "each traceable to its document and sentence.",
                  dependencies=[Depends(guard.clean_request), Depends(guard.check_session)])
    app.state.settings = settings
    app.state.engine = engine
    app.state.read_only = is_read_only(engine)
    app.state.page_cache = {}  # territory overviews keyed by a store stamp (see web.views.cached_overview)
    app.state.gate = auth.Gate(limit_user=settings.login_attempts, limit_address=settings.address_attempts,
                               lockout=settings.lockout_seconds)
    app.state.extractor = Extractor(settings.extract_workers, settings.extract_queue)
    app.add_middleware(guard.Guard, settings=settings)  # inside the session middleware: it reads the session
    app.add_middleware(SessionMiddleware, secret_key=settings.secret_key or secrets.token_urlsafe(32),
                       session_cookie="qala_session", same_site="lax", max_age=14 * 24 * 3600,
                       https_only=settings.secure_cookies)
    # SQLAlchemyError by name: handled like the others (an answer, the connection kept), not as an
    # unexpected error, which Starlette re-raises and uvicorn answers by closing the connection.
    for exc_class in (QalaError, HTTPException, RequestValidationError, SQLAlchemyError, Exception):
        app.add_exception_handler(exc_class, handle_error)

    from qala.api.routes import api_router
    from qala.web.views import router as web_router

    app.include_router(api_router, prefix="/api")
    app.include_router(web_router, include_in_schema=False)
    from qala.web.sources import router as sources_router

    app.include_router(sources_router, include_in_schema=False)
    from qala.web.brief import router as brief_router

    app.include_router(brief_router, include_in_schema=False)

    @app.get("/vendor/plotly.min.js", include_in_schema=False)
    def plotly() -> FileResponse:
        return FileResponse(plotly_js(), media_type="application/javascript",
                            headers={"Cache-Control": "public, max-age=86400"})

    app.mount("/static", StaticFiles(directory=WEB / "static"), name="static")
    return app

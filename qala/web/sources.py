"""The sources page for signed-in users: the feeds, sitemaps and news lists followed, each with its
last run, items seen and failures, the items that failed, documents not read yet, and a form to
add a source (the next `qala watch` pass reads it)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from qala import auth
from qala.api.deps import SessionDep
from qala.errors import InvalidInput, QalaError
from qala.sources.config import check_source
from qala.sources.queries import failed_items, unread_documents, watched_sources
from qala.store import schema
from qala.web.strings import SOURCE_KINDS, SOURCES_UI
from qala.web.views import UserDep, page

router = APIRouter()


def sources_page(request: Request, *, status_code: int = 200, form: dict | None = None,
                 error: str | None = None, added: bool = False) -> HTMLResponse:
    engine = request.app.state.engine
    return page(request, "sources.html", status_code=status_code, s=SOURCES_UI, kinds=SOURCE_KINDS,
                sources=watched_sources(engine), failed=failed_items(engine, limit=50),
                unread=unread_documents(engine, limit=50), form=form or {}, error=error, added=added)


@router.get("/sources", response_class=HTMLResponse)
def list_sources(request: Request, user: UserDep, added: int = 0) -> HTMLResponse:
    return sources_page(request, added=bool(added))


@router.post("/sources", response_class=HTMLResponse)
def add_source(request: Request, session: SessionDep, user: UserDep,
               csrf: Annotated[str, Form(max_length=200)] = "",
               name: Annotated[str, Form(max_length=200)] = "", url: Annotated[str, Form(max_length=2000)] = "",
               kind: Annotated[str, Form(max_length=20)] = "feed",
               pattern: Annotated[str, Form(max_length=500)] = "") -> Response:
    """Add a source; bad input shows the form again with the reason and everything kept."""
    form = {"name": name, "url": url, "kind": kind, "pattern": pattern}
    try:
        auth.check_csrf(request, csrf)
        spec = check_source(name, url, kind, pattern or None)
        W = schema.WatchedSource
        if session.scalar(select(W.id).where(W.name == spec.name)) is not None:
            raise InvalidInput(f"source {spec.name!r} already exists")
        session.add(W(name=spec.name, url=spec.url, kind=spec.kind, pattern=spec.pattern, items_seen=0,
                      failures=0))
    except QalaError as e:
        return sources_page(request, status_code=e.status, form=form, error=str(e))
    return RedirectResponse("/sources?added=1", status_code=303)

"""Dependencies, declared once as Annotated aliases: the settings, a store session, the user."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, Path, Query, Request
from sqlalchemy.orm import Session

from qala import auth
from qala.config import Settings
from qala.store.db import transaction


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_session(request: Request) -> Iterator[Session]:
    """One transaction per request: committed when the handler returns, rolled back on error."""
    with transaction(request.app.state.engine) as session:
        yield session


SettingsDep = Annotated[Settings, Depends(get_settings)]
# scope="function": the transaction commits before the answer goes out, so a client that reads
# right after a change (a sign-out, a status) sees it, and a failed commit is an error it sees.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def require_reader(request: Request, settings: SettingsDep, session: SessionDep) -> str | None:
    """Reading is open by default; with QALA_PUBLIC_READ=0 a signed-in user is needed: a session
    that was not revoked, or HTTP Basic credentials that are checked here like any others."""
    user = auth.current_user(request)
    if settings.public_read or user is not None:
        return user
    user = auth.basic_user(request, session)
    if user is None:
        raise auth.NotSignedIn("sign in first: reading needs a user on this server (QALA_PUBLIC_READ=0)")
    return user


def require_writer(request: Request, session: SessionDep) -> str:
    return auth.api_user(request, session)


ReaderDep = Annotated[str | None, Depends(require_reader)]
WriterDep = Annotated[str, Depends(require_writer)]

def fresh_monitor(request: Request) -> None:
    """Rebuild the monitor's derived tables first when the store changed (see qala.api.monitoring)."""
    from qala.api.monitoring import ensure_fresh

    ensure_fresh(request.app.state)


Fresh = Annotated[None, Depends(fresh_monitor)]
Verified = Annotated[bool, Query(description="only figures a reviewer confirmed or corrected")]
Territory = Annotated[str | None, Query(min_length=1, max_length=40, description="KATO code, id or name")]
Limit = Annotated[int, Query(ge=1, le=500, description="page size")]
Offset = Annotated[int, Query(ge=0, le=1_000_000_000, description="rows to skip")]
SmallOffset = Annotated[int, Query(ge=0, le=10_000, description="rows to skip (small offsets only: "
                                                                "follow `next` with `cursor` beyond)")]
Cursor = Annotated[str | None, Query(min_length=1, max_length=400, pattern="^[A-Za-z0-9_-]+$",
                                     description="the `next` of the previous page")]
RowId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def paged(page: Any) -> dict:
    """A list function's keyset.Page as the API answers it: data, count, next, count_estimated."""
    rows, count = page
    return {"data": rows, "count": count, "next": page.next, "count_estimated": page.estimated}

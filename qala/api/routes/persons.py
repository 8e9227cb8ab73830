"""GET /api/persons: who held which post, according to which document."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from qala.api.deps import Cursor, Limit, ReaderDep, SessionDep, SmallOffset, paged
from qala.api.schemas import PostsPublic
from qala.store import dashboard

router = APIRouter(tags=["persons"])


@router.get("/persons", response_model=PostsPublic)
def read_persons(session: SessionDep, _: ReaderDep,
                 person_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
                 limit: Limit = 100, offset: SmallOffset = 0, cursor: Cursor = None) -> dict:
    return paged(dashboard.list_posts(session, person_id=person_id, limit=limit, offset=offset, cursor=cursor))

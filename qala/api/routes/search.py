"""GET /api/search: full text over documents."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from qala.api.deps import Cursor, Limit, ReaderDep, SessionDep, SmallOffset, paged
from qala.api.schemas import SearchPublic
from qala.store import fulltext

router = APIRouter(tags=["search"])


@router.get("/search", response_model=SearchPublic)
def search(session: SessionDep, _: ReaderDep,
           q: Annotated[str, Query(min_length=1, max_length=200, description="words to find")],
           limit: Limit = 20, offset: SmallOffset = 0, cursor: Cursor = None) -> dict:
    return paged(fulltext.search_documents(session, q=q, limit=limit, offset=offset, cursor=cursor))

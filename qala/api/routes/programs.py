"""GET /api/programs: named state programmes and plans, with how often documents mention them."""

from __future__ import annotations

from fastapi import APIRouter

from qala.api.deps import Cursor, Limit, ReaderDep, SessionDep, SmallOffset, paged
from qala.api.schemas import ProgramsPublic
from qala.store import dashboard

router = APIRouter(tags=["programs"])


@router.get("/programs", response_model=ProgramsPublic)
def read_programs(session: SessionDep, _: ReaderDep, limit: Limit = 100, offset: SmallOffset = 0,
                  cursor: Cursor = None) -> dict:
    return paged(dashboard.list_programs(session, limit=limit, offset=offset, cursor=cursor))

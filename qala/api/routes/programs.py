"""GET /api/programs: named state programmes and plans, with how often documents mention them."""

from __future__ import annotations

from fastapi import APIRouter

from qala.api.deps import Limit, Offset, ReaderDep, SessionDep
from qala.api.schemas import ProgramsPublic
from qala.store import dashboard

router = APIRouter(tags=["programs"])


@router.get("/programs", response_model=ProgramsPublic)
def read_programs(session: SessionDep, _: ReaderDep, limit: Limit = 100, offset: Offset = 0) -> dict:
    rows, count = dashboard.list_programs(session, limit=limit, offset=offset)
    return {"data": rows, "count": count}

"""GET /api/meetings: meetings the documents report, with chair and participants."""

from __future__ import annotations

from fastapi import APIRouter

from qala.api.deps import Limit, Offset, ReaderDep, RowId, SessionDep
from qala.api.schemas import MeetingPublic, MeetingsPublic
from qala.store import dashboard

router = APIRouter(tags=["meetings"])


@router.get("/meetings", response_model=MeetingsPublic)
def read_meetings(session: SessionDep, _: ReaderDep, limit: Limit = 50, offset: Offset = 0) -> dict:
    rows, count = dashboard.list_meetings(session, limit=limit, offset=offset)
    return {"data": rows, "count": count}


@router.get("/meetings/{meeting_id}", response_model=MeetingPublic)
def read_meeting(session: SessionDep, _: ReaderDep, meeting_id: RowId) -> dict:
    return dashboard.meeting(session, meeting_id=meeting_id)

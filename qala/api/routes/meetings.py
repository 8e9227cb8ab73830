"""GET /api/meetings: meetings the documents report, with chair and participants."""

from __future__ import annotations

from fastapi import APIRouter

from qala.api.deps import Cursor, Limit, ReaderDep, RowId, SessionDep, SmallOffset, paged
from qala.api.schemas import MeetingPublic, MeetingsPublic
from qala.store import dashboard

router = APIRouter(tags=["meetings"])


@router.get("/meetings", response_model=MeetingsPublic)
def read_meetings(session: SessionDep, _: ReaderDep, limit: Limit = 50, offset: SmallOffset = 0,
                  cursor: Cursor = None) -> dict:
    return paged(dashboard.list_meetings(session, limit=limit, offset=offset, cursor=cursor))


@router.get("/meetings/{meeting_id}", response_model=MeetingPublic)
def read_meeting(session: SessionDep, _: ReaderDep, meeting_id: RowId) -> dict:
    return dashboard.meeting(session, meeting_id=meeting_id)

"""GET /api/instructions (by board column) and POST .../status (signed-in users; history kept)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from qala.api import monitoring
from qala.api.deps import Cursor, Limit, ReaderDep, RowId, SessionDep, SmallOffset, WriterDep, paged
from qala.api.schemas import InstructionPublic, InstructionsPublic, InstructionStatusUpdate
from qala.store import dashboard

router = APIRouter(tags=["instructions"])


@router.get("/instructions", response_model=InstructionsPublic)
def read_instructions(session: SessionDep, _: ReaderDep,
                      status: Annotated[str | None, Query(pattern="^(new|in_progress|done|overdue)$")] = None,
                      limit: Limit = 100, offset: SmallOffset = 0, cursor: Cursor = None) -> dict:
    return paged(dashboard.list_instructions(session, status=status, limit=limit, offset=offset, cursor=cursor))


@router.post("/instructions/{instruction_id}/status", response_model=InstructionPublic)
def change_status(request: Request, session: SessionDep, user: WriterDep, instruction_id: RowId,
                  body: InstructionStatusUpdate) -> dict:
    changed = dashboard.set_instruction_status(session, instruction_id=instruction_id, status=body.status,
                                               user=user, note=body.note)
    monitoring.changed(request.app.state)  # readers also notice it by the store stamp, once committed
    return changed

"""GET /api/commitments: announced plans held against later reported figures."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from qala.api import monitoring
from qala.api.deps import Fresh, Limit, Offset, ReaderDep, SessionDep, Territory, Verified
from qala.api.monitor_schemas import CommitmentsPublic
from qala.store import dashboard

router = APIRouter(tags=["monitoring"])


@router.get("/commitments", response_model=CommitmentsPublic)
def read_commitments(request: Request, session: SessionDep, _: ReaderDep, __: Fresh,
                     territory: Territory = None,
                     status: Annotated[str | None, Query(max_length=20, description="in_progress | done | partial "
                                                         "| failed | no_data")] = None,
                     document: Annotated[int | None, Query(ge=1, le=2**31 - 1, description="document id")] = None,
                     verified: Verified = False, limit: Limit = 100, offset: Offset = 0) -> dict:
    territory_id = dashboard.find_territory(session, territory)["id"] if territory else None
    rows = monitoring.commitments(request.app.state.engine, territory_id=territory_id, status=status,
                                  document_id=document, verified_only=verified)
    return {"data": rows[offset:offset + limit], "count": len(rows)}

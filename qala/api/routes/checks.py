"""GET /api/checks: claim checks across documents, each with both facts' sentences."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from qala.api import monitoring
from qala.api.deps import Fresh, Limit, Offset, ReaderDep, SessionDep, Territory, Verified
from qala.api.monitor_schemas import ChecksPublic
from qala.store import dashboard

router = APIRouter(tags=["monitoring"])


@router.get("/checks", response_model=ChecksPublic)
def read_checks(request: Request, session: SessionDep, _: ReaderDep, __: Fresh,
                kind: Annotated[str | None, Query(max_length=40, description="contradiction | change_mismatch | "
                                                  "part_whole | outlier")] = None,
                territory: Territory = None,
                document: Annotated[int | None, Query(ge=1, le=2**31 - 1, description="document id")] = None,
                verified: Verified = False, limit: Limit = 100, offset: Offset = 0) -> dict:
    territory_id = dashboard.find_territory(session, territory)["id"] if territory else None
    engine = request.app.state.engine
    rows = monitoring.checks(engine, kind=kind, territory_id=territory_id, document_id=document,
                             verified_only=verified, limit=offset + limit)
    count = len(rows) if verified else monitoring.count_checks(engine, kind=kind, territory_id=territory_id,
                                                               document_id=document)
    return {"data": rows[offset:offset + limit], "count": count}

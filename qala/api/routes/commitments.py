"""GET /api/commitments: announced plans held against later reported figures (a page at a time,
cursor in `next`), from the last complete rebuild of the derived tables."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from qala.api import monitoring
from qala.api.deps import Cursor, Fresh, Limit, ReaderDep, SessionDep, SmallOffset, Territory, Verified
from qala.api.monitor_schemas import CommitmentsPublic
from qala.store import dashboard, keyset

router = APIRouter(tags=["monitoring"])


@router.get("/commitments", response_model=CommitmentsPublic)
def read_commitments(request: Request, session: SessionDep, _: ReaderDep, __: Fresh,
                     territory: Territory = None,
                     status: Annotated[str | None, Query(max_length=20, description="in_progress | done | partial "
                                                         "| failed | no_data")] = None,
                     document: Annotated[int | None, Query(ge=1, le=2**31 - 1, description="document id")] = None,
                     verified: Verified = False, limit: Limit = 100, offset: SmallOffset = 0,
                     cursor: Cursor = None) -> dict:
    keyset.check_offset(offset, cursor)
    last = keyset.decode(cursor, ("int",))[0] if cursor else None
    territory_id = dashboard.find_territory(session, territory)["id"] if territory else None
    rows = monitoring.commitments(request.app.state.engine, territory_id=territory_id, status=status,
                                  document_id=document, verified_only=verified)
    page, more = monitoring.after_id(rows, last, offset, limit)
    return {"data": page, "count": len(rows), "next": keyset.encode([page[-1]["id"]]) if more and page else None,
            **monitoring.freshness(request.app.state)}

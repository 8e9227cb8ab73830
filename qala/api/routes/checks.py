"""GET /api/checks: claim checks across documents, each with both facts' sentences, a page at a
time (keyset cursor in `next`), from the last complete rebuild of the derived tables."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from qala.api import monitoring
from qala.api.deps import Cursor, Fresh, Limit, ReaderDep, SessionDep, SmallOffset, Territory, Verified
from qala.api.monitor_schemas import ChecksPublic
from qala.store import dashboard

router = APIRouter(tags=["monitoring"])


@router.get("/checks", response_model=ChecksPublic)
def read_checks(request: Request, session: SessionDep, _: ReaderDep, __: Fresh,
                kind: Annotated[str | None, Query(max_length=40, description="contradiction | change_mismatch | "
                                                  "part_whole | outlier")] = None,
                territory: Territory = None,
                document: Annotated[int | None, Query(ge=1, le=2**31 - 1, description="document id")] = None,
                verified: Verified = False, limit: Limit = 100, offset: SmallOffset = 0,
                cursor: Cursor = None) -> dict:
    territory_id = dashboard.find_territory(session, territory)["id"] if territory else None
    state = request.app.state
    rows, next_cursor = monitoring.checks_page(state.engine, kind=kind, territory_id=territory_id,
                                               document_id=document, verified_only=verified, limit=limit,
                                               offset=offset, cursor=cursor)
    if next_cursor is None and offset == 0 and cursor is None:
        count = len(rows)
    elif verified:
        count = len(monitoring.checks(state.engine, kind=kind, territory_id=territory_id, document_id=document,
                                      verified_only=True, whole=False))
    else:  # checks change only when the derived tables are rebuilt: counted once per rebuild
        key = ("checks-count", kind, territory_id, document, dashboard.derived_stamp(session))
        if key not in state.page_cache:
            state.page_cache[key] = monitoring.count_checks(state.engine, kind=kind, territory_id=territory_id,
                                                            document_id=document)
        count = state.page_cache[key]
    return {"data": rows, "count": count, "next": next_cursor, **monitoring.freshness(state)}

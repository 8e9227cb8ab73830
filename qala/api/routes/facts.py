"""GET /api/facts: figures filtered by territory, indicator and period; /api/territories."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from qala.api.deps import Limit, Offset, ReaderDep, SessionDep
from qala.api.schemas import FactsPublic, TerritoriesPublic
from qala.store import dashboard, queries

router = APIRouter(tags=["facts"])


@router.get("/facts", response_model=FactsPublic)
def read_facts(request: Request, session: SessionDep, _: ReaderDep,
               territory: Annotated[str | None, Query(max_length=20, description="KATO code or name")] = None,
               indicator: Annotated[str | None, Query(max_length=80, description="indicator code")] = None,
               period: Annotated[str | None, Query(max_length=40, description="2020, 2021-2024, 2019-01..2019-08")] = None,
               as_extracted: Annotated[bool, Query(description="every fact as extracted, rejected ones "
                                                               "included (default: as reviewed)")] = False,
               limit: Limit = 100, offset: Offset = 0) -> dict:
    filters = {"territory": territory, "indicator": indicator, "period": period, "reviewed": not as_extracted}
    rows = queries.list_facts(session, **filters, limit=limit, offset=offset)
    if offset == 0 and len(rows) < limit:
        return {"data": rows, "count": len(rows)}
    # counting walks every matching fact: keep the count until the store changes
    cache = request.app.state.page_cache
    key = ("facts-count", territory, indicator, period, as_extracted, dashboard.store_stamp(session))
    if key not in cache:
        cache[key] = queries.count_facts(session, **filters)
    return {"data": rows, "count": cache[key]}


@router.get("/territories", response_model=TerritoriesPublic)
def read_territories(session: SessionDep, _: ReaderDep) -> dict:
    rows = dashboard.list_territories(session)
    return {"data": rows, "count": len(rows)}

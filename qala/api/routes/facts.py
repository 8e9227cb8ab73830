"""GET /api/facts: figures filtered by territory, indicator and period, a page at a time (keyset
cursor in `next`); GET /api/facts/{id}: one figure; /api/territories."""

from __future__ import annotations

import time
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from qala.api.deps import Cursor, Limit, ReaderDep, RowId, SessionDep, SmallOffset
from qala.api.schemas import FactPublic, FactsPublic, TerritoriesPublic
from qala.store import dashboard, queries

router = APIRouter(tags=["facts"])
ESTIMATE_SECONDS = 300  # an estimated count is kept this long (it reads the facts' index of the filters)

CountMode = Annotated[Literal["auto", "exact"], Query(
    description="auto: exact up to 1,000 facts, else an estimate (count_estimated); exact: always counted")]


@router.get("/facts", response_model=FactsPublic)
def read_facts(request: Request, session: SessionDep, _: ReaderDep,
               territory: Annotated[str | None, Query(max_length=20, description="KATO code or name")] = None,
               indicator: Annotated[str | None, Query(max_length=80, description="indicator code")] = None,
               period: Annotated[str | None, Query(max_length=40, description="2020, 2021-2024, 2019-01..2019-08")] = None,
               as_extracted: Annotated[bool, Query(description="every fact as extracted, rejected ones "
                                                               "included (default: as reviewed)")] = False,
               limit: Limit = 100, offset: SmallOffset = 0, cursor: Cursor = None, count: CountMode = "auto") -> dict:
    filters = {"territory": territory, "indicator": indicator, "period": period, "reviewed": not as_extracted}
    rows, next_cursor = queries.facts_page(session, **filters, limit=limit, offset=offset, cursor=cursor)
    if next_cursor is None and offset == 0 and cursor is None:
        return {"data": rows, "count": len(rows), "next": None}
    cache = request.app.state.page_cache
    if count == "exact":  # counting walks every matching fact: kept until the store changes
        key = ("facts-count", territory, indicator, period, as_extracted, dashboard.store_stamp(session))
        if key not in cache:
            cache[key] = queries.count_facts(session, **filters)
        return {"data": rows, "count": cache[key], "next": next_cursor}
    exact = queries.count_facts_bounded(session, **filters)
    if exact is not None:
        return {"data": rows, "count": exact, "next": next_cursor}
    key = ("facts-estimate", territory, indicator, period)
    found = cache.get(key)
    if found is None or time.monotonic() - found[1] > ESTIMATE_SECONDS:
        found = cache[key] = (queries.estimate_facts(session, territory=territory, indicator=indicator,
                                                     period=period), time.monotonic())
    return {"data": rows, "count": found[0], "next": next_cursor, "count_estimated": True}


@router.get("/facts/{fact_id}", response_model=FactPublic)
def read_fact(session: SessionDep, _: ReaderDep, fact_id: RowId,
              as_extracted: Annotated[bool, Query(description="as extracted, even when rejected")] = False) -> dict:
    return queries.fact_by_id(session, fact_id, reviewed=not as_extracted)


@router.get("/territories", response_model=TerritoriesPublic)
def read_territories(session: SessionDep, _: ReaderDep) -> dict:
    rows = dashboard.list_territories(session)
    return {"data": rows, "count": len(rows)}

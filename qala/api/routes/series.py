"""GET /api/series: an indicator's series for a territory, one point per period."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from qala.api.deps import ReaderDep, SessionDep
from qala.api.schemas import SeriesPublic
from qala.store import dashboard

router = APIRouter(tags=["series"])


@router.get("/series", response_model=SeriesPublic)
def read_series(session: SessionDep, _: ReaderDep,
                indicator: Annotated[str, Query(min_length=1, max_length=80, description="indicator code")],
                territory: Annotated[str, Query(min_length=1, max_length=20, description="KATO code or id")],
                granularity: Annotated[str | None, Query(pattern="^(year|half|quarter|month|range|day)$")] = None,
                ) -> dict:
    found = dashboard.series(session, territory=territory, indicator=indicator, granularity=granularity)
    return {"territory": found["territory"], "indicator": found["indicator"],
            "granularity": found["granularity"], "data": found["points"], "count": len(found["points"])}

"""GET /api/series: an indicator's series for a territory.

The monitor's merged series when it was computed (a figure reported by several documents is one
point listing every source; bases implied by a reported change come as kind='implied'); before
any computation, one point per period from the facts (`computed: false`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from qala.api import monitoring
from qala.api.deps import Fresh, ReaderDep, SessionDep, Verified
from qala.api.schemas import SeriesPublic

router = APIRouter(tags=["series"])


@router.get("/series", response_model=SeriesPublic)
def read_series(request: Request, session: SessionDep, _: ReaderDep, __: Fresh,
                indicator: Annotated[str, Query(min_length=1, max_length=80, description="indicator code")],
                territory: Annotated[str, Query(min_length=1, max_length=40, description="KATO code, id or name")],
                granularity: Annotated[str | None, Query(pattern="^(year|half|quarter|month|range|day)$")] = None,
                verified: Verified = False) -> dict:
    found = monitoring.series(request.app.state.engine, session, territory=territory, indicator=indicator,
                              granularity=granularity, verified_only=verified)
    return {"territory": found["territory"], "indicator": found["indicator"], "granularity": found["granularity"],
            "unit": found["unit"], "computed": found["computed"], "data": found["points"],
            "count": len(found["points"]), **monitoring.freshness(request.app.state)}

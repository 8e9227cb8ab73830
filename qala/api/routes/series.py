"""GET /api/series: an indicator's series for a territory.

The monitor's merged series when it was computed (a figure reported by several documents is one
point listing every source; bases implied by a reported change come as kind='implied'); before
any computation, one point per period from the facts (`computed: false`). A large territory's
series lists thousands of sources: the answer is serialized once per store state and rebuild, and
served as those bytes until either changes.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from qala.api import monitoring
from qala.api.deps import Fresh, ReaderDep, SessionDep, Verified
from qala.api.schemas import SeriesPublic
from qala.store import dashboard

router = APIRouter(tags=["series"])


@router.get("/series", response_model=SeriesPublic)
def read_series(request: Request, session: SessionDep, _: ReaderDep, __: Fresh,
                indicator: Annotated[str, Query(min_length=1, max_length=80, description="indicator code")],
                territory: Annotated[str, Query(min_length=1, max_length=40, description="KATO code, id or name")],
                granularity: Annotated[str | None, Query(pattern="^(year|half|quarter|month|range|day)$")] = None,
                verified: Verified = False) -> Response:
    state = request.app.state
    fresh = monitoring.freshness(state)
    key = ("series", territory, indicator, granularity, verified, tuple(monitoring.current_stamp(state)),
           dashboard.derived_stamp(session), fresh["rebuilding"])
    cache = state.page_cache
    if key not in cache:
        found = monitoring.series(state.engine, session, territory=territory, indicator=indicator,
                                  granularity=granularity, verified_only=verified)
        body = SeriesPublic.model_validate({
            "territory": found["territory"], "indicator": found["indicator"], "granularity": found["granularity"],
            "unit": found["unit"], "computed": found["computed"], "data": found["points"],
            "count": len(found["points"]), **fresh})
        if len(cache) > 256:
            cache.clear()
        cache[key] = body.model_dump_json().encode()
    return Response(cache[key], media_type="application/json")

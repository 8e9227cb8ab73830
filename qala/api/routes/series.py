"""GET /api/series: an indicator's series for a territory.

The monitor's merged series when it was computed (a figure reported by several documents is one
point listing every source; bases implied by a reported change come as kind='implied'); before
any computation, one point per period from the facts (`computed: false`). A large territory's
series has thousands of reports and implied bases per period: a point lists its first `sources`
reports (n_sources counts them all) and one implied base per period unless `implied=all`; the
answer is serialized once per store state and rebuild, and served as those bytes until either
changes.
"""

from __future__ import annotations

from typing import Annotated, Literal

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
                verified: Verified = False,
                sources: Annotated[int, Query(ge=1, le=1_000_000, description="reports listed per point (the "
                                              "earliest first; n_sources counts them all)")] = 20,
                implied: Annotated[Literal["first", "all"], Query(description="bases implied by reported "
                                   "changes: the first for each period, or all of them")] = "first") -> Response:
    state = request.app.state
    fresh = monitoring.freshness(state)
    key = ("series", territory, indicator, granularity, verified, sources, implied,
           tuple(monitoring.current_stamp(state)),
           dashboard.derived_stamp(session), fresh["rebuilding"])
    cache = state.page_cache
    if key not in cache:
        found = monitoring.series(state.engine, session, territory=territory, indicator=indicator,
                                  granularity=granularity, verified_only=verified)
        if implied == "first":
            found["points"] = monitoring.one_implied_per_period(found["points"])
        for p in found["points"]:
            p["n_sources"] = len(p.get("sources") or [])
            p["sources"] = (p.get("sources") or [])[:sources]
        body = SeriesPublic.model_validate({
            "territory": found["territory"], "indicator": found["indicator"], "granularity": found["granularity"],
            "period_kind": found.get("period_kind"), "unit": found["unit"], "computed": found["computed"], "data": found["points"],
            "count": len(found["points"]), **fresh})
        if len(cache) > 256:
            cache.clear()
        cache[key] = body.model_dump_json().encode()
    return Response(cache[key], media_type="application/json")

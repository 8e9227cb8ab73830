"""Pages of the analyst's workbench: a territory's справка to download and regions side by side."""

from __future__ import annotations

import urllib.parse
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from qala.api import monitoring
from qala.api.deps import ReaderDep, SessionDep
from qala.api.routes.compare import plain_query
from qala.store.compare import COUNTRY_KATO, compare
from qala.store.schema import Indicator, SeriesPoint, Territory
from qala.web.views import page

router = APIRouter()


@router.get("/territories/{key}/brief")
def territory_brief(request: Request, _: ReaderDep, key: str,
                    format: Annotated[str, Query(max_length=10)] = "pdf",
                    period: Annotated[str | None, Query(max_length=40)] = None) -> Response:
    """The territory's справка as a download (pdf, docx, html or md)."""
    from qala.brief import MEDIA, build_brief, file_name, render
    from qala.brief.render import check_format

    plain_query(key, format, period)
    fmt = check_format(format)
    monitoring.ensure_fresh(request.app.state)
    brief = build_brief(request.app.state.engine, key[:40], period=period)
    data = render(brief, fmt, link_base=str(request.base_url).rstrip("/"))  # links work in a saved file
    name = file_name(brief, fmt)
    return Response(data, media_type=MEDIA[fmt], headers={
        "Content-Disposition": f"attachment; filename=\"{name}\"; filename*=UTF-8''{urllib.parse.quote(name)}"})


@router.get("/compare", response_class=HTMLResponse)
def compare_page(request: Request, session: SessionDep, _: ReaderDep,
                 indicator: Annotated[str | None, Query(max_length=80)] = None,
                 period: Annotated[str | None, Query(max_length=40)] = None,
                 within: Annotated[str | None, Query(max_length=40)] = None) -> HTMLResponse:
    """One indicator for one period across the regions (or one region's units), ranked, with gaps."""
    plain_query(indicator, period, within)
    monitoring.ensure_fresh(request.app.state)
    choices = [{"code": c, "name": n} for c, n in session.execute(
        select(Indicator.code, Indicator.name).where(Indicator.id.in_(
            select(SeriesPoint.indicator_id).where(SeriesPoint.kind == "reported").distinct()))
        .order_by(Indicator.name))]
    country = session.scalar(select(Territory.id).where(Territory.kato == COUNTRY_KATO))
    regions = [{"kato": k, "name": n} for k, n in session.execute(
        select(Territory.kato, Territory.name).where(Territory.parent_id == country).order_by(Territory.name))]
    code = (indicator or "").strip() or (choices[0]["code"] if choices else "")
    result = compare(session, indicator=code, period=period or None, within=within or None) if code else None
    if result and result["period_start"]:
        import datetime as dt

        from qala.brief.text import period_kind, period_title

        start, end = dt.date.fromisoformat(result["period_start"]), dt.date.fromisoformat(result["period_end"])
        result["period_title"] = period_title(start, end, result["granularity"])
        result["period_kind"] = period_kind(start, end, result["granularity"])
    top = max((r["value"] for r in result["rows"]), default=0) if result else 0
    chart = {"names": [r["name"] for r in result["rows"]], "values": [r["value"] for r in result["rows"]],
             "unit": result["unit"]} if result else {}
    return page(request, "compare.html", result=result, choices=choices, regions=regions, code=code,
                within=(within or "").strip(), top=top, chart=chart)

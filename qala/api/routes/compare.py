"""GET /api/compare: one indicator for one period across the regions (or a region's districts), ranked."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from qala.api.deps import Fresh, ReaderDep, SessionDep
from qala.errors import InvalidInput
from qala.store.compare import compare

router = APIRouter(tags=["compare"])


def plain_query(*values: str | None) -> None:
    """Query values are printable text: a control character (a NUL breaks PostgreSQL) is a 400."""
    for v in values:
        if v is not None and any(ord(ch) < 32 or ord(ch) == 127 for ch in v):
            raise InvalidInput("expected printable text in the query, got control characters")


@router.get("/compare")
def read_compare(session: SessionDep, _: ReaderDep, __: Fresh,
                 indicator: Annotated[str, Query(min_length=1, max_length=80, description="indicator code")],
                 period: Annotated[str | None, Query(max_length=40, description="2024, 2024-09 or "
                                                     "2024-01..2024-09; default: the latest with most figures")] = None,
                 within: Annotated[str | None, Query(max_length=40, description="compare this territory's units "
                                                     "(KATO code, id or name) instead of the regions")] = None,
                 ) -> dict[str, Any]:
    """Ranked `rows` (largest first; each linked to its fact and document), `gaps` (territories
    without a figure for the period, or with one only in another `unit`), the period and its
    granularity, and the other periods with figures."""
    plain_query(indicator, period, within)
    return compare(session, indicator=indicator, period=period, within=within)

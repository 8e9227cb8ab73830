"""One router per resource, gathered into api_router (mounted under /api)."""

from fastapi import APIRouter

from qala.api.routes import (
    checks,
    commitments,
    compare,
    control,
    documents,
    facts,
    instructions,
    meetings,
    persons,
    programs,
    reviews,
    search,
    series,
)

api_router = APIRouter()
# control before instructions: /instructions/overdue is a path of its own, not an instruction id
for module in (documents, facts, series, persons, control, instructions, programs, meetings, search, checks,
               commitments, reviews, compare):
    api_router.include_router(module.router)

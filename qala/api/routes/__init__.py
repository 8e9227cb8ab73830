"""One router per resource, gathered into api_router (mounted under /api)."""

from fastapi import APIRouter

from qala.api.routes import documents, facts, instructions, meetings, persons, programs, search, series

api_router = APIRouter()
for module in (documents, facts, series, persons, instructions, programs, meetings, search):
    api_router.include_router(module.router)

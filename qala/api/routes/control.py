"""Instruction control: GET /api/instructions/overdue, GET /api/discipline, POST /api/recompute."""

from __future__ import annotations

from fastapi import APIRouter, Request

from qala.api import monitoring
from qala.api.deps import Fresh, ReaderDep, WriterDep
from qala.api.monitor_schemas import ControlledInstructionsPublic, DisciplinesPublic, RecomputePublic
from qala.monitor import control

router = APIRouter(tags=["monitoring"])


@router.get("/instructions/overdue", response_model=ControlledInstructionsPublic)
def read_overdue(request: Request, _: ReaderDep, __: Fresh) -> dict:
    rows = control.list_overdue(request.app.state.engine)
    return {"data": rows, "count": len(rows)}


@router.get("/discipline", response_model=DisciplinesPublic)
def read_discipline(request: Request, _: ReaderDep, __: Fresh) -> dict:
    """Execution discipline per responsible body."""
    rows = control.discipline_summary(request.app.state.engine)
    return {"data": rows, "count": len(rows)}


@router.post("/recompute", response_model=RecomputePublic)
def recompute(request: Request, _: WriterDep) -> dict:
    """Rebuild series, checks, commitments and instruction deadlines now (reads do it when stale)."""
    counts = monitoring.ensure_fresh(request.app.state, force=True) or {}
    seconds = counts.pop("seconds", 0.0)
    return {"seconds": seconds, "counts": counts}

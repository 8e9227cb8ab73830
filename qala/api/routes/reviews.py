"""POST /api/reviews (signed in): confirm, correct or reject an extracted item;
GET /api/documents/{id}/reviews: the document's audit trail (who, when, before, after)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from qala.api import monitoring
from qala.api.deps import ReaderDep, RowId, SessionDep, WriterDep
from qala.api.monitor_schemas import ReviewCreate, ReviewPublic, ReviewsPublic
from qala.monitor import review as monitor_review

router = APIRouter(tags=["reviews"])


@router.post("/reviews", response_model=ReviewPublic, status_code=201)
def create_review(request: Request, user: WriterDep, body: ReviewCreate) -> dict:
    after = body.after.model_dump(exclude_none=True) if body.after is not None else None
    review = monitoring.submit_review(request.app.state.engine, document_id=body.document_id,
                                    item_kind=body.item_kind, span=(body.span_start, body.span_stop),
                                    action=body.action, user=user, after=after, field=body.field,
                                    ordinal=body.ordinal)
    monitoring.changed(request.app.state)  # the derived tables are rebuilt in the background
    return review


@router.get("/documents/{document_id}/reviews", response_model=ReviewsPublic)
def read_reviews(request: Request, session: SessionDep, _: ReaderDep, document_id: RowId) -> dict:
    monitoring.document_id_exists(session, document_id)
    rows = monitor_review.reviews_of(request.app.state.engine, document_id)
    return {"data": rows, "count": len(rows)}

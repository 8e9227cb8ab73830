"""GET /api/documents, GET /api/documents/{id} (text and every item with its span), POST (signed in)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from qala.api.deps import Limit, Offset, ReaderDep, RowId, SessionDep, SettingsDep, WriterDep
from qala.api.schemas import DocumentCreate, DocumentCreated, DocumentDetailPublic, DocumentsPublic
from qala.store import dashboard

router = APIRouter(tags=["documents"])


@router.get("/documents", response_model=DocumentsPublic)
def read_documents(session: SessionDep, _: ReaderDep, limit: Limit = 50, offset: Offset = 0) -> dict:
    rows, count = dashboard.list_documents(session, limit=limit, offset=offset)
    return {"data": rows, "count": count}


@router.get("/documents/{document_id}", response_model=DocumentDetailPublic)
def read_document(session: SessionDep, _: ReaderDep, document_id: RowId) -> dict:
    return dashboard.document_detail(session, document_id=document_id)


@router.post("/documents", response_model=DocumentCreated, status_code=201)
def create_document(request: Request, settings: SettingsDep, _: WriterDep, body: DocumentCreate) -> dict:
    return dashboard.add_document(request.app.state.engine, text=body.text, url=body.url,
                                  published=body.published, source=body.source, title=body.title,
                                  max_bytes=settings.max_document_bytes)

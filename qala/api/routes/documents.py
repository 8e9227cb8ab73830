"""GET /api/documents, GET /api/documents/{id} (text and every item with its span), POST (signed in)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from qala.api import monitoring
from qala.api.deps import (
    Cursor,
    Limit,
    ReaderDep,
    RowId,
    SessionDep,
    SettingsDep,
    SmallOffset,
    WriterDep,
    paged,
)
from qala.api.schemas import DocumentCreate, DocumentCreated, DocumentDetailPublic, DocumentsPublic
from qala.errors import TooLarge
from qala.store import dashboard
from qala.store.records import clean_fields

router = APIRouter(tags=["documents"])


@router.get("/documents", response_model=DocumentsPublic)
def read_documents(session: SessionDep, _: ReaderDep, limit: Limit = 50, offset: SmallOffset = 0,
                   cursor: Cursor = None) -> dict:
    return paged(dashboard.list_documents(session, limit=limit, offset=offset, cursor=cursor))


@router.get("/documents/{document_id}", response_model=DocumentDetailPublic)
def read_document(session: SessionDep, _: ReaderDep, document_id: RowId) -> dict:
    return dashboard.document_detail(session, document_id=document_id)


@router.post("/documents", response_model=DocumentCreated, status_code=201)
async def create_document(request: Request, settings: SettingsDep, _: WriterDep, body: DocumentCreate) -> dict:
    """Read and stored in a worker process: other requests go on meanwhile."""
    size = len(body.text.encode("utf-8", "surrogatepass"))
    if size > settings.max_document_bytes:
        raise TooLarge(f"expected at most {settings.max_document_bytes} bytes, got {size}")
    fields = clean_fields(text=body.text, url=body.url, published=body.published, source=body.source,
                          title=body.title)
    added = await request.app.state.extractor.add(request.app.state.engine, settings.database_url, fields,
                                                  settings.max_document_bytes)
    monitoring.changed(request.app.state)  # the derived tables are rebuilt in the background
    return added

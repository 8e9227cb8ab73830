"""HTML pages: each calls the same qala.store.dashboard functions as the JSON API."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

from qala import auth
from qala.api import monitoring
from qala.api.deps import ReaderDep, RowId, SessionDep, SettingsDep
from qala.api.guard import checks_own_form
from qala.clean import is_web_url
from qala.errors import InvalidInput, QalaError, TooLarge
from qala.store import dashboard, fulltext
from qala.store.db import transaction
from qala.web import markup
from qala.web.strings import (
    COMPARE_UI,
    ERRORS,
    GRANULARITY,
    ITEM_KIND,
    REVIEW_STATE,
    REVIEW_STATUS,
    STATUS,
    size_text,
    t,
)

templates = Jinja2Templates(directory=Path(__file__).with_name("templates"))
templates.env.auto_reload = False  # templates ship with the package; no mtime checks per request
templates.env.globals.update(t=t, ct=COMPARE_UI, STATUS=STATUS, ITEM_KIND=ITEM_KIND, BOARD=dashboard.BOARD, REVIEW_STATE=REVIEW_STATE,
                             GRANULARITY=GRANULARITY, REVIEW_STATUS=REVIEW_STATUS)
templates.env.tests["web_url"] = is_web_url  # only http(s) links, whatever an older row holds
templates.env.filters.update(value=markup.value, value_range=markup.value_range, change=markup.change,
                             number=markup.number, agreed=markup.agreed)

router = APIRouter()


def page(request: Request, name: str, status_code: int = 200, headers: dict[str, str] | None = None,
         **context: Any) -> HTMLResponse:
    context.update(user=auth.current_user(request), csrf=auth.csrf_token(request))
    return templates.TemplateResponse(request, name, context, status_code=status_code, headers=headers)


def render_error(request: Request, status: int, message: str) -> HTMLResponse:
    return page(request, "error.html", status_code=status, status=status,
                title=ERRORS.get(status, t.error_title), message=message)


# ================================================================ reading

@router.get("/", response_class=HTMLResponse)
def home(request: Request, session: SessionDep, _: ReaderDep, verified: int = 0) -> Response:
    try:
        return territory_page(request, session, _, None, verified=verified)
    except QalaError:
        return page(request, "empty.html")


@router.get("/territories/{key}", response_class=HTMLResponse)
def territory_page(request: Request, session: SessionDep, _: ReaderDep, key: str | None,
                   verified: int = 0) -> HTMLResponse:
    monitoring.ensure_fresh(request.app.state)
    engine = request.app.state.engine

    def build(s: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        data = dashboard.territory_overview(s, territory=key, verified_only=bool(verified))
        return data, with_chart_json(monitoring.territory_monitoring(
            engine, territory_id=data["territory"]["id"], indicators=data["indicators"],
            verified_only=bool(verified)))
    (data, watch), stale = cached(request, session, ("territory", key, bool(verified)), build)
    freshness = monitoring.freshness(request.app.state)
    if stale:  # the last page built; a newer one is being built in the background
        freshness.update(rebuilding=True, note=t.rebuilding)
    return page(request, "territory.html", verified=bool(verified), checks=watch["checks"],
                freshness=freshness,
                checks_count=watch["checks_count"], commitments=watch["commitments"], charts=watch["charts"],
                charts_json=watch["charts_json"],
                official=watch["official"], **data)


@router.get("/documents/{document_id}", response_class=HTMLResponse)
def document_page(request: Request, session: SessionDep, _: ReaderDep, document_id: RowId,
                  reviewed: int = 0, corrected: int = 0, status_code: int = 200,
                  error: str | None = None) -> HTMLResponse:
    engine = request.app.state.engine
    monitoring.ensure_fresh(request.app.state)
    doc = dashboard.document_detail(session, document_id=document_id)
    sents = markup.sentences(doc["text"], markup.item_spans(doc))
    from qala.monitor.review import reviews_of

    states = monitoring.review_states(reviews_of(engine, document_id), doc["facts"])
    return page(request, "document.html", status_code=status_code, doc=doc, sentences=sents,
                freshness=monitoring.freshness(request.app.state),
                where=markup.sentence_of(sents), checks=monitoring.checks(engine, document_id=document_id, limit=50),
                states=states, reviewed=reviewed, corrected=corrected, review_error=error,
                indicators=sorted(monitoring.indicator_ids(engine)) if auth.current_user(request) else [])


@router.get("/documents", response_class=HTMLResponse)
def documents_page(request: Request, session: SessionDep, _: ReaderDep, q: str = "",
                   offset: int = 0, cursor: str = "") -> HTMLResponse:
    """Documents newest first (or the hits of a search), a page at a time: "more" follows the cursor."""
    offset = max(0, min(offset, 10_000))
    cursor = cursor[:400] or None
    if cursor:
        offset = 0
    if q.strip():
        found = fulltext.search_documents(session, q=q[:200], offset=offset, cursor=cursor)
    else:
        found = dashboard.list_documents(session, offset=offset, cursor=cursor)
    rows, count = found
    return page(request, "documents.html", rows=rows, count=count, estimated=found.estimated, next=found.next,
                q=q[:200], offset=offset)


Short = Annotated[str, Query(max_length=200)]  # a filter typed into a form


@router.get("/persons", response_class=HTMLResponse)
def persons_page(request: Request, session: SessionDep, _: ReaderDep, organization: Short = "", name: Short = "",
                 cursor: Annotated[str, Query(max_length=400)] = "") -> HTMLResponse:
    """Who held which post, filtered by organization and name, a page at a time ("далее": the cursor)."""
    found = dashboard.list_posts(session, limit=200, organization=organization.strip() or None,
                                 name=name.strip() or None, cursor=cursor or None)
    rows, count = found
    shown = {"organization": organization.strip(), "name": name.strip()}
    return page(request, "persons.html", rows=rows, count=count, estimated=found.estimated, next=found.next,
                filters=shown, query=urlencode({k: v for k, v in shown.items() if v}),
                organizations=dashboard.organizations_with_posts(session))


@router.get("/persons.{fmt}")
def persons_download(request: Request, session: SessionDep, _: ReaderDep, fmt: str,
                     organization: Short = "", name: Short = "") -> Response:
    """The filtered persons and posts as CSV (a spreadsheet in Russian) or XLSX."""
    download_format(fmt)
    rows, _count = dashboard.list_posts(session, limit=dashboard.MAX_LIMIT, organization=organization.strip() or None,
                                        name=name.strip() or None)
    rows = [{**r, "full_name": r["person"], "post": r["title"], "title": r["document_title"]} for r in rows]
    return download(rows, ["full_name", "post", "organization", "territory", "as_of", "title", "document_id"], fmt,
                    sheet="Персоны", name="persons")


def download_format(fmt: str) -> None:
    """A table downloads as .csv or .xlsx; anything else is one clear error, before any work."""
    if fmt not in ("csv", "xlsx"):
        raise InvalidInput(f"expected a download as .csv or .xlsx, got .{fmt[:10]}")


def download(rows: list[dict[str, Any]], columns: list[str], fmt: str, *, sheet: str, name: str) -> Response:
    """What a table shows, as CSV (for a spreadsheet in Russian) or XLSX."""
    from qala.store.export import table_bytes

    download_format(fmt)
    media = "text/csv; charset=utf-8" if fmt == "csv" else \
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(table_bytes(rows, columns, fmt, sheet=sheet), media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


TABLE_PAGE = 100  # figures on one page of a territory's table
FACT_COLUMNS = ["indicator", "indicator_text", "territory", "period", "granularity", "value", "unit", "object",
                "change_kind", "change_value", "change_direction", "review_status", "published", "title", "url",
                "sentence"]


def _table(session: Any, key: str, indicator: str, period: str, kind: str, reviewed: str, sort: str, order: str,
           limit: int, offset: int) -> tuple[dict[str, Any], list[dict[str, Any]], int, dict[str, str]]:
    from qala.store.queries import territory_table

    territory = dashboard.find_territory(session, key)
    shown = {"indicator": indicator.strip(), "period": period.strip(), "kind": kind, "reviewed": reviewed,
             "sort": sort or "period", "order": order or "desc"}
    rows, count = territory_table(session, territory_id=territory["id"], indicator=shown["indicator"] or None,
                                  period=shown["period"] or None, kind=kind or None, reviewed_only=bool(reviewed),
                                  sort=shown["sort"], descending=shown["order"] != "asc", limit=limit, offset=offset)
    return territory, rows, count, shown


@router.get("/territories/{key}/facts", response_class=HTMLResponse)
def territory_facts_page(request: Request, session: SessionDep, _: ReaderDep, key: str, indicator: Short = "",
                         period: Short = "", kind: Short = "", reviewed: Short = "", sort: Short = "",
                         order: Short = "", page_no: Annotated[int, Query(alias="page", ge=1, le=100)] = 1,
                         ) -> HTMLResponse:
    """A territory's figures as a table: filters (indicator, period, kind of period, reviewed only),
    sorting, pages and downloads of what it shows."""
    territory, rows, count, shown = _table(session, key, indicator, period, kind, reviewed, sort, order,
                                           TABLE_PAGE, (page_no - 1) * TABLE_PAGE)
    query = urlencode({k: v for k, v in shown.items() if v})
    return page(request, "territory_facts.html", territory=territory, rows=rows, count=count, filters=shown,
                query=query, page_no=page_no, pages=max(1, -(-count // TABLE_PAGE)),
                indicator_choices=dashboard.indicators_of_territory(session, territory["id"]))


@router.get("/territories/{key}/facts.{fmt}")
def territory_facts_download(request: Request, session: SessionDep, _: ReaderDep, key: str, fmt: str,
                             indicator: Short = "", period: Short = "", kind: Short = "", reviewed: Short = "",
                             sort: Short = "", order: Short = "") -> Response:
    """The filtered table as CSV (a spreadsheet in Russian) or XLSX, each row with its sentence and link."""
    download_format(fmt)
    territory, rows, _count, _ = _table(session, key, indicator, period, kind, reviewed, sort, order, 5000, 0)
    rows = [{**r, "granularity": GRANULARITY.get(r["granularity"], r["granularity"]),
             "review_status": REVIEW_STATUS.get(r["review_status"], r["review_status"]),
             "indicator": r["indicator"] or r["indicator_text"]} for r in rows]
    dashboard.with_sources(session, rows)
    return download(rows, FACT_COLUMNS, fmt, sheet="Цифры", name=f"facts-{territory['kato']}")


BOARD_PAGE = 60  # instructions on one page of the board


def board_filters(session: Any, issuer: str, body: str, territory: str, year: str, status: str) -> dict[str, Any]:
    """The board's filters as the store takes them; a bad value is one clear error."""
    found: dict[str, Any] = {"issuer": issuer.strip() or None, "body": body.strip() or None}
    if year.strip():
        if not year.strip().isdigit() or not 1990 <= int(year) <= 2100:
            raise InvalidInput(f"expected a year such as 2024, got {year[:20]!r}")
        found["year"] = int(year)
    if status:
        if status not in dashboard.BOARD:
            raise InvalidInput(f"expected a status among {', '.join(dashboard.BOARD)}, got {status[:20]!r}")
        found["status"] = status
    if territory.strip():
        found["territory_id"] = dashboard.find_territory(session, territory.strip())["id"]
    return found


@router.get("/instructions", response_class=HTMLResponse)
def instructions_page(request: Request, session: SessionDep, _: ReaderDep, changed: int = 0, issuer: Short = "",
                      body: Short = "", territory: Short = "", year: Short = "", status: Short = "",
                      group: Short = "", page_no: Annotated[int, Query(alias="page", ge=1, le=10_000)] = 1,
                      ) -> HTMLResponse:
    """The board: instructions by status or by responsible body, filtered and a page at a time."""
    filters = board_filters(session, issuer, body, territory, year, status)
    rows, count = dashboard.list_instructions(session, limit=BOARD_PAGE, offset=(page_no - 1) * BOARD_PAGE,
                                              **filters)
    columns = {b: [r for r in rows if r["board"] == b] for b in dashboard.BOARD}
    bodies: dict[str, list[dict[str, Any]]] = {}
    for r in sorted(rows, key=lambda r: (r["addressee"] or "\uffff").lower()):
        bodies.setdefault(r["addressee"] or t.no_body, []).append(r)
    monitoring.ensure_fresh(request.app.state)
    from qala.monitor.control import discipline_summary

    shown = {"issuer": issuer, "body": body, "territory": territory, "year": year, "status": status, "group": group}
    query = urlencode({k: v for k, v in shown.items() if v})
    return page(request, "instructions.html", columns=columns, bodies=bodies, changed=changed,
                today=dt.date.today(), discipline=discipline_summary(request.app.state.engine),
                freshness=monitoring.freshness(request.app.state),
                filters=shown, query=query, count=count, page_no=page_no, pages=max(1, -(-count // BOARD_PAGE)),
                years=dashboard.instruction_years(session))


INSTRUCTION_COLUMNS = ["issuer", "text", "addressee", "deadline", "deadline_text", "status", "published", "title",
                       "url", "sentence"]


@router.get("/instructions.{fmt}")
def instructions_download(request: Request, session: SessionDep, _: ReaderDep, fmt: str, issuer: Short = "",
                          body: Short = "", territory: Short = "", year: Short = "", status: Short = "") -> Response:
    """The filtered board as CSV (for a spreadsheet in Russian) or XLSX, each row with its sentence and link."""
    download_format(fmt)
    filters = board_filters(session, issuer, body, territory, year, status)
    rows, _count = dashboard.list_instructions(session, limit=dashboard.MAX_LIMIT, **filters)
    rows = [{**r, "status": STATUS.get(r["board"], r["board"])} for r in rows]
    dashboard.with_sources(session, rows)
    return download(rows, INSTRUCTION_COLUMNS, fmt, sheet="Поручения", name="instructions")


def with_chart_json(watch: dict[str, Any]) -> dict[str, Any]:
    """The charts' data serialized once, when the page's content is cached (a large territory's
    charts run to a megabyte of JSON: serializing them on every view cost most of the page's time)."""
    from jinja2.utils import htmlsafe_json_dumps

    return {**watch, "charts_json": htmlsafe_json_dumps(watch["charts"])}


def cached_overview(request: Request, session: Any, key: str | None, *, verified: bool = False) -> dict[str, Any]:
    """The territory overview, rebuilt only when the store changed (or the day did: overdue moves)."""
    return cached(request, session, ("overview", key, verified),
                  lambda s: dashboard.territory_overview(s, territory=key, verified_only=verified))[0]


def cached(request: Request, session: Any, key: tuple, build: Any) -> tuple[Any, bool]:
    """(`build(session)`, stale): kept until the store changes, the monitor's tables are rebuilt or
    the day changes. Then the last one is served (stale=True) while one background thread builds
    the new one with its own session: only the first view of a page waits for it to be built, and
    two views never build the same page at once."""
    state = request.app.state
    cache: dict = state.page_cache
    stamp = (tuple(monitoring.current_stamp(state)), dashboard.derived_stamp(session))
    found = cache.get(("page", *key))
    if found is not None and found[0] == stamp:
        return found[1], False
    lock = _building(state, key)
    if found is not None and not monitoring.WAIT_AT_LEAST:
        if lock.acquire(blocking=False):
            threading.Thread(target=_build_later, args=(state, key, stamp, build, lock), daemon=True).start()
        return found[1], True
    with lock:
        found = cache.get(("page", *key))
        if found is None or found[0] != stamp:
            found = (stamp, build(session))
            if len(cache) > 256:
                cache.clear()
            cache[("page", *key)] = found
    return found[1], False


def _building(state: Any, key: tuple) -> threading.Lock:
    with _LOCKS_LOCK:
        locks = getattr(state, "page_locks", None)
        if locks is None:
            locks = state.page_locks = {}
        return locks.setdefault(key, threading.Lock())


_LOCKS_LOCK = threading.Lock()


def _build_later(state: Any, key: tuple, stamp: tuple, build: Any, lock: threading.Lock) -> None:
    try:
        with transaction(state.engine) as session:
            if state.engine.dialect.name == "postgresql":  # a rebuild's TRUNCATE waits on this reader
                session.execute(text("SET LOCAL lock_timeout = '2s'"))  # while it holds others: give up
            state.page_cache[("page", *key)] = (stamp, build(session))
    except Exception:
        import logging

        logging.getLogger("qala.web").exception("building a page in the background failed")
    finally:
        lock.release()


# ================================================================ writing (signed in, CSRF-checked)

def signed_in(request: Request) -> str:
    user = auth.current_user(request)
    if user is None:
        raise auth.NotSignedIn("sign in first")
    return user


UserDep = Annotated[str, Depends(signed_in)]


@router.post("/instructions/{instruction_id}/status")
def change_status(request: Request, session: SessionDep, user: UserDep, instruction_id: RowId,
                  status: Annotated[str, Form(max_length=20)], csrf: Annotated[str, Form(max_length=200)] = "",
                  note: Annotated[str, Form(max_length=2000)] = "") -> Response:
    auth.check_csrf(request, csrf)
    dashboard.set_instruction_status(session, instruction_id=instruction_id, status=status, user=user, note=note)
    monitoring.changed(request.app.state)  # readers also notice it by the store stamp, once committed
    return RedirectResponse(f"/instructions?changed={instruction_id}#instruction-{instruction_id}", status_code=303)


@router.post("/documents/{document_id}/reviews")
@checks_own_form
def review_figure(request: Request, session: SessionDep, user: UserDep, document_id: RowId,
                  action: Annotated[str, Form(max_length=20)],
                  span_start: Annotated[int, Form(ge=0, le=2**31 - 1)],
                  span_stop: Annotated[int, Form(ge=0, le=2**31 - 1)],
                  fact_id: Annotated[int, Form(ge=1, le=2**31 - 1)],
                  csrf: Annotated[str, Form(max_length=200)] = "",
                  value: Annotated[str, Form(max_length=60)] = "", unit: Annotated[str, Form(max_length=20)] = "",
                  period: Annotated[str, Form(max_length=40)] = "",
                  indicator: Annotated[str, Form(max_length=80)] = "") -> Response:
    """Confirm, correct or reject one figure; a bad correction shows the page again with the reason."""
    try:
        auth.check_csrf(request, csrf)
        if action not in REVIEW_STATE:
            raise InvalidInput(f"expected action confirm, correct or reject, got {action!r}")
        after: dict[str, Any] = {}
        if action == "correct":
            if value.strip():
                after["value"] = markup.parse_number(value)
            after.update({k: v.strip() for k, v in (("unit", unit), ("period", period), ("indicator", indicator))
                          if v.strip()})
        monitoring.submit_review(request.app.state.engine, document_id=document_id, item_kind="fact",
                                 span=(span_start, span_stop), action=action, user=user, after=after or None)
        monitoring.changed(request.app.state)  # the derived tables are rebuilt in the background
    except QalaError as e:
        return document_page(request, session, user, document_id, status_code=e.status, error=str(e))
    return RedirectResponse(f"/documents/{document_id}?reviewed={fact_id}#review-{fact_id}", status_code=303)


@router.post("/documents/{document_id}/metadata")
@checks_own_form
def correct_metadata(request: Request, session: SessionDep, user: UserDep, document_id: RowId,
                     csrf: Annotated[str, Form(max_length=200)] = "",
                     published: Annotated[str, Form(max_length=20)] = "",
                     title: Annotated[str, Form(max_length=1000)] = "",
                     source: Annotated[str, Form(max_length=200)] = "",
                     url: Annotated[str, Form(max_length=2000)] = "") -> Response:
    """Set a document's date, title, source or link (a new date re-reads its periods); a bad value
    shows the page again with the reason."""
    from qala.store.documents import set_metadata

    try:
        auth.check_csrf(request, csrf)
        set_metadata(request.app.state.engine, document_id, user=user, published=published, title=title,
                     source=source, url=url)
        monitoring.changed(request.app.state)
    except QalaError as e:
        return document_page(request, session, user, document_id, status_code=e.status, error=str(e))
    return RedirectResponse(f"/documents/{document_id}?corrected=1", status_code=303)


@router.get("/add", response_class=HTMLResponse)
def add_page(request: Request, _: ReaderDep) -> HTMLResponse:
    return page(request, "add.html", form={}, error=None)


# The pasted text is one form field: its size is bounded by the document limit (the Guard refuses
# a larger body before it is read), not by the form parser's 1 MB default for a field.
@router.post("/add", response_class=HTMLResponse, form_limits={"max_part_size": 2**31 - 1})
@checks_own_form
async def add_document(request: Request, settings: SettingsDep, user: UserDep,
                       csrf: Annotated[str, Form(max_length=200)] = "",
                       text: Annotated[str, Form()] = "", url: Annotated[str, Form()] = "",
                       published: Annotated[str, Form()] = "", source: Annotated[str, Form()] = "",
                       title: Annotated[str, Form()] = "", file: Annotated[UploadFile | None, File()] = None,
                       ) -> Response:
    """Ingest a pasted or uploaded text; on bad input show the form again with everything kept.

    Extraction runs in a worker process and the store's work in a thread: the event loop, and so
    every other request, never waits for this one."""
    form = {"text": text, "url": url, "published": published, "source": source, "title": title}
    try:
        auth.check_csrf(request, csrf)
        from qala.store.records import clean_fields
        from qala.text import read_bytes

        data = await file.read(settings.max_document_bytes + 1) if file is not None and file.filename else None
        if data is None and len(text.encode("utf-8", "surrogatepass")) > settings.max_document_bytes:
            raise TooLarge(t.too_large.format(size=size_text(settings.max_document_bytes)))
        raw = await run_in_threadpool(read_bytes, data if data is not None else text.encode("utf-8", "surrogatepass"),
                                      path=(file.filename if data is not None else "pasted text"),
                                      max_bytes=settings.max_document_bytes)
        fields = clean_fields(text=raw.text, url=url[:2000], published=published, source=source[:200],
                              title=title[:1000])
        result = await request.app.state.extractor.add(request.app.state.engine, settings.database_url, fields,
                                                       settings.max_document_bytes)
    except QalaError as e:
        message = str(e)
        if isinstance(e, TooLarge):
            message = t.too_large.format(size=size_text(settings.max_document_bytes))
        return page(request, "add.html", status_code=e.status, form=form, error=message)
    monitoring.changed(request.app.state)
    return RedirectResponse(f"/documents/{result['id']}", status_code=303)


# ================================================================ signing in

@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> HTMLResponse:
    return page(request, "login.html", next=_safe_next(next), error=None)


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, username: Annotated[str, Form(max_length=100)],
          password: Annotated[str, Form(max_length=1000)], csrf: Annotated[str, Form(max_length=200)] = "",
          next: Annotated[str, Form(max_length=500)] = "/") -> Response:
    auth.check_csrf(request, csrf)
    try:
        with transaction(request.app.state.engine) as session:
            found = auth.gate_of(request).authenticate(session, username=username, password=password,
                                                       address=auth.client_address(request))
    except auth.TooManyAttempts as e:
        return page(request, "login.html", status_code=429, next=_safe_next(next),
                    error=t.login_locked.format(seconds=e.retry_after), headers={"Retry-After": str(e.retry_after)})
    if found is None:
        return page(request, "login.html", status_code=401, next=_safe_next(next), error=t.login_failed)
    auth.sign_in(request, *found)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request, csrf: Annotated[str, Form(max_length=200)] = "") -> Response:
    """Sign out here and everywhere: the user's session version moves on, so a copy of this
    cookie (or one on another device) is refused from now on. Committed before the answer goes
    out (a request's own transaction may commit after it)."""
    auth.check_csrf(request, csrf)
    with transaction(request.app.state.engine) as session:
        auth.sign_out(request, session)
    return RedirectResponse("/", status_code=303)


def _safe_next(target: str) -> str:
    """Only same-site paths: never redirect to another host after sign-in."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"

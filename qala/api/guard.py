"""What every request passes before a route sees it.

- ``Guard`` (ASGI middleware): security headers on every response (a Content-Security-Policy that
  allows no inline script, no framing, no sniffing); a body limit enforced while the body arrives
  (Content-Length or not), so nothing larger is read or spooled to disk; a change (POST...) with
  neither a signed-in session nor credentials is refused before its body is read.
- ``clean_request`` (a dependency of every route): path and query parameters, form fields and JSON
  bodies must hold no NUL character or lone surrogate (qala.clean): a 422 naming the field.
- ``check_session`` (a dependency of every route): a revoked session cookie counts as signed out.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from starlette.datastructures import UploadFile
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from qala import auth
from qala.clean import check_pairs, check_text, check_values
from qala.config import Settings
from qala.store.db import transaction

CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
# FastAPI's /api/docs page loads Swagger UI from its CDN with an inline script.
DOCS_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
            "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: https://fastapi.tiangolo.com; "
            "object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
HEADERS = [(b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
           (b"referrer-policy", b"same-origin"), (b"cross-origin-opener-policy", b"same-origin"),
           (b"permissions-policy", b"camera=(), microphone=(), geolocation=()")]
DOCUMENT_POSTS = ("/add", "/api/documents")  # bodies that carry a whole document
OPEN_POSTS = ("/login",)  # changes allowed without a user
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


class _TooLarge(Exception):
    pass


class Guard:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        # A JSON body escapes Cyrillic to \uXXXX (6 bytes for 2); a form adds its fields.
        self.document_limit = settings.max_document_bytes * 3 + 256 * 1024
        self.limit = settings.max_request_bytes
        self.hsts = settings.secure_cookies
        from qala.web.strings import size_text

        self.size = size_text(settings.max_document_bytes)

    def body_limit(self, path: str) -> int:
        return self.document_limit if path.rstrip("/") in DOCUMENT_POSTS else self.limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        headers = _with_security_headers(path, self.hsts)

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *headers]}
            await send(message)

        if scope["method"] not in WRITES:
            await self.app(scope, receive, send_secured)
            return
        if path.rstrip("/") not in OPEN_POSTS and not _has_credentials(scope):
            await _refuse(scope, send_secured, 401, "sign in first: this change needs a user (qala user add NAME)")
            return
        limit = self.body_limit(path)
        length = _content_length(scope)
        if length is not None and length > limit:
            await _refuse(scope, send_secured, 413, _too_large(limit),
                          self.size if path.rstrip("/") in DOCUMENT_POSTS else None)
            return
        received = 0
        exceeded = False
        started = False

        async def limited_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True
                    raise _TooLarge()
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded:
                return  # the app's answer to a body it could not finish reading is replaced below
            if message["type"] == "http.response.start":
                started = True
            await send_secured(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except _TooLarge:
            pass
        except Exception:
            if not exceeded:
                raise
        if exceeded and not started:
            await _refuse(scope, send_secured, 413, _too_large(limit),
                          self.size if path.rstrip("/") in DOCUMENT_POSTS else None)


def _too_large(limit: int) -> str:
    return f"expected a request of at most {limit // 1024} KB, got more (QALA_MAX_DOCUMENT_BYTES sets the document limit)"


def _with_security_headers(path: str, hsts: bool) -> list[tuple[bytes, bytes]]:
    csp = DOCS_CSP if path.startswith("/api/docs") else CSP
    extra = [(b"strict-transport-security", b"max-age=31536000")] if hsts else []
    return [*HEADERS, (b"content-security-policy", csp.encode()), *extra]


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _has_credentials(scope: Scope) -> bool:
    """A signed-in session (decoded by SessionMiddleware outside this one) or an Authorization header."""
    if any(name == b"authorization" for name, _ in scope.get("headers", [])):
        return True
    session = scope.get("session") or {}
    return bool(session.get("user"))


async def _refuse(scope: Scope, send: Send, status: int, message: str, size: str | None = None) -> None:
    path: str = scope.get("path", "")
    if status == 401 and not (path == "/api" or path.startswith("/api/")):
        headers = [(b"location", f"/login?next={path if path.startswith('/') else '/'}".encode("latin-1", "replace")),
                   (b"content-length", b"0")]
        await send({"type": "http.response.start", "status": 303, "headers": headers})
        await send({"type": "http.response.body", "body": b""})
        return
    if path == "/api" or path.startswith("/api/"):
        body = json.dumps({"ok": False, "error": message, "status": status}, ensure_ascii=False).encode()
        kind = b"application/json"
    else:  # a page: the message in the dashboard's language, in a page of its own
        from html import escape

        from qala.web.strings import ERRORS, t

        title = ERRORS.get(status, t.error_title)
        text = t.too_large.format(size=size) if status == 413 and size else message
        body = (f'<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>{escape(title)}</title>'
                f'</head><body><h1>{escape(title)}</h1><p class="error" role="alert">{escape(text)}</p>'
                f'<p><a href="/add">{escape(t.add_title)}</a></p></body></html>').encode()
        kind = b"text/html; charset=utf-8"
    headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode()), (b"connection", b"close")]
    if status == 401:
        headers.append((b"www-authenticate", b'Basic realm="qala"'))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


# ================================================================ dependencies of every route

async def clean_request(request: Request) -> None:
    """Refuse NUL characters and lone surrogates in any text a request brings, naming the field."""
    check_text(request.url.path, "path")
    check_pairs(request.path_params.items())
    check_pairs(request.query_params.multi_items())
    if request.method not in WRITES or getattr(request.scope.get("endpoint"), "checks_own_form", False):
        return
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.form()
        pairs: list[tuple[str, Any]] = []
        for name, value in form.multi_items():
            if isinstance(value, UploadFile):
                check_text(value.filename, f"{name} file name")
            else:
                pairs.append((name, value))
        check_pairs(pairs)
    elif kind == "application/json" or kind.endswith("+json"):
        try:
            body = await request.json()
        except (ValueError, UnicodeDecodeError):
            return  # FastAPI answers malformed JSON itself
        check_values(body, "")


def checks_own_form(endpoint: Any) -> Any:
    """Mark a form handler that refuses bad characters itself, so it can show its form again with
    what was typed (the check would otherwise answer with an error page first)."""
    endpoint.checks_own_form = True
    return endpoint


def check_session(request: Request) -> None:
    """A session cookie whose user signed out since, changed password or is gone: signed out here."""
    if auth.current_user(request) is not None:
        with transaction(request.app.state.engine) as session:
            auth.verify_session(request, session)

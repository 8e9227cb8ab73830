"""People who may change things: users with argon2 password hashes, sessions and CSRF tokens.

Reading is open unless QALA_PUBLIC_READ=0; writes (status changes, uploads) need a signed-in user.
The browser signs in once and carries a session cookie signed by Starlette's SessionMiddleware
(itsdangerous); every form posts a CSRF token kept in that session. API clients may instead send
HTTP Basic credentials, which need no CSRF token because no cookie is involved.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.requests import Request

from qala.errors import InvalidInput, QalaError
from qala.store.schema import User

MIN_PASSWORD = 8
_hasher = PasswordHasher()


class NotSignedIn(QalaError):
    status = 401


class Forbidden(QalaError):
    status = 403


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def add_user(session: Session, *, username: str, password: str) -> None:
    username = (username or "").strip()
    if not username or len(username) > 100 or any(c.isspace() for c in username):
        raise InvalidInput(f"expected a user name of 1-100 characters without spaces, got {username!r}")
    if len(password or "") < MIN_PASSWORD:
        raise InvalidInput(f"expected a password of at least {MIN_PASSWORD} characters, got {len(password or '')}")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise InvalidInput(f"user {username!r} already exists")
    session.add(User(username=username, password_hash=hash_password(password)))
    session.flush()


def authenticate(session: Session, *, username: str, password: str) -> str | None:
    """The user's name when the password matches, else None (timing does not reveal which failed)."""
    user = session.scalar(select(User).where(User.username == (username or "").strip()))
    if user is None:
        _hasher.hash(password or "x")  # spend the same time as a real check
        return None
    try:
        _hasher.verify(user.password_hash, password or "")
    except (VerificationError, InvalidHashError):
        return None
    return user.username


def current_user(request: Request) -> str | None:
    return request.session.get("user") if "session" in request.scope else None


def sign_in(request: Request, username: str) -> None:
    request.session.clear()
    request.session["user"] = username
    request.session["csrf"] = secrets.token_urlsafe(32)


def sign_out(request: Request) -> None:
    request.session.clear()


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use; every form carries it."""
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


def check_csrf(request: Request, token: str | None) -> None:
    expected = request.session.get("csrf")
    if not expected or not token or not hmac.compare_digest(expected, token):
        raise Forbidden("the form has expired or did not come from this site (CSRF token mismatch): reload the page")


def basic_credentials(request: Request) -> tuple[str, str] | None:
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("basic "):
        return None
    try:
        name, _, password = base64.b64decode(header[6:].strip()).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return name, password


def api_user(request: Request, session: Session) -> str:
    """A user for an API write: HTTP Basic, or the session cookie together with an X-CSRF-Token header."""
    creds = basic_credentials(request)
    if creds is not None:
        user = authenticate(session, username=creds[0], password=creds[1])
        if user is None:
            raise NotSignedIn("expected valid credentials, got a wrong user name or password")
        return user
    user = current_user(request)
    if user is None:
        raise NotSignedIn("sign in first: this change needs a user (qala user add NAME)")
    check_csrf(request, request.headers.get("x-csrf-token"))
    return user

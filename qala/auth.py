"""People who may change things: users with argon2 password hashes, sessions and CSRF tokens.

Reading is open unless QALA_PUBLIC_READ=0; writes (status changes, uploads) need a signed-in user.
The browser signs in once and carries a session cookie signed by Starlette's SessionMiddleware
(itsdangerous); every form posts a CSRF token kept in that session. API clients may instead send
HTTP Basic credentials, which need no CSRF token because no cookie is involved.

A session cookie names its user and the user's session version; signing out or a new password
adds one to the version, so every cookie issued before (a copied one too) is refused after.
Password checks go through ``Gate``: failures are counted per user name and per client address,
and after too many the name or address is locked out for a while (429) without an argon2 run;
at most two argon2 checks run at once, and a Basic pair that passed is remembered for a minute.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass, field

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
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


class TooManyAttempts(QalaError):
    status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


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


def sign_in(request: Request, username: str, version: int = 0) -> None:
    request.session.clear()
    request.session["user"] = username
    request.session["v"] = version
    request.session["csrf"] = secrets.token_urlsafe(32)


def sign_out(request: Request, session: Session | None = None) -> None:
    """Forget the session here and, given the store, revoke every cookie of the user made before."""
    user = current_user(request)
    if user and session is not None:
        revoke_sessions(session, user)
    request.session.clear()


def session_version(session: Session, username: str) -> int | None:
    return session.scalar(select(User.session_version).where(User.username == username))


def revoke_sessions(session: Session, username: str) -> None:
    session.execute(update(User).where(User.username == username)
                    .values(session_version=User.session_version + 1))


def verify_session(request: Request, session: Session) -> None:
    """Drop the session's user when its cookie was revoked (sign-out, new password, user gone)."""
    user = current_user(request)
    if user is None:
        return
    version = session_version(session, user)
    if version is None or request.session.get("v") != version:
        request.session.pop("user", None)
        request.session.pop("v", None)


def set_password(session: Session, *, username: str, password: str) -> None:
    """A new password for an existing user; their sessions are revoked."""
    if len(password or "") < MIN_PASSWORD:
        raise InvalidInput(f"expected a password of at least {MIN_PASSWORD} characters, got {len(password or '')}")
    found = session.execute(update(User).where(User.username == username).values(
        password_hash=hash_password(password), session_version=User.session_version + 1))
    if not found.rowcount:
        raise InvalidInput(f"no user {username!r}")


# ---------------------------------------------------------------- sign-in throttling

@dataclass
class _Failures:
    times: list[float] = field(default_factory=list)
    locked_until: float = 0.0


class Gate:
    """Password checks, counted: ``limit_user`` failures for one name (or ``limit_address`` from one
    address) within ``window`` seconds lock that name (address) out for ``lockout`` seconds."""

    def __init__(self, *, limit_user: int = 5, limit_address: int = 20, lockout: float = 300,
                 window: float = 900, concurrent: int = 2) -> None:
        self.limit_user, self.limit_address = limit_user, limit_address
        self.lockout, self.window = lockout, window
        self._failures: dict[tuple[str, str], _Failures] = {}
        self._lock = threading.Lock()
        self._argon = threading.BoundedSemaphore(concurrent)  # argon2 takes 64 MB per check
        self._passed: dict[str, tuple[float, str, int]] = {}  # Basic pairs that passed: digest -> (until, user)

    def _keys(self, username: str, address: str) -> list[tuple[tuple[str, str], int]]:
        return [(("user", username.strip().lower()[:100]), self.limit_user), (("address", address), self.limit_address)]

    def check_open(self, username: str, address: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key, _limit in self._keys(username, address):
                entry = self._failures.get(key)
                if entry and entry.locked_until > now:
                    wait = int(entry.locked_until - now) + 1
                    what = "this user name" if key[0] == "user" else "this address"
                    raise TooManyAttempts(f"too many failed sign-ins for {what}: try again in {wait} s", wait)

    def failed(self, username: str, address: str) -> None:
        now = time.monotonic()
        with self._lock:
            if len(self._failures) > 100_000:  # a flood of names: forget the oldest
                self._failures = {k: v for k, v in self._failures.items() if v.locked_until > now}
            for key, limit in self._keys(username, address):
                entry = self._failures.setdefault(key, _Failures())
                entry.times = [t for t in entry.times if t > now - self.window] + [now]
                if len(entry.times) >= limit:
                    entry.locked_until, entry.times = now + self.lockout, []

    def succeeded(self, username: str) -> None:
        with self._lock:
            self._failures.pop(self._keys(username, "")[0][0], None)

    def authenticate(self, session: Session, *, username: str, password: str, address: str,
                     remember: bool = False) -> tuple[str, int] | None:
        """(user, session version) when the password matches, None when not; TooManyAttempts while
        locked out. ``remember``: a Basic pair that passed skips argon2 for a minute."""
        digest = hashlib.sha256(f"{username}\0{password}".encode("utf-8", "surrogatepass")).hexdigest()
        now = time.monotonic()
        version = session_version(session, (username or "").strip())
        self.check_open(username, address)  # a lockout holds for a pair that passed before, too
        known = self._passed.get(digest)
        if remember and known and known[0] > now and version == known[2]:
            return known[1], known[2]
        with self._argon:
            user = authenticate(session, username=username, password=password)
        if user is None:
            self.failed(username, address)
            return None
        self.succeeded(username)
        if remember:
            if len(self._passed) > 1000:
                self._passed.clear()
            self._passed[digest] = (now + 60, user, version or 0)
        return user, version or 0


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def gate_of(request: Request) -> Gate:
    gate = getattr(request.app.state, "gate", None)
    if gate is None:
        gate = request.app.state.gate = Gate()
    return gate


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


def basic_user(request: Request, session: Session) -> str | None:
    """The user of valid HTTP Basic credentials; None without any; NotSignedIn for wrong ones."""
    creds = basic_credentials(request)
    if creds is None:
        return None
    found = gate_of(request).authenticate(session, username=creds[0], password=creds[1],
                                          address=client_address(request), remember=True)
    if found is None:
        raise NotSignedIn("expected valid credentials, got a wrong user name or password")
    return found[0]


def api_user(request: Request, session: Session) -> str:
    """A user for an API write: HTTP Basic, or the session cookie together with an X-CSRF-Token header."""
    user = basic_user(request, session)
    if user is not None:
        return user
    user = current_user(request)
    if user is None:
        raise NotSignedIn("sign in first: this change needs a user (qala user add NAME)")
    check_csrf(request, request.headers.get("x-csrf-token"))
    return user

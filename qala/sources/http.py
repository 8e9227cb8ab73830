"""Fetching pages politely: httpx with timeouts, retries with backoff, bounded redirects, robots.txt,
a per-host rate limit, a clear user agent, conditional requests and a size cap.

Every failure is a ``FetchError`` with one line saying what was expected and what came back; the
caller records it against the URL and goes on.
"""

from __future__ import annotations

import re
import threading
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Self
from urllib.parse import urljoin, urlsplit

import httpx
from charset_normalizer import from_bytes

from qala.errors import QalaError

USER_AGENT = "QalaBot/0.1 (reads government press releases; python-httpx)"
MAX_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)


class FetchError(QalaError):
    """A URL that could not be fetched; ``permanent`` failures (404, robots.txt) are not retried soon."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class Fetched:
    url: str  # as asked
    final_url: str  # after redirects
    status: int  # 200, or 304 when the page did not change since the validators given
    content: bytes = b""
    content_type: str = ""
    encoding: str | None = None
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    def text(self) -> str:
        return decode_page(self.content, self.content_type)[0]


def declared_charset(content: bytes, content_type: str) -> str | None:
    """The charset named by the Content-Type header, else by a <meta> tag in the first 4 KB."""
    m = re.search(r"charset\s*=\s*\"?([A-Za-z0-9_\-]+)", content_type or "", re.IGNORECASE)
    if m:
        return m.group(1).lower()
    m = META_CHARSET.search(content[:4096])
    return m.group(1).decode("ascii").lower() if m else None


def _valid(encoding: str) -> bool:
    import codecs

    try:
        codecs.lookup(encoding)
    except LookupError:
        return False
    return True


def decode_page(content: bytes, content_type: str = "") -> tuple[str, str]:
    """Bytes of a page as text: valid UTF-8 is UTF-8; else the charset of the header or the meta
    tag, else cp1251 when it reads as Cyrillic, else detection. A declared charset that does not
    fit the bytes (a server that says UTF-8 and sends cp1251, or the other way round) is overruled.

    >>> decode_page("Алматы".encode("cp1251"), "text/html; charset=utf-8")
    ('Алматы', 'cp1251')
    >>> decode_page("Алматы".encode("utf-8"), "text/html; charset=windows-1251")
    ('Алматы', 'utf-8')
    """
    declared = declared_charset(content, content_type)
    if declared in ("utf-16", "utf-16le", "utf-16be", "utf-32") or content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode(declared or "utf-16"), declared or "utf-16"
        except (UnicodeDecodeError, LookupError):
            pass
    # Strict UTF-8 first, whatever is declared: multi-byte UTF-8 sequences do not happen by chance
    # in cp1251 text, while a page saying cp1251 and sending UTF-8 is common after a site's move.
    try:
        return content.removeprefix(b"\xef\xbb\xbf").decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if declared and declared not in ("utf-8", "utf8") and _valid(declared):
        try:
            return content.decode(declared), declared
        except UnicodeDecodeError:
            pass
    # Cyrillic pages that are not UTF-8 are nearly always cp1251; detection decides among the rest.
    text = content.decode("cp1251", errors="replace")
    cyrillic = sum(1 for ch in text[:20000] if "\u0400" <= ch <= "\u04ff")
    letters = sum(1 for ch in text[:20000] if ch.isalpha())
    if letters and cyrillic / letters >= 0.3 and "\ufffd" not in text:
        return text, "cp1251"
    best = from_bytes(content[:200000]).best()
    if best is not None and best.encoding:
        return content.decode(best.encoding, errors="replace"), best.encoding
    return content.decode("utf-8", errors="replace"), "utf-8"


@dataclass
class Fetcher:
    """One HTTP client for a run. ``delay``: seconds between two requests to one host."""

    timeout: float = 20.0
    retries: int = 2
    backoff: float = 1.0
    delay: float = 1.0
    max_bytes: int = MAX_BYTES
    max_redirects: int = MAX_REDIRECTS
    user_agent: str = USER_AGENT
    respect_robots: bool = True
    transport: httpx.BaseTransport | None = None
    sleep: Callable[[float], None] = time.sleep
    _client: httpx.Client | None = field(default=None, init=False, repr=False)
    _robots: dict[str, urllib.robotparser.RobotFileParser | None] = field(default_factory=dict, init=False,
                                                                         repr=False)
    _last: dict[str, float] = field(default_factory=dict, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _robots_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                headers={"User-Agent": self.user_agent, "Accept-Language": "ru,kk;q=0.8,en;q=0.5"},
                timeout=httpx.Timeout(self.timeout, connect=min(self.timeout, 10.0)),
                follow_redirects=False, transport=self.transport)
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---------------------------------------------------------------- politeness

    def _wait_turn(self, host: str) -> None:
        with self._lock:
            last = self._last.get(host)
            now = time.monotonic()
            wait = 0.0 if last is None else last + self.delay - now
            self._last[host] = max(now, now + wait)
        if wait > 0:
            self.sleep(wait)

    def allowed(self, url: str) -> bool:
        """Whether robots.txt of the URL's site lets Qala's user agent read it (no robots.txt: yes)."""
        if not self.respect_robots:
            return True
        parts = urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}"
        with self._robots_lock:  # one robots.txt request per site, whichever thread asks first
            return self._allowed(root, url)

    def _allowed(self, root: str, url: str) -> bool:
        if root not in self._robots:
            parser: urllib.robotparser.RobotFileParser | None = None
            try:
                response = self._request(root + "/robots.txt", {}, check_robots=False)
            except FetchError:
                response = None
            if response is not None and response.status == 200:
                parser = urllib.robotparser.RobotFileParser()
                parser.parse(response.text().splitlines())
            self._robots[root] = parser
        parser = self._robots[root]
        return parser is None or parser.can_fetch(self.user_agent, url)

    # ---------------------------------------------------------------- fetching

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        """The page at URL (or status 304 when the validators say it has not changed)."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise FetchError(f"{url}: expected an http(s) URL, got {parts.scheme or 'no scheme'}", permanent=True)
        if not self.allowed(url):
            raise FetchError(f"{url}: robots.txt of {parts.netloc} disallows it", permanent=True)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._request(url, headers)

    def _request(self, url: str, headers: dict[str, str], *, check_robots: bool = True) -> Fetched:
        seen = [url]
        current = url
        while True:
            status, response_headers, content = self._with_retries(current, headers)
            if status in (301, 302, 303, 307, 308):
                location = response_headers.get("location")
                if not location:
                    raise FetchError(f"{url}: expected a Location with redirect {status}, got none")
                target = urljoin(current, location)
                if target in seen:
                    raise FetchError(f"{url}: expected a page, got a redirect loop ({len(seen)} steps)",
                                     permanent=True)
                if len(seen) > self.max_redirects:
                    raise FetchError(f"{url}: expected at most {self.max_redirects} redirects, got more",
                                     permanent=True)
                if urlsplit(target).scheme not in ("http", "https"):
                    raise FetchError(f"{url}: redirected to a non-http URL {target}", permanent=True)
                if check_robots and not self.allowed(target):
                    raise FetchError(f"{url}: redirected to {target}, which robots.txt disallows", permanent=True)
                seen.append(target)
                current = target
                continue
            if status == 304:
                return Fetched(url, current, 304, etag=headers.get("If-None-Match"),
                               last_modified=headers.get("If-Modified-Since"))
            if status >= 400:
                raise FetchError(f"{url}: expected a page, got HTTP {status}",
                                 permanent=status in (401, 403, 404, 410))
            content_type = response_headers.get("content-type", "")
            return Fetched(url, current, status, content, content_type,
                           declared_charset(content, content_type), response_headers.get("etag"),
                           response_headers.get("last-modified"))

    def _with_retries(self, url: str, headers: dict[str, str]) -> tuple[int, httpx.Headers, bytes]:
        attempt = 0
        while True:
            try:
                status, response_headers, content = self._once(url, headers)
            except httpx.TimeoutException:
                error = FetchError(f"{url}: expected an answer within {self.timeout:g} s, got none (timeout)")
            except httpx.TransportError as e:
                detail = str(e).splitlines()[0] if str(e) else "no detail"
                error = FetchError(f"{url}: cannot connect ({type(e).__name__}: {detail})")
            else:
                if status not in RETRY_STATUSES:
                    return status, response_headers, content
                error = None
                if attempt >= self.retries:
                    return status, response_headers, content
            if error is not None and attempt >= self.retries:
                raise error
            attempt += 1
            self.sleep(self.backoff * 2 ** (attempt - 1))

    def _once(self, url: str, headers: dict[str, str]) -> tuple[int, httpx.Headers, bytes]:
        self._wait_turn(urlsplit(url).netloc)
        with self.client.stream("GET", url, headers=headers) as response:
            length = response.headers.get("content-length")
            if length and length.isdigit() and int(length) > self.max_bytes:
                raise FetchError(f"{url}: expected at most {self.max_bytes} bytes, got {int(length)} "
                                 "(Content-Length)", permanent=True)
            chunks: list[bytes] = []
            size = 0
            started = time.monotonic()
            for chunk in response.iter_bytes():
                if time.monotonic() - started > self.timeout:  # a server trickling bytes forever
                    raise FetchError(f"{url}: expected the page within {self.timeout:g} s, got it still coming")
                size += len(chunk)
                if size > self.max_bytes:
                    raise FetchError(f"{url}: expected at most {self.max_bytes} bytes, got more", permanent=True)
                chunks.append(chunk)
            return response.status_code, response.headers, b"".join(chunks)

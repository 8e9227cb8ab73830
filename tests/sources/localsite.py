"""A local web site on 127.0.0.1 for the sources tests and benchmarks/fetch.py: nothing else is reached.

``site.route(path, body, status=200, headers=None)`` serves fixed bytes; ``site.route(path, fn)``
calls ``fn(request) -> (status, headers, body)`` where ``request`` has ``path`` and ``headers``.
Every request is kept in ``site.requests`` (path, headers, time) for the tests to look at.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PAGES = Path(__file__).parent / "pages"


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    at: float


class LocalSite:
    def __init__(self) -> None:
        self.routes: dict[str, object] = {}
        self.requests: list[Request] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, body, status: int = 200, headers: dict[str, str] | None = None) -> str:
        if callable(body):
            self.routes[path] = body
        else:
            data = body.encode("utf-8") if isinstance(body, str) else body
            hdrs = {"Content-Type": "text/html; charset=utf-8", **(headers or {})}
            self.routes[path] = lambda request: (status, hdrs, data)
        return self.url(path)

    def page(self, path: str, fixture: str, *, encoding: str = "utf-8", content_type: str | None = None) -> str:
        """A fixture page of tests/sources/pages served at PATH in ENCODING."""
        text = (PAGES / fixture).read_text(encoding="utf-8")
        ctype = content_type or "text/html; charset=utf-8"
        return self.route(path, text.encode(encoding), headers={"Content-Type": ctype})

    def hits(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]

    def _handler(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                request = Request(self.path, {k.lower(): v for k, v in self.headers.items()}, time.monotonic())
                site.requests.append(request)
                route = site.routes.get(self.path)
                if route is None:
                    status, headers, body = 404, {"Content-Type": "text/html"}, b"<h1>Not found</h1>"
                else:
                    status, headers, body = route(request)
                try:
                    self.send_response(status)
                    if not isinstance(body, (bytes, bytearray)):  # a generator: streamed without a length
                        for key, value in headers.items():
                            self.send_header(key, value)
                        self.send_header("Connection", "close")
                        self.end_headers()
                        for chunk in body:
                            self.wfile.write(chunk)
                            self.wfile.flush()
                        self.close_connection = True
                        return
                    for key, value in headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

        return Handler

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

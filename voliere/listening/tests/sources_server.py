"""A real HTTP server on loopback serving canned answers, for the source connector tests.

Routes are keyed by path; an answer is either a fixed `Canned` response, a list of them
(served in order, the last one repeated) or a function of the recorded request. Every
request is recorded (method, path, query, headers, body), so tests assert what the
connector actually sent. Recorded payloads live in `tests/data/sources/`.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

DATA = Path(__file__).parent / "data" / "sources"


@dataclass
class Canned:
    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, payload: object, status: int = 200, **headers: str) -> Canned:
        return cls(status, json.dumps(payload), {"Content-Type": "application/json", **headers})

    @classmethod
    def file(cls, name: str, content_type: str = "application/json", status: int = 200,
             **headers: str) -> Canned:
        return cls(status, (DATA / name).read_bytes(), {"Content-Type": content_type, **headers})


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def param(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None


Answer = Canned | list[Canned] | Callable[[Recorded], Canned]


class CannedServer:
    def __init__(self) -> None:
        self.routes: dict[str, Answer] = {}
        self.requests: list[Recorded] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def route(self, path: str, answer: Answer) -> None:
        self.routes[path] = list(answer) if isinstance(answer, list) else answer

    def to(self, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.path == path]

    def _answer(self, recorded: Recorded) -> Canned:
        with self._lock:
            self.requests.append(recorded)
            answer = self.routes.get(recorded.path)
            if answer is None:
                return Canned(404, "no route")
            if isinstance(answer, list):
                return answer.pop(0) if len(answer) > 1 else answer[0]
        return answer(recorded) if callable(answer) else answer

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                recorded = Recorded(self.command, parts.path, parse_qs(parts.query),
                                    {k.lower(): v for k, v in self.headers.items()},
                                    self.rfile.read(length) if length else b"")
                canned = server._answer(recorded)
                body = canned.body.encode() if isinstance(canned.body, str) else canned.body
                self.send_response(canned.status)
                for name, value in canned.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            do_GET = do_POST = do_HEAD = _serve  # noqa: N815 — http.server's naming

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        return Handler

    def start(self) -> CannedServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


@pytest.fixture
def canned_server() -> Iterator[CannedServer]:
    server = CannedServer().start()
    yield server
    server.stop()



@pytest.fixture
def instance(request: pytest.FixtureRequest):  # noqa: ANN201 — tests.conftest's LiveServer
    """This Volière instance served on loopback (`asgi_server`), as a remote Mastodon API
    for the connector. The server shares the test database: PostgreSQL always does; on
    SQLite only a database in a file, which `tests/conftest.py`'s hooks arrange."""
    from django.db import connection

    name = connection.settings_dict.get("TEST", {}).get("NAME") or ""
    if connection.vendor == "sqlite" and (not name or "memory" in name):
        pytest.skip("the live server needs the SQLite test database in a file: run with "
                    "-p tests.conftest, in the full suite, or on PostgreSQL")
    return request.getfixturevalue("asgi_server")

"""A real ASGI server (uvicorn in a subprocess) serving Volière against the test database.

Why a subprocess: uvicorn runs its own event loop, and Django refuses database work from a
thread that has a running loop; a separate process keeps the server exactly as it runs in
production (`voliere.config.asgi:application`) and the pytest process free of event loops.

Why it needs committed data: a subprocess has its own database connection, so it cannot see
the test's uncommitted transaction. Tests using it are `@pytest.mark.django_db(transaction=True)`
and, on SQLite, the test database is a file (see `tests/conftest.py`, which sets
``VOLIERE_TEST_SQLITE_NAME``) rather than Django's in-memory default.

The server uses `voliere.config.settings.test`, so background tasks run immediately, inside
the request that enqueued them, once its transaction commits.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from django.conf import settings

START_TIMEOUT_SECONDS = 30.0
START_ATTEMPTS = 3
LOG_TAIL_LINES = 60
SETTINGS_MODULE = "voliere.config.settings.test"


class LiveServerError(RuntimeError):
    pass


class ServerExitedError(LiveServerError):
    pass


@dataclass
class LiveServer:
    url: str
    process: subprocess.Popen
    log_path: Path

    def log(self, tail: int = LOG_TAIL_LINES) -> str:
        """The last `tail` lines of the server's output (errors repeat the whole message)."""
        if not self.log_path.exists():
            return ""
        lines = self.log_path.read_text(errors="replace").splitlines()
        skipped = f"[... {len(lines) - tail} earlier lines in {self.log_path}]\n"
        return (skipped if len(lines) > tail else "") + "\n".join(lines[-tail:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def database_url(settings_dict: dict[str, Any]) -> str:
    """The ``VOLIERE_DATABASE_URL`` that points a new process at the same (test) database.

    `settings_dict` is ``connection.settings_dict`` read after the test database exists, so
    its NAME is the test database's, xdist worker suffix included.
    """
    engine = settings_dict["ENGINE"]
    name = str(settings_dict["NAME"])
    if engine == "django.db.backends.sqlite3":
        if name == ":memory:" or "mode=memory" in name:
            raise LiveServerError(
                "the SQLite test database is in memory, so another process cannot open it: "
                "set VOLIERE_TEST_SQLITE_NAME to a file path before Django's settings load"
            )
        return f"sqlite:///{Path(name).resolve()}"
    if engine == "django.db.backends.postgresql":
        user = quote(settings_dict.get("USER") or "", safe="")
        password = quote(settings_dict.get("PASSWORD") or "", safe="")
        credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        host = settings_dict.get("HOST") or "127.0.0.1"
        port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
        return f"postgres://{credentials}{host}{port}/{quote(name, safe='')}"
    raise LiveServerError(f"no live server support for database engine {engine}")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_live_server(*, db_url: str, data_dir: Path, log_path: Path) -> LiveServer:
    """Start uvicorn on a free loopback port and return once ``/healthz`` answers 200.

    The port is chosen before uvicorn binds it, so another process may take it first: a
    server that exits at start is retried on a new port, `START_ATTEMPTS` times in all.
    Raises `LiveServerError` with the server's output if it exits or is not ready within
    `START_TIMEOUT_SECONDS`. The caller must `stop()` it.
    """
    for attempt in range(1, START_ATTEMPTS + 1):
        try:
            return _start_once(db_url=db_url, data_dir=data_dir, log_path=log_path)
        except ServerExitedError:
            if attempt == START_ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def _start_once(*, db_url: str, data_dir: Path, log_path: Path) -> LiveServer:
    (data_dir / "static").mkdir(parents=True, exist_ok=True)  # STATIC_ROOT, for WhiteNoise
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
        "VOLIERE_DATABASE_URL": db_url,
        "VOLIERE_DATA": str(data_dir),
        "VOLIERE_ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Same key as the test process: tokens and sessions made by a test are signed with it.
        "VOLIERE_SECRET_KEY": settings.SECRET_KEY,
        "PYTHONUNBUFFERED": "1",
    }
    command = [
        sys.executable, "-m", "uvicorn", "voliere.config.asgi:application",
        "--host", "127.0.0.1", "--port", str(port),
        "--lifespan", "off", "--no-access-log", "--log-level", "warning",
    ]
    log_file = log_path.open("wb")
    process = subprocess.Popen(  # noqa: S603 — fixed command, our own interpreter
        command, env=env, stdout=log_file, stderr=subprocess.STDOUT, cwd=Path.cwd()
    )
    log_file.close()
    server = LiveServer(url=f"http://127.0.0.1:{port}", process=process, log_path=log_path)
    _wait_until_ready(server)
    return server


def _wait_until_ready(server: LiveServer) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    last_error = ""
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise ServerExitedError(
                f"uvicorn exited with code {server.process.returncode}:\n{server.log()}"
            )
        try:
            response = httpx.get(f"{server.url}/healthz", timeout=2.0)
            if response.status_code == 200:
                return
            last_error = f"/healthz answered {response.status_code}: {response.text[:200]}"
            if response.status_code != 503:  # 503 is "database not ready yet": wait
                server.stop()
                raise LiveServerError(f"{last_error}\n{server.log()}")
        except httpx.TransportError as error:
            last_error = repr(error)
        time.sleep(0.05)
    server.stop()
    raise LiveServerError(
        f"uvicorn not ready after {START_TIMEOUT_SECONDS}s ({last_error}):\n{server.log()}"
    )

"""The `voliere` command run for real, in subprocesses, against real HTTP on 127.0.0.1."""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

READY_TIMEOUT = 90  # seconds; a fresh demo is ready in well under 30 on an idle machine


def _env(data: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k != "DJANGO_SETTINGS_MODULE" and not k.startswith("VOLIERE_")}
    env.update(VOLIERE_DATA=str(data), PYTHONUNBUFFERED="1", **extra)
    return env


def voliere(*args: str, data: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "voliere", *args], env=_env(data, **env), capture_output=True,
        text=True, timeout=60, stdin=subprocess.DEVNULL,
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Demo:
    """`voliere demo` in the background, its output read line by line."""

    def __init__(self, data: Path, port: int) -> None:
        self.port = port
        self.process = subprocess.Popen(
            [sys.executable, "-m", "voliere", "demo", "--port", str(port), "--data", str(data),
             "--scale", "0.2"],
            env=_env(data), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line)

    def wait_for(self, pattern: str, timeout: float = READY_TIMEOUT) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                assert self.process.poll() is None, "".join(self.output)
                continue
            self.output.append(line)
            if match := re.search(pattern, line):
                return match
        raise AssertionError(f"no {pattern!r} in:\n{''.join(self.output)}")

    def interrupt(self) -> int:
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=20)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def _csrf_token(browser: httpx.Client, path: str) -> str:
    page = browser.get(path)
    assert page.status_code == 200
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def _wait(condition, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def _followers_reached(data: Path, text: str) -> int:
    with sqlite3.connect(data / "voliere.sqlite3") as db:
        return db.execute(
            "SELECT COUNT(*) FROM timelines_timelineentry t JOIN posts_post p ON p.id = t.post_id"
            " WHERE p.text = ? AND t.owner_id <> p.author_id", [text],
        ).fetchone()[0]


def _port_closed(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def _count(data: Path, table: str) -> int:
    with sqlite3.connect(data / "voliere.sqlite3") as db:
        return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608


def test_demo_serves_signs_in_stops_and_restarts_on_the_same_data(tmp_path):
    data = tmp_path / "data"
    demo = Demo(data, _free_port())
    try:
        seeded = demo.wait_for(r"seeded the demo company in ([\d.]+) s")
        assert float(seeded.group(1)) < 30
        ready = demo.wait_for(r"serving at (http://127\.0\.0\.1:\d+/) \(ready ([\d.]+) s")
        url = ready.group(1)
        credentials = demo.wait_for(r"(alice@acme\.example) / (\S+)")
        demo.wait_for("Press Ctrl")

        health = httpx.get(url + "healthz")
        assert health.status_code == 200 and health.json() == {"status": "ok"}
        with httpx.Client(base_url=url, follow_redirects=True) as browser:
            home = browser.post("/login/", data={
                "csrfmiddlewaretoken": _csrf_token(browser, "/login/"),
                "identifier": credentials.group(1), "password": credentials.group(2),
            })
            assert home.status_code == 200
            assert home.url.path == "/"
            assert "/@alice_martin/" in home.text
            # The in-process task worker fans a new post out to alice's followers.
            published = browser.post("/posts/new/", data={
                "csrfmiddlewaretoken": _csrf_token(browser, "/posts/new/"),
                "text": "Hello from the CLI test", "visibility": "public", "language": "en",
            })
            assert published.status_code == 200
            assert _wait(lambda: _followers_reached(data, "Hello from the CLI test") > 0)
        assert demo.interrupt() == 0
        assert _port_closed(demo.port)
    finally:
        demo.kill()
    accounts, posts = _count(data, "accounts_account"), _count(data, "posts_post")
    assert accounts > 50 and posts > 1000

    again = Demo(data, _free_port())
    try:
        again.wait_for("reusing the existing demo data", timeout=30)
        ready = again.wait_for(r"serving at (\S+) \(ready ([\d.]+) s", timeout=30)
        assert float(ready.group(2)) < 20
        assert httpx.get(ready.group(1) + "healthz").json() == {"status": "ok"}
        assert again.interrupt() == 0
    finally:
        again.kill()
    assert (_count(data, "accounts_account"), _count(data, "posts_post")) == (accounts, posts)


def _children_of(pid: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                children.append(int(entry.name))
    return children


def test_serve_runs_web_workers_and_a_task_worker_then_stops_on_sigterm(tmp_path):
    assert voliere("manage", "migrate", "--verbosity", "0", data=tmp_path).returncode == 0
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        taken_port = taken.getsockname()[1]
        busy = voliere("serve", "--port", str(taken_port), data=tmp_path)
    assert busy.returncode == 1
    assert f"cannot listen on 127.0.0.1:{taken_port}" in busy.stderr
    assert "Traceback" not in busy.stderr
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "voliere", "serve", "--port", str(port), "--workers", "2"],
        env=_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        assert _wait(lambda: httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200
                     if not _port_closed(port) else False, timeout=30)
        assert httpx.get(f"http://127.0.0.1:{port}/healthz").json() == {"status": "ok"}
        children = _children_of(server.pid)
        assert len(children) == 2  # the web server (with its own 2 workers) and the task worker
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=20) == 0
        assert _port_closed(port)
        assert not any(Path(f"/proc/{pid}").exists() for pid in children)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def test_serve_refuses_a_database_without_migrations(tmp_path):
    result = voliere("serve", "--port", str(_free_port()), data=tmp_path)
    assert result.returncode == 1
    assert "unapplied migration" in result.stderr
    assert "voliere manage migrate" in result.stderr
    assert "Traceback" not in result.stderr


def test_createadmin_after_migrate(tmp_path):
    refused = voliere("createadmin", "--email", "root@example.org", "--handle", "boss",
                      data=tmp_path)
    assert refused.returncode == 1 and "voliere manage migrate" in refused.stderr

    migrated = voliere("manage", "migrate", "--verbosity", "0", data=tmp_path)
    assert migrated.returncode == 0, migrated.stderr

    no_password = voliere("createadmin", "--email", "root@example.org", "--handle", "boss",
                          data=tmp_path)
    assert no_password.returncode == 2
    assert "--password is required" in no_password.stderr

    weak = voliere("createadmin", "--email", "root@example.org", "--handle", "boss",
                   "--password", "123", data=tmp_path)
    assert weak.returncode == 1 and "--password:" in weak.stderr

    created = voliere("createadmin", "--email", "root@example.org", "--handle", "boss",
                      "--password", "a long admin passphrase", data=tmp_path)
    assert created.returncode == 0, created.stderr
    assert "@boss" in created.stdout
    with sqlite3.connect(tmp_path / "voliere.sqlite3") as db:
        row = db.execute(
            "SELECT u.role, u.is_superuser, a.kind FROM accounts_user u "
            "JOIN accounts_account a ON a.id = u.account_id WHERE u.email = 'root@example.org'"
        ).fetchone()
    assert row == ("admin", 1, "person")

    taken = voliere("createadmin", "--email", "other@example.org", "--handle", "boss",
                    "--password", "a long admin passphrase", data=tmp_path)
    assert taken.returncode == 1 and "--handle:" in taken.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["serve", "--port", "0"], "must be at least 1"),
        (["serve", "--port", "70000"], "at most 65535"),
        (["serve", "--workers", "two"], "expected a whole number"),
        (["worker", "--processes", "0"], "must be at least 1"),
        (["worker", "--queues", "nope"], "unknown queue(s) nope"),
        (["demo", "--scale", "big"], "expected a number"),
        (["frobnicate"], "invalid choice"),
        (["manage"], "name a Django management command"),
    ],
)
def test_bad_arguments_exit_2_with_a_message(tmp_path, args, message):
    result = voliere(*args, data=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_database_url_is_reported_without_traceback(tmp_path):
    result = voliere("serve", data=tmp_path, VOLIERE_DATABASE_URL="mysql://db/voliere")
    assert result.returncode == 1
    assert "VOLIERE_DATABASE_URL='mysql://db/voliere'" in result.stderr
    assert "Traceback" not in result.stderr


def test_server_socket_gives_every_connection_tcp_nodelay():
    """uvicorn with --workers N would not set TCP_NODELAY (≈ 40 ms stall per keep-alive
    response); `voliere serve` binds the socket itself and accepted sockets inherit it."""
    from voliere.server.web import listening_socket, uvicorn_argv

    listener = listening_socket("127.0.0.1", 0)
    try:
        port = listener.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port)):
            accepted, _ = listener.accept()
            with accepted:
                assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
        argv = uvicorn_argv(host="127.0.0.1", port=port, workers=2, access_log=False,
                            fd=listener.fileno())
        assert argv[argv.index("--fd") + 1] == str(listener.fileno())
        assert "--port" not in argv
    finally:
        listener.close()

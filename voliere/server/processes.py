"""A small supervisor: start child processes, stop them all on SIGINT/SIGTERM or when one dies.

`voliere serve` and `voliere demo` run the web server and the task workers as children of
one process. Ctrl+C in a terminal reaches the whole process group; a `kill` reaches only
the supervisor, which then sends SIGTERM to each child. Children get `GRACE_SECONDS` to
finish their current request or task before they are killed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import FrameType

GRACE_SECONDS = 10.0
POLL_SECONDS = 0.2


@dataclass
class Child:
    name: str
    process: subprocess.Popen


def python_module(module: str, *args: str) -> list[str]:
    """argv running `python -m module args` with this interpreter (the same virtualenv)."""
    return [sys.executable, "-m", module, *args]


class Supervisor:
    def __init__(self) -> None:
        self.children: list[Child] = []
        self.stop_signal: int | None = None

    def start(self, name: str, argv: list[str], pass_fds: tuple[int, ...] = ()) -> Child:
        process = subprocess.Popen(argv, env=os.environ.copy(), pass_fds=pass_fds)  # noqa: S603
        child = Child(name=name, process=process)
        self.children.append(child)
        return child

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.stop_signal = signum

    def install_signal_handlers(self) -> None:
        signal.signal(signal.SIGINT, self._on_signal)
        signal.signal(signal.SIGTERM, self._on_signal)

    def dead_child(self) -> Child | None:
        return next((c for c in self.children if c.process.poll() is not None), None)

    def wait_until(self, ready: Callable[[], bool], *, timeout: float) -> bool:
        """Poll `ready` until true; False on timeout, a stop signal or a child exiting."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.stop_signal is not None or self.dead_child() is not None:
                return False
            if ready():
                return True
            time.sleep(POLL_SECONDS)
        return False

    def run(self) -> int:
        """Block until a stop signal (exit 0) or a child exits on its own (exit 1)."""
        status = 0
        while self.stop_signal is None:
            dead = self.dead_child()
            if dead is not None:
                print(f"voliere: {dead.name} exited with status {dead.process.returncode}; "
                      "stopping.", file=sys.stderr, flush=True)
                status = 1
                break
            time.sleep(POLL_SECONDS)
        self.stop_all()
        return status

    def stop_all(self) -> None:
        """SIGTERM every live child, wait for them, kill those still running after the grace."""
        for child in self.children:
            if child.process.poll() is None:
                child.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + GRACE_SECONDS
        for child in self.children:
            remaining = max(0.1, deadline - time.monotonic())
            try:
                child.process.wait(timeout=remaining)
            except subprocess.TimeoutExpired:
                print(f"voliere: {child.name} did not stop in time; killing it.",
                      file=sys.stderr, flush=True)
                child.process.kill()
                child.process.wait()

"""A minimal server-sent-events client for tests, on a plain socket.

A socket (rather than httpx) because a test must be able to stop reading from another
thread at once: `close()` shuts the socket down and the reader thread ends.
"""

from __future__ import annotations

import queue
import socket
import threading
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass
class Event:
    event: str
    data: str


class SSEClient:
    def __init__(self, url: str, headers: dict[str, str] | None = None) -> None:
        parts = urlsplit(url)
        self.sock = socket.create_connection((parts.hostname, parts.port), timeout=30)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        lines = [f"GET {path} HTTP/1.1", f"Host: {parts.netloc}", "Accept: text/event-stream"]
        lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        self.file = self.sock.makefile("rb")
        self.status = int(self.file.readline().split()[1])
        self.headers: dict[str, str] = {}
        while (line := self.file.readline().decode().strip()):
            name, _, value = line.partition(":")
            self.headers[name.lower()] = value.strip()
        self.events: queue.Queue[Event] = queue.Queue()
        self.comments: list[str] = []
        self.ready = threading.Event()
        self.ended = threading.Event()
        if self.status == 200:
            self.sock.settimeout(None)
            threading.Thread(target=self._read, daemon=True).start()
            assert self.ready.wait(10), "the stream never started"

    def body(self) -> str:
        """The whole body of a non-stream answer (an error)."""
        length = int(self.headers.get("content-length", "0"))
        return self.file.read(length).decode()

    def _read(self) -> None:
        event, data = "message", []
        try:
            for raw in self._lines():
                line = raw.decode().rstrip("\r\n")
                if line.startswith(":"):
                    self.comments.append(line)
                    self.ready.set()
                elif line == "":
                    if data:
                        self.events.put(Event(event, "\n".join(data)))
                    event, data = "message", []
                else:
                    name, _, value = line.partition(": ")
                    if name == "event":
                        event = value
                    elif name == "data":
                        data.append(value)
        except (OSError, ValueError):
            pass
        finally:
            self.ended.set()
            self.ready.set()

    def _lines(self):
        """Lines of the chunked body (uvicorn streams with chunked transfer encoding)."""
        buffer = b""
        while True:
            size_line = self.file.readline()
            if not size_line:
                return
            size = int(size_line.strip() or b"0", 16)
            if size == 0:
                return
            buffer += self.file.read(size)
            self.file.readline()
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                yield line + b"\n"

    def next_event(self, timeout: float = 1.0) -> Event:
        return self.events.get(timeout=timeout)

    def drain(self, wait: float = 0.5) -> list[Event]:
        """Every event that arrives within `wait` seconds."""
        found = []
        try:
            while True:
                found.append(self.events.get(timeout=wait))
        except queue.Empty:
            return found

    def close(self) -> None:
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()

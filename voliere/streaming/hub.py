"""The per-process dispatcher: one polling loop fanning events out to this process's
connections.

Each uvicorn worker process has one `Hub` (`get_hub()`). While at least one streaming
connection is open, its loop reads the event log (`StreamEvent.id > cursor`, a primary
key range scan) every `STREAMING_POLL_INTERVAL` seconds, asks `delivery.plan_deliveries`
who gets what, and puts the messages on the connections' bounded queues. With no
connection open it sleeps without touching the database and gives its connection back.

All database work of the streaming side (authentication, polling, planning, rendering)
runs in one dedicated thread (`Hub.db`), so a process holds one database connection for
streaming however many clients are connected, and the event loop never blocks on SQL.

A connection whose queue is full (a client that does not read) is closed rather than
allowed to grow memory without bound; a token (or web session) may hold at most
`STREAMING_MAX_CONNECTIONS` connections in one process.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from django.conf import settings
from django.db import close_old_connections, connection

from voliere.streaming.delivery import Listener, Message, plan_deliveries
from voliere.streaming.models import StreamEvent
from voliere.streaming.streams import Subscription

logger = logging.getLogger(__name__)

T = TypeVar("T")
QUEUE_SIZE = 256  # messages waiting for one client before it counts as too slow
FETCH_LIMIT = 500  # log rows read per tick
GAP_PATIENCE = 2.0  # seconds a missing id may still commit (PostgreSQL sequences)


class TooManyConnections(Exception):
    pass


class Connection:
    """One client stream: who is watching, what they subscribed to, what waits to be sent."""

    _keys = itertools.count(1)

    def __init__(
        self,
        *,
        viewer_id: int,
        limit_key: str,
        subscriptions: set[Subscription] | None = None,
        origin: str = "http://localhost",
    ) -> None:
        self.key = next(self._keys)
        self.origin = origin
        self.viewer_id = viewer_id
        self.limit_key = limit_key
        self.subscriptions: set[Subscription] = set(subscriptions or ())
        self.queue: asyncio.Queue[Message] = asyncio.Queue(maxsize=QUEUE_SIZE)
        self.closed = asyncio.Event()
        self.close_reason = ""

    def listener(self) -> Listener:
        return Listener(self.key, self.viewer_id, frozenset(self.subscriptions), self.origin)

    def offer(self, message: Message) -> None:
        """Queue a message; a full queue closes the connection (slow consumer)."""
        if self.closed.is_set():
            return
        try:
            self.queue.put_nowait(message)
        except asyncio.QueueFull:
            logger.info("closing stream %s of account %s: too slow", self.key, self.viewer_id)
            self.close("slow consumer")

    def close(self, reason: str) -> None:
        self.close_reason = self.close_reason or reason
        self.closed.set()


class Hub:
    def __init__(self, *, poll_interval: float | None = None) -> None:
        self.poll_interval = poll_interval or settings.STREAMING_POLL_INTERVAL
        self.connections: dict[int, Connection] = {}
        self._per_key: Counter[str] = Counter()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="voliere-stream")
        self._task: asyncio.Task | None = None
        self._wake = asyncio.Event()
        self._ready = asyncio.Event()
        self._cursor = 0
        self._gaps: dict[int, float] = {}  # missing id -> give up at (monotonic)

    async def db(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run synchronous ORM code in the streaming database thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, lambda: function(*args, **kwargs))

    async def connect(self, conn: Connection) -> None:
        """Register `conn`; returns once the loop is reading the log, so any event committed
        after this returns reaches it. Raises TooManyConnections over the limit."""
        if self._per_key[conn.limit_key] >= settings.STREAMING_MAX_CONNECTIONS:
            raise TooManyConnections(conn.limit_key)
        self._per_key[conn.limit_key] += 1
        self.connections[conn.key] = conn
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="voliere-stream-hub")
            _close_streams_on_shutdown(self)
        self._wake.set()
        await self._ready.wait()

    def disconnect(self, conn: Connection) -> None:
        if self.connections.pop(conn.key, None) is not None:
            self._per_key[conn.limit_key] -= 1
            if self._per_key[conn.limit_key] <= 0:
                del self._per_key[conn.limit_key]
        conn.close("disconnected")

    def close_all(self, reason: str) -> None:
        for conn in list(self.connections.values()):
            conn.close(reason)

    async def _run(self) -> None:
        """Poll while connections are open; idle (connection given back) otherwise.

        Nothing may end this loop but cancellation: a connection registered while it
        awaits the database waits on `_ready`, which only this loop sets.
        """
        while True:
            self._wake.clear()
            try:
                if not self.connections:
                    self._ready.clear()
                    await self.db(_close_database_connection)
                    if not self.connections:
                        await self._wake.wait()
                    continue
                if not self._ready.is_set():
                    self._cursor = await self.db(_latest_event_id)
                    self._gaps.clear()
                    self._ready.set()
                await self._tick()
            except Exception:
                # A database hiccup must not kill the loop: log, drop the connection, retry.
                logger.exception("streaming dispatcher tick failed")
                with contextlib.suppress(Exception):
                    await self.db(_close_database_connection)
            await asyncio.sleep(self.poll_interval)

    async def _tick(self) -> None:
        rows = await self.db(_fetch_events, self._cursor, list(self._gaps))
        if not rows:
            self._expire_gaps()
            return
        self._note_gaps(rows)
        listeners = [conn.listener() for conn in self.connections.values()]
        plan = await self.db(_plan, rows, listeners)
        for key, messages in plan.items():
            conn = self.connections.get(key)
            if conn is not None:
                for message in messages:
                    conn.offer(message)

    def _note_gaps(self, rows: list[StreamEvent]) -> None:
        """PostgreSQL hands out ids before commit, so a smaller id may commit after a larger
        one was read: remember missing ids for `GAP_PATIENCE` seconds and read them too."""
        seen = {row.id for row in rows}
        for row_id in seen:
            self._gaps.pop(row_id, None)
        newest = max(seen)
        if newest > self._cursor:
            deadline = time.monotonic() + GAP_PATIENCE
            for missing in range(self._cursor + 1, newest):
                if missing not in seen and len(self._gaps) < FETCH_LIMIT:
                    self._gaps[missing] = deadline
            self._cursor = newest
        self._expire_gaps()

    def _expire_gaps(self) -> None:
        now = time.monotonic()
        for missing in [gap for gap, deadline in self._gaps.items() if deadline < now]:
            del self._gaps[missing]


def _close_database_connection() -> None:
    """Close the streaming thread's own connection (run in that thread: Django's
    connections belong to the thread that opened them)."""
    connection.close()


def _latest_event_id() -> int:
    close_old_connections()
    return StreamEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _fetch_events(cursor: int, gaps: list[int]) -> list[StreamEvent]:
    newer = list(StreamEvent.objects.filter(id__gt=cursor).order_by("id")[:FETCH_LIMIT])
    if gaps:
        newer += list(StreamEvent.objects.filter(id__in=gaps))
        newer.sort(key=lambda row: row.id)
    return newer


def _plan(rows: list[StreamEvent], listeners: list[Listener]) -> dict[int, list[Message]]:
    return plan_deliveries(rows, listeners)


_hub: Hub | None = None
_hub_lock = threading.Lock()


def get_hub() -> Hub:
    """This process's hub (created on first use, inside the server's event loop)."""
    global _hub
    with _hub_lock:
        if _hub is None:
            _hub = Hub()
        return _hub


def _close_streams_on_shutdown(hub: Hub) -> None:
    """End open streams when the server is asked to stop.

    uvicorn waits for open HTTP responses before it exits, and an event stream never
    ends by itself: chain its SIGTERM/SIGINT handlers so that, on a stop signal, every
    stream is closed at once and the server stops promptly instead of waiting for
    `--timeout-graceful-shutdown`. Only possible from the main thread; elsewhere the
    server's own timeout applies.
    """
    if threading.current_thread() is not threading.main_thread():
        return
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        previous = signal.getsignal(signum)
        if not callable(previous) or getattr(previous, "_voliere_streams", False):
            continue

        def handler(number: int, frame: Any, previous: Callable = previous) -> None:
            loop.call_soon_threadsafe(hub.close_all, "server shutting down")
            previous(number, frame)

        handler._voliere_streams = True  # type: ignore[attr-defined]
        signal.signal(signum, handler)

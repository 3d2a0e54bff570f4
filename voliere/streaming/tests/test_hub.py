"""The dispatcher loop survives going idle and serves a client that arrives meanwhile."""

from __future__ import annotations

import asyncio

import pytest

from voliere.streaming.hub import Connection, Hub

pytestmark = pytest.mark.django_db(transaction=True)


async def _idle(hub: Hub) -> None:
    """Until the loop has given its connection back and waits for a client."""
    while hub._ready.is_set() or hub._wake.is_set():
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.2)  # the database close runs in the hub's thread


def test_loop_keeps_running_after_going_idle_and_serves_the_next_client():
    async def scenario() -> None:
        hub = Hub(poll_interval=0.01)
        first = Connection(viewer_id=1, limit_key="a")
        await asyncio.wait_for(hub.connect(first), timeout=10)
        hub.disconnect(first)
        await asyncio.wait_for(_idle(hub), timeout=10)
        # Closing the idle connection once killed the loop (closed from the wrong thread),
        # and a client registering meanwhile then waited forever for `_ready`.
        assert hub._task is not None and not hub._task.done(), hub._task
        second = Connection(viewer_id=2, limit_key="b")
        await asyncio.wait_for(hub.connect(second), timeout=10)
        assert hub._ready.is_set()
        hub.disconnect(second)
        hub._task.cancel()

    asyncio.run(scenario())

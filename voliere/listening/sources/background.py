"""The source poller that runs inside every task worker, so `voliere serve`/`demo` poll
external sources with nothing else to start.

Design: one daemon thread per worker process (started by `voliere.server.worker` when the
worker serves the "listening" queue) runs `poll_due_sources` every
`settings.LISTENING_POLL_INTERVAL` seconds, straight away again while rounds come back full.
Several workers may run it side by side: each source is claimed before it is polled
(`polling.claim_due_sources`), so none is polled twice. A worker stopped mid-poll loses
nothing: the claim's lease runs out and the cursor had not moved. A periodic task was the
alternative, but django-tasks has no scheduler: something would have to enqueue it anyway.
"""

from __future__ import annotations

import logging
import threading

from django.db import close_old_connections

logger = logging.getLogger(__name__)


class SourcePoller:
    def __init__(self, interval: float, *, batch: int = 20) -> None:
        self.interval = interval
        self.batch = batch
        self.rounds = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="listening-poller", daemon=True)

    def start(self) -> SourcePoller:
        self._thread.start()
        return self

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        from voliere.listening.sources.polling import poll_due_sources

        while not self._stop.is_set():
            full = False
            try:
                close_old_connections()
                full = len(poll_due_sources(limit=self.batch)) >= self.batch
            except Exception:  # the database may be away for a moment: try next round
                logger.exception("listening: a source polling round failed")
            finally:
                self.rounds += 1
                close_old_connections()
            if not full and self._stop.wait(self.interval):
                break
        from django.db import connection

        connection.close()


def start_source_poller(queues: list[str]) -> SourcePoller | None:
    """Start the poller if this worker serves the "listening" queue and polling is on."""
    from django.conf import settings

    if "listening" not in queues or settings.LISTENING_POLL_INTERVAL <= 0:
        return None
    return SourcePoller(float(settings.LISTENING_POLL_INTERVAL)).start()

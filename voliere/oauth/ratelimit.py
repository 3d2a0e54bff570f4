"""API rate limits: a fixed window of `API_RATE_WINDOW` seconds per access token (or per
client address for calls without a token), as Mastodon's 300 calls per 5 minutes.

Two stores (`VOLIERE_API_RATE_STORE`):
- `memory` (default): counters in the server process. Free, which matters on the hot read
  path (no write per API call); with N server processes a client may get up to N times the
  limit, since each process counts alone.
- `database`: counters in Django's cache (the database cache), shared by every process;
  costs a read and a write per call.

Every API answer carries `X-RateLimit-Limit`, `X-RateLimit-Remaining` and
`X-RateLimit-Reset` (ISO 8601 time at which the window ends), as Mastodon sends them.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache

_PRUNE_ABOVE = 50_000


@dataclass(frozen=True, slots=True)
class RateState:
    limit: int
    count: int
    reset_at: float  # Unix time at which the window ends

    @property
    def allowed(self) -> bool:
        return self.count <= self.limit

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.count)

    def headers(self) -> dict[str, str]:
        reset = datetime.fromtimestamp(self.reset_at, tz=UTC)
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": reset.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        }


class _MemoryCounters:
    """Thread-safe per-process counters: key → (count, window start)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counters: dict[str, tuple[int, float]] = {}

    def bump(self, key: str, window: int, now: float) -> tuple[int, float]:
        with self._lock:
            count, started = self._counters.get(key, (0, now))
            if now - started >= window:
                count, started = 0, now
            count += 1
            self._counters[key] = (count, started)
            if len(self._counters) > _PRUNE_ABOVE:
                self._counters = {
                    k: v for k, v in self._counters.items() if now - v[1] < window
                }
            return count, started

    def clear(self) -> None:
        with self._lock:
            self._counters.clear()


_memory = _MemoryCounters()


def _bump_shared(key: str, window: int, now: float) -> tuple[int, float]:
    count, started = cache.get(key) or (0, now)
    if now - started >= window:
        count, started = 0, now
    count += 1
    cache.set(key, (count, started), max(1, int(started + window - now)))
    return count, started


def hit(identity: str, *, authenticated: bool) -> RateState | None:
    """Count one call by `identity` (a token id or a client address); None when limits are
    switched off (a limit of 0)."""
    limit = settings.API_RATE_LIMIT if authenticated else settings.API_RATE_LIMIT_ANONYMOUS
    if limit <= 0:
        return None
    window = settings.API_RATE_WINDOW
    key = f"voliere:api-rate:{'t' if authenticated else 'ip'}:{identity}"
    now = time.time()
    if settings.API_RATE_STORE == "database":
        count, started = _bump_shared(key, window, now)
    else:
        count, started = _memory.bump(key, window, now)
    return RateState(limit=limit, count=count, reset_at=started + window)


def reset_all() -> None:
    """Forget the in-process counters (tests)."""
    _memory.clear()

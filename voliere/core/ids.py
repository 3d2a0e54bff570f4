"""Time-ordered 64-bit ids ("snowflakes") for posts and other streams.

Layout: milliseconds since the Unix epoch in the high bits, shifted left by 16, and a
16-bit sequence in the low bits. Ids therefore sort like creation times, which is what
cursor pagination (`max_id`/`min_id`) relies on: a post created later always has a
larger id, so new posts never shift a page that is being read. They fit in a signed
BIGINT until the year 10889 and are exposed to clients as strings.
"""

from __future__ import annotations

import random
import threading
import time
from datetime import datetime

SEQUENCE_BITS = 16
_SEQUENCE_MASK = (1 << SEQUENCE_BITS) - 1
_lock = threading.Lock()
_last_ms = 0
_sequence = random.randrange(1 << SEQUENCE_BITS)


def new_id() -> int:
    """A fresh id, strictly greater than any id this process generated before."""
    global _last_ms, _sequence
    with _lock:
        now_ms = time.time_ns() // 1_000_000
        if now_ms > _last_ms:
            _last_ms = now_ms
            _sequence = random.randrange(1 << (SEQUENCE_BITS - 1))
        else:
            _sequence += 1
            if _sequence > _SEQUENCE_MASK:
                _last_ms += 1
                _sequence = 0
        return (_last_ms << SEQUENCE_BITS) | _sequence


def id_for_time(moment: datetime, sequence: int) -> int:
    """An id for a past moment (bulk imports, demo data); `sequence` disambiguates within a ms."""
    ms = int(moment.timestamp() * 1000)
    return (ms << SEQUENCE_BITS) | (sequence & _SEQUENCE_MASK)


def lowest_id_at(moment: datetime) -> int:
    """The smallest id that can belong to `moment`, for time-range filters on id columns."""
    return int(moment.timestamp() * 1000) << SEQUENCE_BITS

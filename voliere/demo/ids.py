"""Unique time-ordered ids for rows dated in the past (posts, likes, notifications)."""

from __future__ import annotations

from datetime import datetime

from voliere.core.ids import SEQUENCE_BITS, id_for_time


class PastIds:
    """`for_time(moment)` gives `id_for_time(moment, seq)` never handed out before.

    The sequence is a running counter, so two rows of the same millisecond differ; in the
    rare case the counter wraps onto a used id, it moves on to the next sequence number.
    """

    def __init__(self) -> None:
        self._counter = 0
        self._used: set[int] = set()

    def for_time(self, moment: datetime) -> int:
        while True:
            self._counter += 1
            candidate = id_for_time(moment, self._counter % (1 << SEQUENCE_BITS))
            if candidate not in self._used:
                self._used.add(candidate)
                return candidate

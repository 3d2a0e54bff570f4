"""A tiny after-commit event bus between domain apps.

`posts` must not import `timelines` or `notifications` (dependencies point one way), yet
publishing a post has to fan it out and notify people. The publishing action calls
`emit("post.published", post_id=...)`; apps that care subscribe in their `AppConfig.ready`.
Handlers run only after the surrounding transaction commits, so a rolled-back change never
enqueues work, and they receive ids and JSON values only — the same contract as tasks.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)

Handler = Callable[..., None]
_handlers: dict[str, list[Handler]] = defaultdict(list)


def subscribe(event: str, handler: Handler) -> None:
    if handler not in _handlers[event]:
        _handlers[event].append(handler)


def emit(event: str, **payload: Any) -> None:
    """Run every handler of `event` with `payload` once the current transaction commits."""
    for handler in list(_handlers[event]):
        transaction.on_commit(lambda h=handler: h(**payload), robust=True)

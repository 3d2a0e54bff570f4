"""Background tasks with retries and exponential backoff.

django-tasks records a failure but does not retry. `retrying_task` builds a task whose
body, when it raises, re-enqueues the same call to run after 2**attempt seconds, up to
`TASK_MAX_ATTEMPTS` attempts; the failing attempt is still recorded as failed, so
operators see every error. Task bodies must be idempotent: a retried or duplicated
task does no harm. Tasks take ids and JSON values only.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task

logger = logging.getLogger(__name__)


def retrying_task(*, queue_name: str = "default") -> Callable[[Callable[..., Any]], Task]:
    def decorate(func: Callable[..., Any]) -> Task:
        @functools.wraps(func)
        def body(*args: Any, _attempt: int = 1, **kwargs: Any) -> Any:
            try:
                return func(*args, **kwargs)
            except Exception:
                if _attempt < settings.TASK_MAX_ATTEMPTS:
                    logger.warning(
                        "task %s failed on attempt %s; retrying", func.__name__, _attempt
                    )
                    retry = the_task
                    if retry.get_backend().supports_defer:
                        delay = timedelta(seconds=2**_attempt)
                        retry = retry.using(run_after=timezone.now() + delay)
                    retry.enqueue(*args, _attempt=_attempt + 1, **kwargs)
                raise

        the_task = task(queue_name=queue_name)(body)
        return the_task

    return decorate

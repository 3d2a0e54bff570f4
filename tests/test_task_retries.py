"""Failing tasks are retried with backoff on the database backend, and recorded."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from voliere.core.tasks import retrying_task

CALLS: list[int] = []


@retrying_task(queue_name="default")
def flaky_task(value: int) -> int:
    CALLS.append(value)
    raise RuntimeError("boom")


DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.mark.django_db
def test_failure_reenqueues_with_growing_delay():
    with override_settings(TASKS=DB_TASKS, TASK_MAX_ATTEMPTS=3):
        flaky_task.enqueue(7)
        first = DBTaskResult.objects.get()
        before = timezone.now()
        with pytest.raises(RuntimeError):
            flaky_task.call(7)  # what the worker does for attempt 1
        retry = DBTaskResult.objects.exclude(pk=first.pk).get()
        assert retry.args_kwargs == {"args": [7], "kwargs": {"_attempt": 2}}
        assert retry.run_after >= before + timedelta(seconds=2)
        with pytest.raises(RuntimeError):
            flaky_task.call(7, _attempt=3)  # the last attempt: no more retries
        assert DBTaskResult.objects.count() == 2
    assert CALLS == [7, 7]

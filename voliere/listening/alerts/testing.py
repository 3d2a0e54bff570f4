"""Helpers for tests of alerts: matched mentions at chosen hours, through `save_matches`
(the real writer of `TopicMatch` and `TopicHourStat`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from voliere.listening.matches import save_matches
from voliere.listening.models import Mention, Topic


def add_matches(make_mention: Callable[..., Mention], topic: Topic, hour: datetime, count: int,
                *, text: str = "talking about acme", **fields: object) -> list[Mention]:
    """`count` mentions spread over `hour` (a minute apart from :05), matched by `topic`."""
    mentions = [
        make_mention(text, published_at=hour + timedelta(minutes=5 + (i % 50)), **fields)
        for i in range(count)
    ]
    save_matches([(topic.pk, mention) for mention in mentions])
    return mentions

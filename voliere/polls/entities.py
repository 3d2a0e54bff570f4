"""Mastodon's Poll entity (https://docs.joinmastodon.org/entities/Poll/).

`voted` and `own_votes` are present only for a signed-in viewer. With `hide_totals`,
option counts are null for everyone but the author until the poll ends.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from voliere.accounts.models import Account
from voliere.mastodon.plumbing import iso
from voliere.polls.models import Poll, PollOption, PollVote
from voliere.posts.models import Post


def poll_json(
    poll: Poll, viewer: Account | None, own_votes: list[int] | None, *, author_id: int
) -> dict[str, Any]:
    """One poll; `poll.options` must be loaded (`prefetch_related("options")`)."""
    expired = poll.is_expired(timezone.now())
    show_counts = not poll.hide_totals or expired or (viewer is not None and viewer.id == author_id)
    data: dict[str, Any] = {
        "id": str(poll.id),
        "expires_at": iso(poll.expires_at),
        "expired": expired,
        "multiple": poll.multiple,
        "votes_count": poll.votes_count,
        "voters_count": poll.voters_count,
        "options": [
            {"title": o.title, "votes_count": o.votes_count if show_counts else None}
            for o in poll.options.all()
        ],
        "emojis": [],
    }
    if viewer is not None:
        data["voted"] = bool(own_votes) or viewer.id == author_id
        data["own_votes"] = own_votes or []
    return data


def polls_json(posts: Iterable[Post], viewer: Account | None) -> dict[int, dict[str, Any]]:
    """Poll entities by post id for posts known to have one: nothing when none has;
    otherwise the polls with their options (two queries) and the viewer's votes (one)."""
    by_post = {p.id: p for p in posts}
    if not by_post:
        return {}
    polls = list(
        Poll.objects.filter(post_id__in=by_post).prefetch_related(
            Prefetch("options", queryset=PollOption.objects.order_by("position"))
        )
    )
    votes: dict[int, list[int]] = {}
    if viewer is not None and polls:
        for poll_id, position in PollVote.objects.filter(
            account=viewer, poll_id__in=[p.id for p in polls]
        ).values_list("poll_id", "option__position"):
            votes.setdefault(poll_id, []).append(position)
    return {
        poll.post_id: poll_json(
            poll, viewer, sorted(votes.get(poll.id, [])), author_id=by_post[poll.post_id].author_id
        )
        for poll in polls
    }

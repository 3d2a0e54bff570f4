"""Reads for drawing polls on web pages.

`polls_for(posts)` marks which posts carry a poll (`card_poll_id`, None otherwise) in one
query for a whole page: the cached card body (`voliere.posts.cards`) only draws a
placeholder with that id, and the poll itself (counts, the viewer's vote, the form) is
loaded into it per viewer by `voliere.polls.views.poll_block`. A post's poll never
changes once published, so the placeholder is as stable as the rest of the body.

`poll_view(viewer, poll)` is what the poll block shows to one viewer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from voliere.accounts.models import Account
from voliere.polls.models import Poll, PollOption, PollVote
from voliere.posts.models import Post


def polls_for(posts: Iterable[Post]) -> None:
    posts = list(posts)
    ids = dict(Poll.objects.filter(post__in=[p.id for p in posts]).values_list("post_id", "id"))
    for post in posts:
        post.card_poll_id = ids.get(post.id)


@dataclass(frozen=True, slots=True)
class OptionView:
    position: int
    title: str
    votes: int | None  # None while totals are hidden
    percent: int
    chosen: bool


@dataclass(frozen=True, slots=True)
class PollView:
    poll: Poll
    options: list[OptionView]
    expired: bool
    voted: bool
    can_vote: bool
    show_counts: bool


def poll_view(viewer: Account | None, poll: Poll) -> PollView:
    """The poll as `viewer` sees it (the poll must come from `access_poll`)."""
    expired = poll.is_expired(timezone.now())
    is_author = viewer is not None and viewer.id == poll.post.author_id
    chosen: set[int] = set()
    if viewer is not None:
        chosen = set(
            PollVote.objects.filter(poll=poll, account=viewer).values_list(
                "option__position", flat=True
            )
        )
    show_counts = not poll.hide_totals or expired or is_author
    total = max(poll.votes_count, 1)
    options = [
        OptionView(
            position=o.position,
            title=o.title,
            votes=o.votes_count if show_counts else None,
            percent=round(100 * o.votes_count / total) if show_counts else 0,
            chosen=o.position in chosen,
        )
        for o in PollOption.objects.filter(poll=poll).order_by("position")
    ]
    voted = bool(chosen)
    return PollView(
        poll=poll,
        options=options,
        expired=expired,
        voted=voted,
        can_vote=viewer is not None and not voted and not expired and not is_author,
        show_counts=show_counts,
    )

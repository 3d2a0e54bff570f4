"""Polls attached to posts: the poll, its options and who voted for what.

Public API for other apps: `Poll`, `PollOption`, `PollVote` from here; changes go through
`voliere.polls.actions`, reads with the viewer's votes through `voliere.polls.queries`.
"""

from voliere.polls.models.poll import Poll, PollOption, PollVote

__all__ = ["Poll", "PollOption", "PollVote"]

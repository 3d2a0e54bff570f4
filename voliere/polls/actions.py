"""Creating polls and voting. Limits match what `GET /api/v2/instance` announces
(`configuration.polls`): 2 to 4 options of at most 50 characters, open for 5 minutes to
a month.

A poll is created inside the transaction that publishes its post (`create_poll`), so a
refused poll leaves no post behind. Voting checks that the voter may see the post
(through `voliere.posts.access.access_post`, the same `visible_to` as everywhere), that
the poll is open and that the voter has not voted yet, then writes every choice and the
counters in one transaction under a row lock on the poll.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from voliere.accounts.models import Account
from voliere.core.exceptions import InvalidInput, NotFound
from voliere.polls.models import Poll, PollOption, PollVote
from voliere.posts.access import access_post
from voliere.posts.models import Post

MIN_OPTIONS = 2
MAX_OPTIONS = 4
MAX_OPTION_CHARS = 50
MIN_EXPIRATION = 300  # seconds
MAX_EXPIRATION = 2_629_746  # a month, in seconds


@dataclass(frozen=True, slots=True)
class PollSpec:
    """What a client asks for; checked by `check_poll` before anything is written."""

    options: Sequence[str]
    expires_in: int
    multiple: bool = False
    hide_totals: bool = False


def check_poll(spec: PollSpec) -> PollSpec:
    """The spec with its options trimmed; InvalidInput naming `poll[...]` otherwise."""
    options = [str(o).replace("\x00", "").strip() for o in spec.options]
    if len(options) < MIN_OPTIONS or len(options) > MAX_OPTIONS:
        raise InvalidInput(
            _("A poll has from %(min)s to %(max)s options.")
            % {"min": MIN_OPTIONS, "max": MAX_OPTIONS},
            field="poll[options]",
        )
    for option in options:
        if not option:
            raise InvalidInput(_("A poll option cannot be empty."), field="poll[options]")
        if len(option) > MAX_OPTION_CHARS:
            raise InvalidInput(
                _("A poll option has at most %(n)s characters.") % {"n": MAX_OPTION_CHARS},
                field="poll[options]",
            )
    if len(set(options)) != len(options):
        raise InvalidInput(_("Poll options must all differ."), field="poll[options]")
    if not MIN_EXPIRATION <= spec.expires_in <= MAX_EXPIRATION:
        raise InvalidInput(
            _("A poll stays open from %(min)s to %(max)s seconds.")
            % {"min": MIN_EXPIRATION, "max": MAX_EXPIRATION},
            field="poll[expires_in]",
        )
    return PollSpec(
        options=options,
        expires_in=spec.expires_in,
        multiple=spec.multiple,
        hide_totals=spec.hide_totals,
    )


@transaction.atomic
def create_poll(post: Post, spec: PollSpec) -> Poll:
    """Attach a poll to a post being published (call it inside that transaction)."""
    spec = check_poll(spec)
    poll = Poll.objects.create(
        post=post,
        expires_at=timezone.now() + timedelta(seconds=spec.expires_in),
        multiple=spec.multiple,
        hide_totals=spec.hide_totals,
    )
    PollOption.objects.bulk_create(
        [PollOption(poll=poll, position=i, title=title) for i, title in enumerate(spec.options)]
    )
    return poll


def access_poll(viewer: Account | None, poll_id: int | str) -> Poll:
    """The poll if `viewer` may see its post; NotFound otherwise (missing or hidden)."""
    try:
        pk = int(poll_id)
    except (TypeError, ValueError):
        raise NotFound(_("No such poll.")) from None
    post_id = Poll.objects.filter(pk=pk).values_list("post_id", flat=True).first()
    if post_id is None:
        raise NotFound(_("No such poll."))
    post = access_post(viewer, post_id)
    poll = Poll.objects.get(pk=pk)
    poll.post = post
    return poll


@transaction.atomic
def vote(account: Account, poll_id: int | str, choices: Sequence[int | str]) -> Poll:
    """Vote for `choices` (option positions, from 0). One vote per account and poll;
    several choices only in a multiple-choice poll. Returns the poll, counters updated."""
    poll = access_poll(account, poll_id)
    poll = Poll.objects.select_for_update().get(pk=poll.pk)
    if poll.is_expired():
        raise InvalidInput(_("The poll has already ended."), field="choices")
    positions: list[int] = []
    for raw in choices:
        text = str(raw).strip()
        if not (text.isascii() and text.isdigit()) or len(text) > 3:
            raise InvalidInput(
                _("“%(choice)s” is not an option number.") % {"choice": text[:10]},
                field="choices",
            )
        if int(text) not in positions:
            positions.append(int(text))
    if not positions:
        raise InvalidInput(_("Choose at least one option."), field="choices")
    if len(positions) > 1 and not poll.multiple:
        raise InvalidInput(_("This poll accepts one choice only."), field="choices")
    options = {o.position: o for o in PollOption.objects.filter(poll=poll)}
    unknown = [p for p in positions if p not in options]
    if unknown:
        raise InvalidInput(
            _("The poll has no option %(n)s.") % {"n": unknown[0]}, field="choices"
        )
    if PollVote.objects.filter(poll=poll, account=account).exists():
        raise InvalidInput(_("You have already voted on this poll."), field="choices")
    try:
        with transaction.atomic():
            PollVote.objects.bulk_create(
                [PollVote(poll=poll, option=options[p], account=account) for p in positions]
            )
    except IntegrityError:
        raise InvalidInput(_("You have already voted on this poll."), field="choices") from None
    PollOption.objects.filter(pk__in=[options[p].pk for p in positions]).update(
        votes_count=F("votes_count") + 1
    )
    Poll.objects.filter(pk=poll.pk).update(
        votes_count=F("votes_count") + len(positions), voters_count=F("voters_count") + 1
    )
    poll.refresh_from_db()
    return poll

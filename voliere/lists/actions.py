"""Every change to lists and markers (the API and the web page both call these)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import IntegrityError, transaction
from django.utils import timezone

from voliere.accounts.models import Account, Follow
from voliere.core.exceptions import InvalidInput, NotFound, VoliereError
from voliere.lists.models import (
    ConversationState,
    List,
    ListMember,
    Marker,
    MarkerTimeline,
    RepliesPolicy,
)

MAX_LISTS = 50  # per owner, as Mastodon's default
MAX_TITLE = 100


class MarkerConflict(VoliereError):
    """Another client saved the same marker at the same moment (HTTP 409, as Mastodon)."""

    status = 409


def _clean_title(title: str | None) -> str:
    title = (title or "").strip()
    if not title:
        raise InvalidInput("title can't be blank", field="title")
    if len(title) > MAX_TITLE:
        raise InvalidInput(f"title is longer than {MAX_TITLE} characters", field="title")
    return title


def _clean_policy(policy: str | None, default: str) -> str:
    if policy in (None, ""):
        return default
    if policy not in RepliesPolicy.values:
        allowed = ", ".join(RepliesPolicy.values)
        raise InvalidInput(
            f"replies_policy must be one of {allowed}, got {policy!r}", field="replies_policy"
        )
    return policy


def create_list(
    owner: Account, title: str | None, *, replies_policy: str | None = None, exclusive: bool = False
) -> List:
    title = _clean_title(title)
    policy = _clean_policy(replies_policy, RepliesPolicy.LIST)
    with transaction.atomic():
        # Lock the owner's row so two concurrent creations cannot both pass the limit.
        Account.objects.select_for_update().filter(pk=owner.pk).exists()
        if List.objects.filter(owner=owner).count() >= MAX_LISTS:
            raise InvalidInput(f"you cannot have more than {MAX_LISTS} lists", field="title")
        return List.objects.create(
            owner=owner, title=title, replies_policy=policy, exclusive=exclusive
        )


def update_list(
    lst: List,
    *,
    title: str | None = None,
    replies_policy: str | None = None,
    exclusive: bool | None = None,
) -> List:
    """Fields left as None keep their value; a title given must not be blank."""
    changed = []
    if title is not None:
        lst.title = _clean_title(title)
        changed.append("title")
    if replies_policy is not None:
        lst.replies_policy = _clean_policy(replies_policy, lst.replies_policy)
        changed.append("replies_policy")
    if exclusive is not None:
        lst.exclusive = exclusive
        changed.append("exclusive")
    if changed:
        lst.save(update_fields=changed)
    return lst


def delete_list(lst: List) -> None:
    lst.delete()


def add_members(lst: List, account_ids: Iterable[int]) -> None:
    """All or nothing: every account must exist and be followed by the list's owner
    (Mastodon's rule), else nothing is added and the error names the first one at fault."""
    ids = list(dict.fromkeys(account_ids))
    if not ids:
        raise InvalidInput("account_ids must name at least one account", field="account_ids")
    existing = set(Account.objects.active().filter(pk__in=ids).values_list("pk", flat=True))
    for account_id in ids:
        if account_id not in existing:
            raise NotFound(f"account {account_id} not found", field="account_ids")
    followed = set(
        Follow.objects.filter(follower=lst.owner, followee_id__in=ids).values_list(
            "followee_id", flat=True
        )
    )
    for account_id in ids:
        if account_id not in followed:
            raise InvalidInput(
                f"account {account_id} must be followed before being added to a list",
                field="account_ids",
            )
    with transaction.atomic():
        for account_id in ids:
            try:
                with transaction.atomic():
                    ListMember.objects.get_or_create(list=lst, account_id=account_id)
            except IntegrityError:
                pass  # added concurrently: the wanted state holds


def remove_members(lst: List, account_ids: Iterable[int]) -> int:
    deleted, _ = ListMember.objects.filter(list=lst, account_id__in=list(account_ids)).delete()
    return deleted


def forget_member_everywhere(owner_id: int, account_id: int) -> None:
    """After an unfollow or a block: `account_id` leaves every list of `owner_id`."""
    ListMember.objects.filter(list__owner_id=owner_id, account_id=account_id).delete()


def _current_marker(account: Account, timeline: str) -> Marker | None:
    return Marker.objects.filter(account=account, timeline=timeline).first()


def save_markers(account: Account, positions: Mapping[str, int]) -> list[Marker]:
    """Set `last_read_id` per timeline ("home", "notifications"), bumping `version`.

    Optimistic locking: the row is updated only if its version is still the one read;
    a concurrent save in between raises MarkerConflict rather than losing an update.
    """
    saved = []
    for timeline in positions:
        if timeline not in MarkerTimeline.values:
            raise InvalidInput(f"unknown timeline {timeline!r}", field=timeline)
    with transaction.atomic():
        for timeline, last_read_id in positions.items():
            now = timezone.now()
            current = _current_marker(account, timeline)
            if current is None:
                try:
                    with transaction.atomic():
                        marker = Marker.objects.create(
                            account=account,
                            timeline=timeline,
                            last_read_id=last_read_id,
                            updated_at=now,
                        )
                except IntegrityError as exc:
                    raise MarkerConflict("the marker was saved concurrently") from exc
            else:
                updated = Marker.objects.filter(pk=current.pk, version=current.version).update(
                    last_read_id=last_read_id, version=current.version + 1, updated_at=now
                )
                if not updated:
                    raise MarkerConflict("the marker was saved concurrently")
                current.last_read_id = last_read_id
                current.version += 1
                current.updated_at = now
                marker = current
            saved.append(marker)
    return saved


def _set_conversation_state(account: Account, conversation_id: int, **fields: int) -> None:
    with transaction.atomic():
        state, _ = ConversationState.objects.select_for_update().get_or_create(
            account=account, conversation_id=conversation_id
        )
        for name, value in fields.items():
            setattr(state, name, max(getattr(state, name), value))
        state.save(update_fields=list(fields))


def mark_conversation_read(account: Account, conversation_id: int, last_post_id: int) -> None:
    _set_conversation_state(account, conversation_id, read_up_to=last_post_id)


def hide_conversation(account: Account, conversation_id: int, last_post_id: int) -> None:
    """Remove the conversation from the account's list until a newer post arrives; the
    posts themselves are untouched (as Mastodon's DELETE /api/v1/conversations/:id)."""
    _set_conversation_state(
        account, conversation_id, read_up_to=last_post_id, hidden_up_to=last_post_id
    )

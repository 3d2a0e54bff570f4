"""Notifications as Mastodon sees them: which Volière kinds map to which Mastodon types,
and the permission-filtered page behind `GET /api/v1/notifications`.

Permission filtering is the web's (`visible_notifications`); this module only narrows it.
Volière kinds with no Mastodon counterpart (community, knowledge, expertise, alerts...)
are left out of the API entirely: a client would not know how to show them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet

from voliere.accounts.models import Account
from voliere.core.exceptions import InvalidInput, NotFound
from voliere.core.pagination import Cursor, Page, paginate
from voliere.notifications.models import Notification, NotificationKind
from voliere.notifications.queries import visible_notifications

# Volière kind -> Mastodon type. A reply is a mention on Mastodon; a quote is Mastodon
# 4.5's `quote` type.
MASTODON_TYPE: dict[str, str] = {
    NotificationKind.MENTION: "mention",
    NotificationKind.REPLY: "mention",
    NotificationKind.REPOST: "reblog",
    NotificationKind.QUOTE: "quote",
    NotificationKind.LIKE: "favourite",
    NotificationKind.FOLLOW: "follow",
    NotificationKind.POLL: "poll",
    NotificationKind.UPDATE: "update",
}
# Types Mastodon documents that Volière never produces are still valid filter values.
KNOWN_TYPES = frozenset(
    {
        "mention",
        "status",
        "reblog",
        "follow",
        "follow_request",
        "favourite",
        "poll",
        "update",
        "quote",
        "quoted_update",
        "admin.sign_up",
        "admin.report",
        "severed_relationships",
        "moderation_warning",
    }
)


def kinds_for(types: Iterable[str]) -> set[str]:
    return {kind for kind, mtype in MASTODON_TYPE.items() if mtype in set(types)}


def _check_types(types: Iterable[str], field: str) -> list[str]:
    types = [t for t in types if t]
    for value in types:
        if value not in KNOWN_TYPES:
            raise InvalidInput(f"{field}: unknown notification type {value!r}", field=field)
    return types


@dataclass(frozen=True)
class NotificationFilter:
    types: tuple[str, ...] = ()
    exclude_types: tuple[str, ...] = ()
    account_id: int | None = None

    @classmethod
    def from_params(
        cls, types: list[str], exclude_types: list[str], account_id: str | None
    ) -> NotificationFilter:
        parsed_account = None
        if account_id not in (None, ""):
            text = str(account_id)
            if not (text.isascii() and text.isdigit()) or len(text) > 19:
                raise InvalidInput(f"account_id: {account_id!r} is not an id", field="account_id")
            parsed_account = int(text)
        return cls(
            types=tuple(_check_types(types, "types[]")),
            exclude_types=tuple(_check_types(exclude_types, "exclude_types[]")),
            account_id=parsed_account,
        )


def api_notifications(recipient: Account) -> QuerySet[Notification]:
    """The recipient's notifications a Mastodon client may show (mapped kinds only)."""
    return visible_notifications(recipient).filter(kind__in=list(MASTODON_TYPE))


def notifications_page(
    recipient: Account, cursor: Cursor, where: NotificationFilter
) -> Page[Notification]:
    qs = api_notifications(recipient)
    if where.types:
        qs = qs.filter(kind__in=kinds_for(where.types))
    if where.exclude_types:
        qs = qs.exclude(kind__in=kinds_for(where.exclude_types))
    if where.account_id is not None:
        qs = qs.filter(actor_id=where.account_id)
    return paginate(qs, cursor)


def access_notification(recipient: Account, notification_id: str) -> Notification:
    text = str(notification_id)
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        raise NotFound("notification not found")
    found = api_notifications(recipient).filter(pk=int(text)).first()
    if found is None:
        raise NotFound("notification not found")
    return found


def dismiss_notification(recipient: Account, notification: Notification) -> None:
    """Mastodon's dismiss deletes the notification for good."""
    Notification.objects.filter(pk=notification.pk, recipient=recipient).delete()


def clear_notifications(recipient: Account) -> int:
    """Delete the recipient's notifications of the kinds a Mastodon client shows. Volière's
    own kinds (community invitations, validation requests...) stay for the web, where they
    can be acted on: a client that never showed them must not wipe them."""
    with transaction.atomic():
        deleted, _ = Notification.objects.filter(
            recipient=recipient, kind__in=list(MASTODON_TYPE)
        ).delete()
    return deleted

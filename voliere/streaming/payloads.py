"""What a delivered event carries.

Mastodon clients get the documented entities (a Status or a Notification, JSON-encoded
into the event's string payload) rendered for the receiving viewer by
`voliere.mastodon.entities`. The web page gets small JSON hints (an id, an unread count)
and fetches anything it shows through the normal, permission-checked pages: no user text
travels on the web stream, so nothing there needs escaping.
"""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest

from voliere.accounts.models import Account
from voliere.notifications.queries import unread_count
from voliere.posts.models import Post
from voliere.posts.presentation import decorate_for_viewer


def web_post_hint(kind: str, post_id: int) -> str:
    return json.dumps({"id": str(post_id)})


def web_notification_hint(recipient: Account) -> str:
    return json.dumps({"unread": unread_count(recipient)})


def _request_for(origin: str) -> HttpRequest:
    """A stand-in request for the serializers, which build absolute URLs from it: the
    scheme and host the streaming client connected with."""
    scheme, _, host = origin.partition("://")
    request = HttpRequest()
    request.META["HTTP_HOST"] = host
    request.META["SERVER_NAME"], _, port = host.partition(":")
    request.META["SERVER_PORT"] = port or ("443" if scheme == "https" else "80")
    request._get_scheme = lambda: scheme  # type: ignore[method-assign]
    return request


def status_json(post_id: int, viewer: Account, origin: str) -> str | None:
    """The Status entity as `viewer` sees it, JSON-encoded; None if no longer visible."""
    from voliere.mastodon import entities

    post = Post.objects.visible_to(viewer).for_display().filter(pk=post_id).first()
    if post is None:
        return None
    decorate_for_viewer([post], viewer)
    rendered = entities.statuses_json([post], viewer, _request_for(origin))
    return json.dumps(rendered[0], cls=DjangoJSONEncoder) if rendered else None


def notification_json(notification_id: int, recipient: Account, origin: str) -> str | None:
    """The Notification entity, JSON-encoded; None if the recipient may no longer see it
    or it is of a kind the Mastodon API does not serve (community, knowledge...)."""
    from voliere.mastodon.notification_queries import api_notifications
    from voliere.mastodon.notifications import notifications_json

    notification = api_notifications(recipient).filter(pk=notification_id).first()
    if notification is None:
        return None
    rendered = notifications_json([notification], recipient, _request_for(origin))
    return json.dumps(rendered[0], cls=DjangoJSONEncoder) if rendered else None

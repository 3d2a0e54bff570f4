"""Who may use the command center, and for which organisation.

The listening pages of an organisation are for the people who manage its official account
(an `OrganisationRole`) and for instance administrators. Every listening view goes through
`listening_view`, which resolves `<org>` in the URL to `request.organisation` or answers
404 (missing and forbidden alike). Topics, sources, alerts and inbox items are then read
only through the getters below, scoped to that organisation.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from voliere.accounts.models import Account, AccountKind, User
from voliere.accounts.models.user import Role
from voliere.core.exceptions import NotFound
from voliere.core.views_helpers import domain_errors, signed_in
from voliere.listening.models import Alert, AlertChannel, InboxItem, Mention, Source, Topic


def listening_organisations(user: User) -> QuerySet[Account]:
    """Organisations whose listening `user` may use, by handle."""
    organisations = Account.objects.active().filter(kind=AccountKind.ORGANISATION)
    if user.role != Role.ADMIN:
        organisations = organisations.filter(managers__user=user)
    return organisations.order_by("handle_lower")


def access_organisation(user: User, handle: str) -> Account:
    organisation = listening_organisations(user).filter(handle_lower=handle.lower()).first()
    if organisation is None:
        raise NotFound(_("No such organisation."))
    return organisation


def access_topic(organisation: Account, topic_id: int | str) -> Topic:
    return _get(Topic.objects.filter(organisation=organisation), topic_id, _("No such topic."))


def access_source(organisation: Account, source_id: int | str) -> Source:
    return _get(Source.objects.filter(organisation=organisation), source_id,
                _("No such source."))


def access_inbox_item(organisation: Account, item_id: int | str) -> InboxItem:
    return _get(InboxItem.objects.filter(organisation=organisation).select_related("mention"),
                item_id, _("No such inbox item."))


def access_alert(organisation: Account, alert_id: int | str) -> Alert:
    return _get(Alert.objects.filter(topic__organisation=organisation)
                .select_related("topic__organisation", "acknowledged_by__account"),
                alert_id, _("No such alert."))


def access_channel(organisation: Account, channel_id: int | str) -> AlertChannel:
    return _get(AlertChannel.objects.filter(organisation=organisation), channel_id,
                _("No such channel."))


def organisation_mentions(organisation: Account) -> QuerySet[Mention]:
    """Mentions matched by at least one of the organisation's topics: all it may see."""
    return Mention.objects.filter(matches__topic__organisation=organisation).distinct()


def access_mention(organisation: Account, mention_id: int | str) -> Mention:
    return _get(organisation_mentions(organisation), mention_id, _("No such mention."))


def _get(queryset: QuerySet, pk: int | str, message: str) -> Any:
    try:
        found = queryset.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise NotFound(message)
    return found


def listening_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in, allowed for the `org` URL argument (set as `request.organisation`);
    domain errors become error pages."""

    @signed_in
    @domain_errors
    @functools.wraps(view)
    def wrapper(request: HttpRequest, org: str, *args: Any, **kwargs: Any) -> HttpResponse:
        request.organisation = access_organisation(request.user, org)  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapper

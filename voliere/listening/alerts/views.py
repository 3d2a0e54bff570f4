"""Alert pages under `/listening/<org>/alerts/`: the list, one alert (the crisis view),
acknowledging, and the channels (e-mail, webhook) that carry the organisation's alerts.

Every view goes through `listening_view` (managers of the organisation and administrators
only; anyone else gets a 404) and reads alerts and channels through the getters of
`access` (`access_alert`, `access_channel`), scoped to `request.organisation`.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from voliere.accounts.models import Account
from voliere.core.pagination import paginate
from voliere.core.views_helpers import read_cursor, safe_next
from voliere.listening.access import access_alert, access_channel, listening_view
from voliere.listening.alerts import actions, crisis
from voliere.listening.alerts.forms import AlertChannelForm
from voliere.listening.alerts.subjects import alert_path
from voliere.listening.links import http_url
from voliere.listening.models import Alert, AlertChannel, AlertKind, Mention


def organisation_alerts(organisation: Account) -> QuerySet[Alert]:
    return Alert.objects.filter(topic__organisation=organisation)


def _context(request: HttpRequest, **extra: object) -> dict:
    return {"organisation": request.organisation, "tab": "alerts", "nav": "listening", **extra}


@listening_view
def alert_list(request: HttpRequest) -> HttpResponse:
    alerts = organisation_alerts(request.organisation).select_related(
        "topic", "acknowledged_by__account")
    kind = request.GET.get("kind", "")
    if kind:
        if kind not in AlertKind.values:
            return render(request, "listening/alerts/list.html", _context(
                request, page=None, kinds=AlertKind.choices, kind="",
                error=_("Unknown alert kind “%(kind)s”.") % {"kind": kind}), status=400)
        alerts = alerts.filter(kind=kind)
    page = paginate(alerts, read_cursor(request))
    return render(request, "listening/alerts/list.html", _context(
        request, page=page, kinds=AlertKind.choices, kind=kind))


@listening_view
def alert_detail(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = access_alert(request.organisation, alert_id)
    report = crisis.build(alert)
    mention = None
    if alert.kind == AlertKind.HIGH_REACH and alert.details.get("mention_id"):
        mention = Mention.objects.filter(pk=alert.details["mention_id"],
                                         matches__topic=alert.topic).first()
    _clean_links([mention, *report.top_posts])
    return render(request, "listening/alerts/detail.html", _context(
        request, alert=alert, crisis=report, chart=crisis.chart(report.bars), mention=mention,
        is_episode=alert.kind in (AlertKind.BURST, AlertKind.NEGATIVE)))


def _clean_links(mentions: list[Mention | None]) -> None:
    """Blank the links that are not http(s) on the mentions shown (the shared mention
    template renders `url` and `author_url` as they are; rows may predate `http_url`)."""
    for mention in mentions:
        if mention is not None:
            mention.url = http_url(mention.url)
            mention.author_url = http_url(mention.author_url)


@require_POST
@listening_view
def alert_acknowledge(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = access_alert(request.organisation, alert_id)
    actions.acknowledge(alert, request.user)
    return redirect(safe_next(request, alert_path(alert)))


@listening_view
def channels(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation
    created = None
    status = 200
    if request.method == "POST":
        form = AlertChannelForm(request.POST, organisation=organisation)
        if form.is_valid():
            created = form.save()
            form = AlertChannelForm(organisation=organisation)
        else:
            status = 400
    else:
        form = AlertChannelForm(organisation=organisation)
    return render(request, "listening/alerts/channels.html", _context(
        request, form=form, created=created,
        channels=AlertChannel.objects.filter(organisation=organisation).order_by("created_at"),
    ), status=status)


@require_POST
@listening_view
def channel_delete(request: HttpRequest, channel_id: int) -> HttpResponse:
    access_channel(request.organisation, channel_id).delete()
    return redirect("listening_alert_channels", org=request.organisation.handle)


@require_POST
@listening_view
def channel_toggle(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = access_channel(request.organisation, channel_id)
    channel.is_active = not channel.is_active
    channel.save(update_fields=["is_active"])
    return redirect("listening_alert_channels", org=request.organisation.handle)

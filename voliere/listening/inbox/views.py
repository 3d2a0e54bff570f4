"""The response inbox pages: the queue, one item, and the actions on an item.

Every view goes through `listening_view` (managers of the organisation and administrators;
404 for everyone else, HTMX endpoints included). Actions are POSTs (CSRF-checked by the
middleware); with HTMX they answer the item's card alone, updated or carrying the error
(with the error's status: the page lets htmx swap 4xx answers in), without HTMX they
redirect back with a message, or show the item page with the error.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from voliere.core.exceptions import InvalidInput, VoliereError
from voliere.core.views_helpers import is_htmx, safe_next
from voliere.listening.access import access_inbox_item, listening_view
from voliere.listening.inbox import actions, queries
from voliere.listening.inbox.forms import AssignForm, ReplyForm, managers_of
from voliere.listening.models import InboxItem, InboxReason, Topic
from voliere.posts.forms import attach_error


def _displayed(request: HttpRequest, item_id: int) -> InboxItem:
    organisation = request.organisation  # type: ignore[attr-defined]
    item = access_inbox_item(organisation, item_id)
    displayed = queries.for_display(InboxItem.objects.filter(pk=item.pk), organisation).get()
    return queries.decorate([displayed])[0]


def _card_context(request: HttpRequest, item: InboxItem, **extra: Any) -> dict[str, Any]:
    organisation = request.organisation  # type: ignore[attr-defined]
    managers = extra.pop("managers", None)
    if managers is None:
        managers = managers_of(organisation)
    context = {
        "organisation": organisation, "item": item, "managers": managers,
        "allowed": actions.allowed_actions(item),
        "reply_form": extra.pop("reply_form", None) or ReplyForm(),
        "next": extra.pop("next", ""),
        "nav": "listening", "tab": "inbox",
    }
    context.update(extra)
    return context


@require_GET
@listening_view
def inbox(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation  # type: ignore[attr-defined]
    filters = queries.read_filters(organisation, request.GET)
    page = queries.inbox_page(organisation, request.user, filters)
    managers = managers_of(organisation)
    context = {
        "organisation": organisation, "nav": "listening", "tab": "inbox",
        "filters": filters, "page": page, "managers": managers,
        "cards": [_card_context(request, item, managers=managers, next=request.get_full_path())
                  for item in page.items],
        "times": queries.response_times(organisation),
        "state_filters": list(queries.STATE_FILTERS.items()),
        "reasons": InboxReason.choices,
        "topics": list(Topic.objects.filter(organisation=organisation).only("id", "name")),
        "networks": queries.networks_of(organisation),
        "filter_params": filters.as_params(),
    }
    return render(request, "listening/inbox/list.html", context)


@require_GET
@listening_view
def inbox_item(request: HttpRequest, item_id: int) -> HttpResponse:
    item = _displayed(request, item_id)
    template = "listening/inbox/_item.html" if is_htmx(request) else "listening/inbox/item.html"
    return render(request, template, _card_context(request, item))


def _answer(request: HttpRequest, item_id: int, error: VoliereError | None = None,
            **extra: Any) -> HttpResponse:
    """The outcome of an action: the card (HTMX), or a redirect / the item page."""
    item = _displayed(request, item_id)
    item_url = reverse("listening_inbox_item",
                       kwargs={"org": item.organisation.handle, "item_id": item.pk})
    if error is None and not is_htmx(request):
        messages.success(request, extra.pop("notice", _("Done.")))
        return redirect(safe_next(request, item_url))
    status = error.status if error is not None else 200
    context = _card_context(request, item, error=error, next=request.POST.get("next", ""),
                            **extra)
    template = "listening/inbox/_item.html" if is_htmx(request) else "listening/inbox/item.html"
    return render(request, template, context, status=status)


def _act(request: HttpRequest, item_id: int, action: Any, notice: str) -> HttpResponse:
    organisation = request.organisation  # type: ignore[attr-defined]
    item = access_inbox_item(organisation, item_id)
    try:
        action(item)
    except InvalidInput as error:
        return _answer(request, item_id, error)
    return _answer(request, item_id, notice=notice)


@require_POST
@listening_view
def assign(request: HttpRequest, item_id: int) -> HttpResponse:
    organisation = request.organisation  # type: ignore[attr-defined]
    form = AssignForm(request.POST, managers=managers_of(organisation))
    if request.POST.get("assignee") == "me":
        chosen = request.user
    elif form.is_valid():
        chosen = form.chosen()
    else:
        error = InvalidInput(_("Choose one of the organisation's managers."), field="assignee")
        return _answer(request, item_id, error)
    notice = (_("Assigned to %(name)s.") % {"name": chosen.account.name} if chosen
              else _("Unassigned."))
    return _act(request, item_id, lambda item: actions.assign_item(request.user, item, chosen),
                notice)


@require_POST
@listening_view
def reply(request: HttpRequest, item_id: int) -> HttpResponse:
    organisation = request.organisation  # type: ignore[attr-defined]
    item = access_inbox_item(organisation, item_id)
    form = ReplyForm(request.POST)
    error: InvalidInput | None = None
    if form.is_valid():
        try:
            actions.reply_to_item(request.user, item, form.cleaned_data["text"])
        except InvalidInput as refused:
            error = refused
            attach_error(form, refused)
    else:
        error = InvalidInput(form.errors["text"][0], field="text")
    if error is not None:
        return _answer(request, item_id, error, reply_form=form)
    return _answer(request, item_id, notice=_("Reply sent."))


@require_POST
@listening_view
def mark_answered(request: HttpRequest, item_id: int) -> HttpResponse:
    return _act(request, item_id, lambda item: actions.mark_answered(request.user, item),
                _("Marked as answered."))


@require_POST
@listening_view
def close(request: HttpRequest, item_id: int) -> HttpResponse:
    return _act(request, item_id, lambda item: actions.close_item(request.user, item),
                _("Closed."))


@require_POST
@listening_view
def reopen(request: HttpRequest, item_id: int) -> HttpResponse:
    return _act(request, item_id, lambda item: actions.reopen_item(request.user, item),
                _("Reopened."))

"""Source pages under `/listening/<org>/sources/`: the list, add (kind, then its form), edit,
pause, resume, poll soon, delete.

Every view goes through `listening_view` (the organisation's managers and administrators;
anyone else gets a 404) and reads sources only through `access_source`, scoped to
`request.organisation`. Every change goes through `sources.actions`; a configuration error
is shown next to its field (HTTP 400), never a 500.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from voliere.accounts.models import Account
from voliere.core.exceptions import InvalidInput
from voliere.listening.access import access_source, listening_view
from voliere.listening.models import Source, SourceKind
from voliere.listening.sources import actions
from voliere.listening.sources.forms import KIND_FIELDS, SourceForm
from voliere.posts.forms import attach_error

ADDABLE = [(kind, label) for kind, label in SourceKind.choices if kind in KIND_FIELDS]


def sources_for_list(organisation: Account) -> QuerySet[Source]:
    """The organisation's sources with their mention counts: one query whatever their number."""
    return (Source.objects.filter(organisation=organisation)
            .annotate(mention_count=Count("mentions")).order_by("name", "pk"))


def _context(request: HttpRequest, **extra: object) -> dict:
    return {"organisation": request.organisation, "tab": "sources", "nav": "listening", **extra}


def _to_list(request: HttpRequest) -> HttpResponse:
    return redirect("listening_sources", org=request.organisation.handle)


@listening_view
def source_list(request: HttpRequest) -> HttpResponse:
    return render(request, "listening/sources/list.html", _context(
        request, sources=sources_for_list(request.organisation), kinds=ADDABLE))


def _save(request: HttpRequest, form: SourceForm, source: Source | None) -> Source | None:
    """Run the action for a valid form; a domain error lands on its field. None if refused."""
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        if source is None:
            return actions.create_source(
                request.organisation, kind=form.kind, name=data["name"], config=form.config(),
                credentials=form.credentials(), poll_interval=data["poll_interval"])
        return actions.update_source(source, name=data["name"], config=form.config(),
                                     credentials=form.credentials(),
                                     poll_interval=data["poll_interval"])
    except InvalidInput as error:
        attach_error(form, error)
        return None


@listening_view
def source_new(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind") or request.POST.get("kind") or ""
    if kind not in KIND_FIELDS:
        status = 400 if kind else 200
        return render(request, "listening/sources/form.html", _context(
            request, kinds=ADDABLE, form=None,
            error=_("Unknown source kind “%(kind)s”.") % {"kind": kind} if kind else ""),
            status=status)
    form = SourceForm(request.POST or None, kind=kind)
    if request.method == "POST":
        source = _save(request, form, None)
        if source is not None:
            messages.success(request, _("Source “%(name)s” added: it will be polled within "
                                        "a minute.") % {"name": source.name})
            return _to_list(request)
    return render(request, "listening/sources/form.html", _context(
        request, form=form, kind=kind, kind_label=SourceKind(kind).label, source=None),
        status=400 if form.errors else 200)


@listening_view
def source_edit(request: HttpRequest, source_id: int) -> HttpResponse:
    source = access_source(request.organisation, source_id)
    if source.kind not in KIND_FIELDS:
        raise InvalidInput(_("This source is not edited here."))
    form = SourceForm(request.POST or None, kind=source.kind, source=source)
    if request.method == "POST" and _save(request, form, source) is not None:
        messages.success(request, _("Source saved."))
        return _to_list(request)
    return render(request, "listening/sources/form.html", _context(
        request, form=form, kind=source.kind, kind_label=source.get_kind_display(),
        source=source), status=400 if form.errors else 200)


def _state_change(action_name: str, done: str):  # noqa: ANN202 — a view factory
    @require_POST
    @listening_view
    def view(request: HttpRequest, source_id: int) -> HttpResponse:
        source = access_source(request.organisation, source_id)
        try:
            getattr(actions, action_name)(source)
        except InvalidInput as error:
            messages.error(request, error.message)
        else:
            messages.success(request, done % {"name": source.name})
        return _to_list(request)

    view.__name__ = f"source_{action_name}"
    return view


source_pause = _state_change("pause_source", gettext_lazy("“%(name)s” paused."))
source_resume = _state_change(
    "resume_source", gettext_lazy("“%(name)s” resumed: it will be polled within a minute."))
source_poll = _state_change(
    "request_poll", gettext_lazy("“%(name)s” will be polled within a minute."))
source_delete = _state_change(
    "delete_source", gettext_lazy("“%(name)s” deleted; its mentions are kept."))

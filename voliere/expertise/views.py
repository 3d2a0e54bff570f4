"""Pages: the expert finder (`/experts/?q=`), asking the experts it found, and the
time-to-answer report. Members only: expertise, like the people directory, is the
company's own business."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from voliere.accounts.models import Account
from voliere.core.exceptions import InvalidInput, NotFound
from voliere.core.views_helpers import domain_errors, viewer_of
from voliere.expertise import actions
from voliere.expertise.forms import AskExpertsForm
from voliere.expertise.models import ExpertRoute, RoutedQuestion
from voliere.expertise.query import parse_expert_query
from voliere.expertise.ranking import find_experts
from voliere.expertise.report import time_to_answer_report
from voliere.knowledge import access
from voliere.knowledge.actions import forum
from voliere.knowledge.models import Thread
from voliere.posts.forms import attach_error

RESULTS = 20


def _ask_form(viewer: Account, query: str) -> AskExpertsForm:
    return AskExpertsForm(
        viewer=viewer,
        initial={
            "query": query,
            "title": query,
            "experts": actions.default_experts(),
            "request_key": secrets.token_urlsafe(16),
        },
    )


def _own_thread(viewer: Account, raw: str | None) -> Thread | None:
    """The viewer's own question named by `?thread=` (sending an existing question to
    experts); None when absent, not theirs, or not visible."""
    if not raw:
        return None
    try:
        thread = access.access_thread(viewer, raw)
    except NotFound:
        return None
    return thread if thread.author_id == viewer.pk else None


def _finder(request: HttpRequest, query: str, **extra: Any) -> HttpResponse:
    """The finder page for `query` (already stripped); a bad query is shown with its
    message and a 400, never an empty list that looks like "nobody knows"."""
    viewer = viewer_of(request)
    context: dict[str, Any] = {"query": query, "nav": "experts", "results": None}
    status = extra.pop("status", 200)
    if "q" in request.GET or query:
        try:
            context["results"] = find_experts(viewer, parse_expert_query(query), limit=RESULTS)
        except InvalidInput as error:
            context["error"] = error
            status = 400
    thread = _own_thread(viewer, request.GET.get("thread"))
    if thread is not None:
        context["thread"] = thread
        context["experts_default"] = actions.default_experts()
    elif context["results"] and "ask_form" not in extra:
        extra["ask_form"] = _ask_form(viewer, query)
    context.update(extra)
    return render(request, "expertise/finder.html", context, status=status)


@login_required
@require_GET
@domain_errors
def experts(request: HttpRequest) -> HttpResponse:
    return _finder(request, (request.GET.get("q") or "").strip())


@login_required
@require_POST
@domain_errors
def ask(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    form = AskExpertsForm(request.POST, viewer=viewer)
    form.is_valid()
    data = form.cleaned_data
    query = (data.get("query") or "").strip()
    try:
        question = actions.ask_experts(
            viewer,
            query=query,
            title=data.get("title", ""),
            body=data.get("body", ""),
            tags=data.get("tags", ""),
            visibility=data.get("visibility", ""),
            community=forum.resolve_community(viewer, data.get("community")),
            experts=data.get("experts"),
            request_key=data.get("request_key", ""),
        )
    except InvalidInput as error:
        attach_error(form, error)
        request.GET = request.GET.copy()
        request.GET["q"] = query
        return _finder(request, query, ask_form=form, status=400)
    messages.success(request, _sent_message(question))
    return redirect(question.thread)


def _sent_message(question: RoutedQuestion) -> str:
    asked = ExpertRoute.objects.filter(question=question).count()
    if not asked:
        return _("Your question is in the forum; no expert who may read it was found yet.")
    return ngettext(
        "Your question was sent to %(n)s expert.",
        "Your question was sent to %(n)s experts.",
        asked,
    ) % {"n": asked}


@login_required
@require_POST
@domain_errors
def route(request: HttpRequest, thread_id: int) -> HttpResponse:
    """Send the viewer's existing question to the experts found for `query`."""
    viewer = viewer_of(request)
    thread = access.access_thread(viewer, thread_id)
    question = actions.route_question(
        viewer, thread, request.POST.get("query", ""), experts=request.POST.get("experts")
    )
    messages.success(request, _sent_message(question))
    return redirect(thread)


@login_required
@require_GET
@domain_errors
def report(request: HttpRequest) -> HttpResponse:
    found = time_to_answer_report(viewer_of(request), period=request.GET.get("period"))
    summary = [
        (_("Sent to experts"), found.routed),
        (_("Other questions"), found.others),
    ]
    context = {"report": found, "summary": summary, "nav": "experts"}
    return render(request, "expertise/report.html", context)

"""Topic pages under `/listening/<org>/topics/`: list (with backfill progress, polled while
a backfill runs), create and edit with a live preview of the query, pause/resume, delete.

Every view goes through `listening_view` (managers of the organisation and administrators;
anyone else gets a 404) and reads topics only through `access_topic`. Changes go through
`topics.actions`; a refused change is shown next to its field with status 400, a query
error with a marker under the character at fault.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from voliere.accounts.models import Account
from voliere.core.exceptions import InvalidInput
from voliere.core.views_helpers import is_htmx
from voliere.listening.access import access_topic, listening_view
from voliere.listening.matches import hour_of
from voliere.listening.models import BackfillState, Topic
from voliere.listening.query import QuerySyntaxError
from voliere.listening.topics import actions
from voliere.listening.topics.forms import TopicForm
from voliere.listening.topics.preview import WINDOW, preview_query
from voliere.posts.forms import attach_error

BUSY = (BackfillState.QUEUED, BackfillState.RUNNING)


def topics_for_list(organisation: Account) -> QuerySet[Topic]:
    """The organisation's topics with their matches of the last 7 days, summed from the
    hourly counts: one query whatever the number of topics or matches."""
    since = hour_of(timezone.now() - WINDOW)
    return (Topic.objects.filter(organisation=organisation)
            .annotate(recent_matches=Sum("hour_stats__count",
                                         filter=Q(hour_stats__hour__gte=since), default=0))
            .order_by("name", "pk"))


def _context(request: HttpRequest, **extra: object) -> dict:
    return {"organisation": request.organisation, "tab": "topics", "nav": "listening", **extra}


def _to_list(request: HttpRequest) -> HttpResponse:
    return redirect("listening_topics", org=request.organisation.handle)


def query_error_context(query: str, error: QuerySyntaxError) -> dict:
    """The query cut around the character at fault, for the marker under it."""
    at = min(error.position, len(query))
    return {"message": error.message, "position": error.position, "before": query[:at],
            "at": query[at:at + 1], "after": query[at + 1:]}


@require_GET
@listening_view
def topic_list(request: HttpRequest) -> HttpResponse:
    topics = list(topics_for_list(request.organisation))
    context = _context(request, topics=topics,
                       busy=any(topic.backfill_state in BUSY for topic in topics))
    template = "listening/topics/_table.html" if is_htmx(request) else "listening/topics/list.html"
    return render(request, template, context)


def _save(request: HttpRequest, form: TopicForm, topic: Topic | None) -> Topic | None:
    """Run the action for a valid form; a domain error lands on its field. None if refused."""
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        if topic is None:
            return actions.create_topic(request.organisation, name=data["name"],
                                        query=data["query"], kind=data["kind"],
                                        created_by=request.user)
        return actions.update_topic(topic, name=data["name"], query=data["query"],
                                    kind=data["kind"])
    except QuerySyntaxError as error:
        form.query_error = query_error_context(data["query"], error)
        form.add_error("query", error.message)  # removes "query" from cleaned_data
    except InvalidInput as error:
        attach_error(form, error)
    return None


def _form_page(request: HttpRequest, form: TopicForm, topic: Topic | None) -> HttpResponse:
    return render(request, "listening/topics/form.html",
                  _context(request, form=form, topic=topic,
                           query_error=getattr(form, "query_error", None)),
                  status=400 if form.errors else 200)


@listening_view
def topic_new(request: HttpRequest) -> HttpResponse:
    form = TopicForm(request.POST or None, initial={"kind": "brand"})
    if request.method == "POST":
        topic = _save(request, form, None)
        if topic is not None:
            messages.success(request, _("Topic “%(name)s” created: matching it over the "
                                        "collected posts has started.") % {"name": topic.name})
            return _to_list(request)
    return _form_page(request, form, None)


@listening_view
def topic_edit(request: HttpRequest, topic_id: int) -> HttpResponse:
    topic = access_topic(request.organisation, topic_id)
    form = TopicForm(request.POST or None,
                     initial={"name": topic.name, "kind": topic.kind, "query": topic.query})
    if request.method == "POST":
        saved = _save(request, form, topic)
        if saved is not None:
            messages.success(request, _("Topic “%(name)s” saved.") % {"name": saved.name})
            return _to_list(request)
    return _form_page(request, form, topic)


@require_GET
@listening_view
def topic_preview(request: HttpRequest) -> HttpResponse:
    """The preview fragment. Answered 200 even for a query with a mistake: the fragment IS
    the answer (the error and where it is), and HTMX swaps only successful responses."""
    text = request.GET.get("query", "")
    context = _context(request, query=text)
    if text.strip():
        try:
            query = actions.check_query(text)
        except QuerySyntaxError as error:
            context["query_error"] = query_error_context(text, error)
        else:
            context["preview"] = preview_query(request.organisation, query)
    return render(request, "listening/topics/_preview.html", context)


@require_POST
@listening_view
def topic_set_active(request: HttpRequest, topic_id: int) -> HttpResponse:
    topic = access_topic(request.organisation, topic_id)
    active = request.POST.get("active") == "1"
    actions.set_topic_active(topic, active)
    message = _("“%(name)s” resumed.") if active else _("“%(name)s” paused: new posts are "
                                                        "no longer matched.")
    messages.success(request, message % {"name": topic.name})
    return _to_list(request)


@require_POST
@listening_view
def topic_backfill(request: HttpRequest, topic_id: int) -> HttpResponse:
    topic = actions.request_backfill(access_topic(request.organisation, topic_id))
    messages.success(request, _("Matching “%(name)s” over the collected posts again.")
                     % {"name": topic.name})
    return _to_list(request)


@listening_view
def topic_delete(request: HttpRequest, topic_id: int) -> HttpResponse:
    """GET asks for confirmation; POST deletes."""
    topic = access_topic(request.organisation, topic_id)
    if request.method == "POST":
        actions.delete_topic(topic)
        messages.success(request, _("Topic “%(name)s” deleted.") % {"name": topic.name})
        return _to_list(request)
    return render(request, "listening/topics/delete.html", _context(request, topic=topic))



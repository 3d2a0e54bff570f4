"""The knowledge home (tabs: articles, questions, validated) and the blogs."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from voliere.accounts.models import Account
from voliere.core.exceptions import NotFound
from voliere.core.views_helpers import domain_errors, read_cursor, viewer_of
from voliere.knowledge import queries
from voliere.knowledge.access import blog_choices

TABS = ("articles", "questions", "validated")


def _filter_query(filters: queries.ListFilters, tab: str) -> str:
    """The current filters as a query string, for tab and pager links."""
    params = {"tab": tab, "tag": filters.tag, "state": filters.state}
    if filters.community is not None:
        params["community"] = filters.community.slug
    return urlencode({k: v for k, v in params.items() if v})


@domain_errors
def knowledge_home(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    tab = request.GET.get("tab") or "articles"
    if tab not in TABS:
        tab = "articles"
    filters = queries.read_filters(viewer, request.GET)
    cursor = read_cursor(request)
    context: dict = {"tab": tab, "filters": filters, "nav": "knowledge"}
    if tab == "questions":
        context["page"] = queries.threads_page(viewer, cursor, filters)
    elif tab == "validated":
        validated = queries.ListFilters(
            tag=filters.tag, community=filters.community, validated=True
        )
        context["page"] = queries.articles_page(viewer, cursor, validated)
        context["validated_threads"] = queries.threads_page(
            viewer, queries.Cursor(limit=cursor.limit), validated
        )
    else:
        context["page"] = queries.articles_page(viewer, cursor, filters)
    context["extra_query"] = _filter_query(filters, tab)
    context["paged"] = bool(request.GET.get("max_id") or request.GET.get("min_id"))
    if viewer is not None and tab == "articles" and not context["paged"]:
        context["drafts"] = list(queries.drafts_of(viewer)[:10])
    return render(request, "knowledge/home.html", context)


@domain_errors
def blog(request: HttpRequest, handle: str) -> HttpResponse:
    """A person's or an organisation's blog: its published articles newest first."""
    viewer = viewer_of(request)
    owner = Account.objects.active().by_handle(handle).first()
    if owner is None:
        raise NotFound("No such blog.")
    page = queries.articles_page(viewer, read_cursor(request), blog=owner)
    can_write = viewer is not None and any(a.pk == owner.pk for a in blog_choices(viewer))
    return render(
        request,
        "knowledge/blog.html",
        {
            "owner": owner,
            "page": page,
            "can_write": can_write,
            "paged": bool(request.GET.get("max_id") or request.GET.get("min_id")),
            "nav": "knowledge",
        },
    )

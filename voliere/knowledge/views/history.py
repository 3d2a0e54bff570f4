"""Revision history and diffs, for articles and questions alike (`kind` in the URL)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from voliere.accounts.models import Account
from voliere.core.exceptions import InvalidInput, NotFound
from voliere.core.views_helpers import domain_errors, viewer_of
from voliere.knowledge import access, markdown
from voliere.knowledge.diff import diff_revisions
from voliere.knowledge.models import Revision
from voliere.knowledge.models.base import KnowledgeItem


def item_for(viewer: Account | None, kind: str, item_id: int) -> KnowledgeItem:
    if kind == "article":
        return access.access_article(viewer, item_id)
    if kind == "thread":
        return access.access_thread(viewer, item_id)
    raise NotFound(_("Not found."))


def _revisions(kind: str, item: KnowledgeItem) -> QuerySet[Revision]:
    return Revision.objects.filter(**{kind: item}).select_related("editor")


@domain_errors
def history(request: HttpRequest, kind: str, item_id: int) -> HttpResponse:
    item = item_for(viewer_of(request), kind, item_id)
    revisions = list(_revisions(kind, item).order_by("-number"))
    return render(
        request,
        "knowledge/history.html",
        {"item": item, "kind": kind, "revisions": revisions, "nav": "knowledge"},
    )


def _number(request: HttpRequest, name: str, default: int) -> int:
    raw = request.GET.get(name, "")
    if raw == "":
        return default
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9:
        raise InvalidInput(_("%(name)s must be a revision number.") % {"name": name}, field=name)
    return int(raw)


@domain_errors
def diff(request: HttpRequest, kind: str, item_id: int) -> HttpResponse:
    """`?from=N&to=M` (default: the previous revision against the current one)."""
    item = item_for(viewer_of(request), kind, item_id)
    new_number = _number(request, "to", item.revision)
    old_number = _number(request, "from", max(new_number - 1, 1))
    found = {
        r.number: r for r in _revisions(kind, item).filter(number__in=[old_number, new_number])
    }
    if old_number not in found or new_number not in found:
        raise NotFound(_("No such revision."))
    context = {
        "item": item,
        "kind": kind,
        "diff": diff_revisions(found[old_number], found[new_number]),
        "nav": "knowledge",
    }
    return render(request, "knowledge/diff.html", context)


@domain_errors
def revision(request: HttpRequest, kind: str, item_id: int, number: int) -> HttpResponse:
    """One revision's text as it read then (e.g. the last validated one)."""
    item = item_for(viewer_of(request), kind, item_id)
    found = _revisions(kind, item).filter(number=number).first()
    if found is None:
        raise NotFound(_("No such revision."))
    context = {
        "item": item,
        "kind": kind,
        "revision": found,
        "body_html": markdown.render(found.body),
        "nav": "knowledge",
    }
    return render(request, "knowledge/revision.html", context)

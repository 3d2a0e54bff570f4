"""The poll block of a post card, per viewer, and the vote form behind it (works without
JavaScript: the form posts and comes back to `next`; with htmx the block is swapped)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from voliere.core.views_helpers import domain_errors, is_htmx, safe_next, signed_in, viewer_of
from voliere.polls.actions import access_poll, vote
from voliere.polls.queries import poll_view


def _block(request: HttpRequest, poll_id: int, status: int = 200) -> HttpResponse:
    viewer = viewer_of(request)
    view = poll_view(viewer, access_poll(viewer, poll_id))
    return render(request, "polls/_poll.html", {"view": view, "viewer": viewer}, status=status)


@require_GET
@domain_errors
def poll_block(request: HttpRequest, poll_id: int) -> HttpResponse:
    return _block(request, poll_id)


@require_POST
@signed_in
@domain_errors
def poll_vote(request: HttpRequest, poll_id: int) -> HttpResponse:
    poll = vote(viewer_of(request), poll_id, request.POST.getlist("choices"))
    if is_htmx(request):
        return _block(request, poll.pk)
    return redirect(safe_next(request, poll.post.get_absolute_url()))

"""The validated space: submit / withdraw (authors), validate / reject (validators), and the
review queue."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from voliere.core.exceptions import InvalidInput
from voliere.core.views_helpers import domain_errors, viewer_of
from voliere.knowledge import queries
from voliere.knowledge.actions import review as actions
from voliere.knowledge.views.history import item_for


@login_required
@domain_errors
def review_queue(request: HttpRequest) -> HttpResponse:
    queue = queries.review_queue(viewer_of(request))
    return render(request, "knowledge/review_queue.html", {"queue": queue, "nav": "knowledge"})


@login_required
@require_POST
@domain_errors
def review_step(request: HttpRequest, kind: str, item_id: int) -> HttpResponse:
    """`step` is submit, withdraw, validate or reject; the last two name the `revision`
    the validator read."""
    viewer = viewer_of(request)
    item = item_for(viewer, kind, item_id)
    step = request.POST.get("step", "")
    if step == "submit":
        actions.submit_for_validation(viewer, item)
    elif step == "withdraw":
        actions.withdraw_from_validation(viewer, item)
    elif step in ("validate", "reject"):
        raw = request.POST.get("revision", "")
        if not raw.isascii() or not raw.isdigit():
            raise InvalidInput(_("Say which revision you reviewed."), field="revision")
        decide = actions.validate_item if step == "validate" else actions.reject_item
        decide(viewer, item, revision=int(raw), comment=request.POST.get("comment", ""))
    else:
        raise InvalidInput(_("Unknown review step."), field="step")
    return redirect(item)

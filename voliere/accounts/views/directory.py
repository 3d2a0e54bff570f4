"""The people directory: search colleagues by name, handle, job, department or skill."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from voliere.accounts.forms import DirectorySearchForm
from voliere.accounts.models import Account, AccountKind, AccountSkill, Block
from voliere.core.exceptions import VoliereError
from voliere.core.pagination import Cursor, paginate
from voliere.core.views_helpers import error_page, viewer_of


def people_matching(viewer: Account | None, query: str, organisation: str) -> object:
    """Active people, minus those who block `viewer`, matching `query` and working
    (verified) at the organisation with handle `organisation` when given."""
    people = Account.objects.active().filter(kind=AccountKind.PERSON)
    if viewer is not None:
        people = people.exclude(
            Exists(Block.objects.filter(blocker=OuterRef("pk"), blocked=viewer))
        )
    if organisation:
        people = people.filter(
            organisation__handle_lower=organisation.lstrip("@").lower(), employment_verified=True
        )
    query = query.strip()
    if query:
        skill = Exists(
            AccountSkill.objects.filter(
                account=OuterRef("pk"), skill__key__contains=query.casefold()
            )
        )
        people = people.filter(
            Q(display_name__icontains=query)
            | Q(handle_lower__contains=query.lstrip("@").lower())
            | Q(job_title__icontains=query)
            | Q(department__icontains=query)
            | skill
        )
    return people


@login_required
def directory(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    form = DirectorySearchForm(request.GET)
    try:
        cursor = Cursor.from_params(request.GET)
    except VoliereError as error:
        return error_page(request, error)
    if not form.is_valid():
        return render(request, "accounts/directory.html", {"form": form}, status=400)
    query, organisation = form.cleaned_data["q"], form.cleaned_data["organisation"]
    page = paginate(people_matching(viewer, query, organisation), cursor)
    employer = None
    if organisation:
        employer = Account.objects.active().by_handle(organisation.lstrip("@")).first()
    return render(
        request,
        "accounts/directory.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "organisation": organisation,
            "employer": employer,
            "paged": cursor.max_id is not None or cursor.min_id is not None,
            "nav": "directory",
        },
    )

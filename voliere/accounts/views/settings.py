"""The signed-in person's settings: profile and the accounts they block or mute."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from voliere.accounts import actions
from voliere.accounts.forms import ProfileForm, add_action_error
from voliere.accounts.models import Account, AccountSkill, Block, Mute
from voliere.core.exceptions import InvalidInput
from voliere.core.views_helpers import viewer_of


def _save_profile(account: Account, form: ProfileForm) -> None:
    """All or nothing: images come last, so a refused image is found before any file is
    written, and any error rolls the text changes back."""
    data = form.cleaned_data
    with transaction.atomic():
        actions.update_profile(
            account,
            links=form.profile_links(),
            **{name: data[name] for name in ProfileForm.TEXT_FIELDS},
        )
        actions.set_skills(account, form.skill_names())
        if data.get("avatar"):
            actions.update_avatar(account, data["avatar"])
        if data.get("header"):
            actions.update_header(account, data["header"])


@login_required
@require_http_methods(["GET", "POST"])
def settings_profile(request: HttpRequest) -> HttpResponse:
    account = Account.objects.get(pk=viewer_of(request).pk)
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                _save_profile(account, form)
            except InvalidInput as error:
                add_action_error(form, error)
                account.refresh_from_db()
            else:
                messages.success(request, _("Your profile has been saved."))
                return redirect("settings_profile")
    else:
        skills = AccountSkill.objects.filter(account=account).select_related("skill")
        form = ProfileForm(
            initial=ProfileForm.initial_for(account, [row.skill.name for row in skills])
        )
    return render(
        request,
        "accounts/settings_profile.html",
        {"form": form, "account": account, "nav": "settings", "settings_tab": "profile"},
        status=400 if form.errors else 200,
    )


@login_required
def settings_relationships(request: HttpRequest) -> HttpResponse:
    account = viewer_of(request)
    blocked = [
        row.blocked
        for row in Block.objects.filter(blocker=account).select_related("blocked").order_by("-id")
    ]
    muted = [
        row.muted
        for row in Mute.objects.filter(muter=account).select_related("muted").order_by("-id")
    ]
    return render(
        request,
        "accounts/settings_relationships.html",
        {
            "blocked": blocked,
            "muted": muted,
            "nav": "settings",
            "settings_tab": "relationships",
        },
    )

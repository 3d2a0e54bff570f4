"""The signed-in person's settings: profile, blocked and muted accounts, acting as an
organisation they manage."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from voliere.accounts import acting, actions
from voliere.accounts.forms import ProfileForm, add_action_error
from voliere.accounts.models import Account, AccountSkill, Block, Mute
from voliere.accounts.views.common import redirect_next
from voliere.core.exceptions import InvalidInput, NotFound
from voliere.core.views_helpers import error_page, viewer_of


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


@login_required
@require_POST
def act_as_view(request: HttpRequest) -> HttpResponse:
    """Switch the session to the user's own account or an organisation they manage."""
    raw = request.POST.get("account_id", "")
    try:
        account = acting.act_as(request, int(raw))
    except ValueError:
        return error_page(request, InvalidInput(_("Choose an account."), field="account_id"))
    except NotFound as error:
        return error_page(request, error)
    messages.success(request, _("You are now acting as @%(handle)s.") % {"handle": account.handle})
    return redirect_next(request, reverse("home"))


@login_required
def settings_accounts(request: HttpRequest) -> HttpResponse:
    """The person's own account and the organisations they manage, to act as one of them."""
    return render(
        request,
        "accounts/settings_accounts.html",
        {
            "own": request.user.account,
            "managed": list(acting.managed_accounts(request.user)),
            "nav": "settings",
            "settings_tab": "accounts",
        },
    )

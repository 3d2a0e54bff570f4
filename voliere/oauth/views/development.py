"""Settings → Development: one's own applications and tokens, and the applications one
authorized through OAuth, with revocation.

Creating an application also creates an access token for oneself (acting as the account
currently in use), as Mastodon's Development page does. Token secrets are stored hashed,
so a new token is shown once, on the page that follows its creation (kept in the session
just long enough to be displayed).
"""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from voliere.core.exceptions import InvalidInput
from voliere.core.views_helpers import signed_in, viewer_of
from voliere.oauth import actions
from voliere.oauth.descriptions import described
from voliere.oauth.forms import ApplicationForm, TokenForm
from voliere.oauth.models import AccessToken, Application, GrantType

NEW_TOKEN_SESSION_KEY = "voliere_oauth_new_token"  # noqa: S105 — a session key
GRANTED = (GrantType.AUTHORIZATION_CODE, GrantType.PASSWORD)


def _own_application(request: HttpRequest, app_id: int) -> Application:
    application = Application.objects.filter(pk=app_id, owner=request.user).first()
    if application is None:
        raise Http404
    return application


def _remember_new_token(request: HttpRequest, issued: actions.IssuedToken) -> None:
    request.session[NEW_TOKEN_SESSION_KEY] = {
        "app_id": issued.token.application_id, "secret": issued.secret,
    }


def _add_form_error(form: ApplicationForm | TokenForm, error: InvalidInput) -> None:
    field = {"client_name": "name"}.get(error.field or "", error.field)
    form.add_error(field if field in form.fields else None, error.message)


def _authorized_apps(request: HttpRequest) -> list[tuple[Application, list[AccessToken]]]:
    tokens = (
        actions.live_tokens_of(request.user)
        .filter(grant_type__in=GRANTED)
        .select_related("application", "account")
        .order_by("application_id", "-id")
    )
    return [(app, list(rows)) for app, rows in groupby(tokens, key=lambda t: t.application)]


@signed_in
@require_http_methods(["GET", "POST"])
def development(request: HttpRequest) -> HttpResponse:
    staff = request.user.is_moderator
    form = ApplicationForm(request.POST or None, staff=staff)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                application = actions.register_application(
                    name=data["name"], website=data["website"],
                    redirect_uris=data["redirect_uris"].split(), scopes=data["scopes"],
                    owner=request.user,
                )
                issued = actions.create_personal_token(
                    user=request.user, scopes=data["scopes"], application=application,
                    account=viewer_of(request),
                )
        except InvalidInput as error:
            _add_form_error(form, error)
        else:
            _remember_new_token(request, issued)
            messages.success(request, _("The application has been created."))
            return redirect("settings_development_app", app_id=application.pk)
    applications = Application.objects.filter(owner=request.user).order_by("-id")
    return render(request, "oauth/development.html", {
        "form": form,
        "applications": applications,
        "authorized": _authorized_apps(request),
        "nav": "settings",
        "settings_tab": "development",
    }, status=400 if form.errors else 200)


@signed_in
@require_http_methods(["GET", "POST"])
def application_detail(request: HttpRequest, app_id: int) -> HttpResponse:
    application = _own_application(request, app_id)
    form = TokenForm(request.POST or None, allowed=application.scope_list)
    if request.method == "POST" and form.is_valid():
        try:
            issued = actions.create_personal_token(
                user=request.user, scopes=form.cleaned_data["scopes"],
                application=application, account=viewer_of(request),
            )
        except InvalidInput as error:
            _add_form_error(form, error)
        else:
            _remember_new_token(request, issued)
            return redirect("settings_development_app", app_id=application.pk)
    new_token = request.session.pop(NEW_TOKEN_SESSION_KEY, None)
    if new_token and new_token.get("app_id") != application.pk:
        new_token = None
    tokens = (
        actions.live_tokens_of(request.user)
        .filter(application=application)
        .select_related("account")
        .order_by("-id")
    )
    return render(request, "oauth/application.html", {
        "application": application,
        "scopes": described(application.scope_list),
        "tokens": tokens,
        "new_token": new_token["secret"] if new_token else None,
        "form": form,
        "nav": "settings",
        "settings_tab": "development",
    }, status=400 if form.errors else 200)


@signed_in
@require_POST
def delete_application_view(request: HttpRequest, app_id: int) -> HttpResponse:
    application = _own_application(request, app_id)
    actions.delete_application(application)
    messages.success(request, _("The application and its tokens have been deleted."))
    return redirect("settings_development")


@signed_in
@require_POST
def revoke_token_view(request: HttpRequest, token_id: int) -> HttpResponse:
    token = AccessToken.objects.filter(
        Q(user=request.user), pk=token_id, revoked_at__isnull=True
    ).first()
    if token is None:
        raise Http404
    actions.revoke_token(token)
    messages.success(request, _("The token has been revoked."))
    if token.grant_type == GrantType.PERSONAL:
        return redirect("settings_development_app", app_id=token.application_id)
    return redirect("settings_development")


@signed_in
@require_POST
def revoke_authorization_view(request: HttpRequest, app_id: int) -> HttpResponse:
    application = Application.objects.filter(pk=app_id).first()
    if application is None or not actions.revoke_authorization(request.user, application):
        raise Http404
    messages.success(request, _("%(name)s can no longer use your account.")
                     % {"name": application.name})
    return redirect("settings_development")

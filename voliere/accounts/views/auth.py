"""Sign-up, sign-in (throttled), sign-out, password change and reset (throttled), and the
language switch."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from voliere.accounts import actions, throttle
from voliere.accounts.forms import LoginForm, SignupForm, add_action_error
from voliere.accounts.views.common import redirect_next, set_language_cookie
from voliere.core.exceptions import InvalidInput
from voliere.core.views_helpers import error_page, safe_next

BACKEND = "voliere.accounts.auth.EmailOrHandleBackend"


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = actions.register_person(
                handle=data["handle"],
                email=data["email"],
                password=data["password"],
                display_name=data["display_name"],
                invite_code=data.get("invite_code", ""),
            )
        except InvalidInput as error:
            add_action_error(form, error)
        else:
            login(request, user, backend=BACKEND)
            return redirect("home")
    status = 400 if form.errors else 200
    return render(
        request,
        "registration/signup.html",
        {"form": form, "signup_mode": settings.SIGNUP_MODE},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request, reverse(settings.LOGIN_REDIRECT_URL))
    if request.user.is_authenticated:
        return redirect(next_url)
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        identifier = form.cleaned_data["identifier"]
        if throttle.is_locked_out(request, identifier):
            return render(
                request,
                "registration/login_throttled.html",
                {"minutes": throttle.WINDOW_SECONDS // 60},
                status=429,
            )
        user = authenticate(request, username=identifier, password=form.cleaned_data["password"])
        if user is not None:
            throttle.record_success(identifier)
            login(request, user)
            actions.touch_last_seen(user)
            response = redirect(next_url)
            if user.language:
                set_language_cookie(response, user.language)
            return response
        throttle.record_failure(request, identifier)
        form.add_error(None, _("Wrong e-mail address, handle or password."))
    if form.errors:
        status = 400
    return render(
        request, "registration/login.html", {"form": form, "next": next_url}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_password(request.user, form.cleaned_data["new_password1"])
        except InvalidInput as error:
            add_action_error(form, error, {"password": "new_password1"})
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password has been changed."))
            return redirect("password_change")
    return render(
        request,
        "registration/password_change_form.html",
        {"form": form, "nav": "settings", "settings_tab": "password"},
        status=400 if form.errors else 200,
    )


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Remember the UI language: in a cookie for everyone, on the user for members."""
    language = request.POST.get("language", "")
    if language not in {code for code, _name in settings.LANGUAGES}:
        return error_page(request, InvalidInput(_("Unknown language."), field="language"))
    if request.user.is_authenticated:
        actions.set_language(request.user, language)
    response = redirect_next(request, reverse("home"))
    set_language_cookie(response, language)
    return response


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Django's reset view, with at most a few e-mails per address and per client an hour.

    Over the limit the same "sent" page is shown and nothing is sent, so the page reveals
    neither which addresses exist nor that a limit was hit.
    """

    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        if not throttle.allow_password_reset(self.request, form.cleaned_data["email"]):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)

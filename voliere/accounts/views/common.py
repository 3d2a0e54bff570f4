"""Helpers shared by the accounts views."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from voliere.accounts.models import Account
from voliere.core.exceptions import VoliereError


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def viewer_of(request: HttpRequest) -> Account | None:
    return request.user.account if request.user.is_authenticated else None


def safe_next(request: HttpRequest, default: str) -> str:
    """The `next` parameter when it points to this site, else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def redirect_next(request: HttpRequest, default: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(safe_next(request, default))


def error_page(request: HttpRequest, error: VoliereError) -> HttpResponse:
    """The error's message on a page (or a bare fragment for HTMX) with its status."""
    template = "accounts/_error.html" if is_htmx(request) else "accounts/error.html"
    return render(request, template, {"message": error.message}, status=error.status)


def set_language_cookie(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )

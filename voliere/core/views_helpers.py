"""Small helpers shared by server-rendered views: the viewer, HTMX detection, safe
redirects, and turning domain errors into pages with the right status.

Imports no domain app: the error page is a template name, rendered with the error's
message so people see why their request failed (400 bad input, 403, 404).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

from voliere.core.exceptions import VoliereError
from voliere.core.pagination import Cursor

if TYPE_CHECKING:
    from voliere.accounts.models import Account

PAGE_SIZE = 20


def viewer_of(request: HttpRequest) -> Account | None:
    """The account the signed-in user acts as (their own, or an organisation they manage:
    see `voliere.accounts.acting`), or None for anonymous visitors."""
    if hasattr(request, "viewer"):
        return request.viewer
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return user.account


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The `next` parameter when it points to this site, else `fallback` (no open redirects)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def read_cursor(request: HttpRequest) -> Cursor:
    """The page cursor from the query string; raises InvalidInput for a malformed one."""
    return Cursor.from_params(request.GET, default_limit=PAGE_SIZE)


def error_page(request: HttpRequest, error: VoliereError) -> HttpResponse:
    """The error's message with its status: a whole page, or a bare fragment for HTMX."""
    template = "_error.html" if is_htmx(request) else "error.html"
    return render(request, template, {"error": error, "status": error.status}, status=error.status)


def signed_in(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Like `login_required`, but an HTMX request is told to load the login page as a whole
    (`HX-Redirect`) instead of having it swapped into a fragment."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if is_htmx(request):
            referer = request.headers.get("HX-Current-URL", "")
            login_url = resolve_url(settings.LOGIN_URL)
            if referer:
                login_url = f"{login_url}?{urlencode({'next': referer})}"
            return HttpResponse(status=401, headers={"HX-Redirect": login_url})
        return redirect_to_login(request.get_full_path())

    return wrapper


def domain_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Render InvalidInput / Forbidden / NotFound raised by `view` as an error page with the
    error's status and message. Errors raised inside an atomic action roll it back first,
    so nothing is half-saved."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except VoliereError as error:
            return error_page(request, error)

    return wrapper

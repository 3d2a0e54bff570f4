"""`GET/POST /oauth/authorize`: the consent page of the authorization code flow.

The person signs in first if needed, sees the application, what it asks for in plain
words and which account it will act as (their own or an organisation they manage), and
authorizes or denies (a CSRF-protected form). The code goes back to the application's
registered `redirect_uri` (exact match) with `state`, or — for
`urn:ietf:wg:oauth:2.0:oob` — is shown on a page to copy into the application.

Errors that make the redirect URI untrustworthy (unknown client, unregistered URI) are shown
here and never redirected (RFC 6749 §4.1.2.1); the others go back to the application.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit, urlunsplit

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from voliere.accounts.acting import managed_accounts
from voliere.accounts.models import Account
from voliere.core.exceptions import InvalidInput
from voliere.core.views_helpers import viewer_of
from voliere.oauth import actions
from voliere.oauth.descriptions import described
from voliere.oauth.errors import OAuthError
from voliere.oauth.models import Application
from voliere.oauth.models.application import OOB_REDIRECT_URI

_UNSAFE_SCHEMES = {"javascript", "data", "vbscript", "file"}
FLOW_FIELDS = ("response_type", "client_id", "redirect_uri", "scope", "state",
               "code_challenge", "code_challenge_method")


class _AnyAppScheme:
    """Mobile apps register custom schemes (`myapp://callback`); Django only allows
    http(s) and ftp redirects by default."""

    def __contains__(self, scheme: object) -> bool:
        return isinstance(scheme, str) and scheme.lower() not in _UNSAFE_SCHEMES


class AppRedirect(HttpResponseRedirect):
    allowed_schemes = _AnyAppScheme()


def _with_query(uri: str, params: dict[str, str]) -> str:
    parts = urlsplit(uri)
    query = "&".join(filter(None, [parts.query, urlencode(params)]))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def _back_to_app(request: HttpRequest, redirect_uri: str, state: str,
                 params: dict[str, str], application: Application) -> HttpResponse:
    if state:
        params = {**params, "state": state}
    if redirect_uri == OOB_REDIRECT_URI:
        return render(request, "oauth/authorize_result.html",
                      {"application": application, "result": params},
                      status=200 if "code" in params else 400)
    return AppRedirect(_with_query(redirect_uri, params))


def _error_page(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "oauth/authorize_error.html", {"message": message}, status=400)


def _choices(request: HttpRequest) -> list[Account]:
    own = request.user.account
    return [own, *managed_accounts(request.user)]


@require_http_methods(["GET", "POST"])
def authorize(request: HttpRequest) -> HttpResponse:
    data: QueryDict = request.POST if request.method == "POST" else request.GET
    flow = {name: data.get(name, "") for name in FLOW_FIELDS}
    application = Application.objects.filter(client_id=flow["client_id"]).first()
    if application is None:
        return _error_page(request, _("This application is not registered on this instance "
                                      "(unknown client_id)."))
    try:
        redirect_uri = actions.check_redirect_uri(application, flow["redirect_uri"])
    except OAuthError:
        return _error_page(request, _("The redirect URI is not one this application "
                                      "registered."))
    state = flow["state"]
    try:
        if flow["response_type"] != "code":
            raise OAuthError("unsupported_response_type",
                             _("Only response_type=code is supported."))
        scopes = actions.authorization_scopes(application, flow["scope"] or None)
        challenge, method = actions.check_pkce_request(flow["code_challenge"],
                                                       flow["code_challenge_method"])
    except OAuthError as error:
        return _back_to_app(request, redirect_uri, state, error.as_json(), application)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    try:
        actions.check_user_may_hold(request.user, scopes)
    except OAuthError as error:
        return _back_to_app(request, redirect_uri, state, error.as_json(), application)
    choices = _choices(request)
    if request.method == "GET":
        current = viewer_of(request)
        return render(request, "oauth/authorize.html", {
            "application": application,
            "scopes": described(scopes),
            "flow": {**flow, "redirect_uri": redirect_uri},
            "choices": choices,
            "selected_id": current.pk if current else choices[0].pk,
        })
    if data.get("decision") != "authorize":
        return _back_to_app(request, redirect_uri, state, {
            "error": "access_denied",
            "error_description": _("The resource owner denied the request."),
        }, application)
    account = next((a for a in choices if str(a.pk) == data.get("account_id", "")), None)
    if account is None:
        return _error_page(request, _("Choose one of the accounts you can act as."))
    try:
        code = actions.create_authorization_code(
            application=application, user=request.user, account=account,
            redirect_uri=redirect_uri, scopes=scopes, code_challenge=challenge,
            code_challenge_method=method,
        )
    except InvalidInput as error:
        return _error_page(request, error.message)
    return _back_to_app(request, redirect_uri, state, {"code": code}, application)

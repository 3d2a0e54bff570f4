"""The plumbing every Mastodon API endpoint uses. The contract, in one place:

Routes
    `api_route("api/v1/statuses/<int:status_id>", view, name=...)` returns two URL patterns
    (with and without the trailing slash, no redirect): splat it, `*api_route(...)`.

Views
    `@api_view(scopes=..., methods=(...), auth=...)` wraps a plain Django view and:

    - authenticates the bearer token from `Authorization: Bearer <token>`, or an
      `access_token` query or form parameter, as Mastodon accepts. Session cookies are
      NOT API credentials: `request.user` and `request.viewer` are replaced by the token's,
      so code reading `viewer_of(request)` sees the token's account, never a browser
      session (and CSRF does not apply: the wrapper is csrf_exempt).
    - sets `request.api_token` (AccessToken or None), `request.api_user` (User or None),
      `request.api_account` (the Account the token acts as — the user's own or an
      organisation they manage; None for application tokens and anonymous calls) and
      `request.api_params` (`ApiParams`: query string and body, JSON or form, read alike).
    - `auth="required"`: a user's token; none or a bad one → 401
      `{"error": "The access token is invalid"}`; an application-only token → 422
      `{"error": "This method requires an authenticated user"}` (Mastodon's answers).
      `auth="app"`: any valid token, user or application. `auth="optional"`: anonymous
      calls are served, but a token, when sent, must be valid (401) and in scope (403).
    - `scopes`: the scopes that let a token in, any one sufficing, broader ones included
      (`"read:statuses"` is satisfied by `read`; `follow` covers follows, blocks, mutes).
      A string, a tuple of alternatives, or a dict by HTTP method
      (`{"GET": "read:lists", "POST": "write:lists"}`). Out of scope → 403
      `{"error": "This action is outside the authorized scopes"}`.
    - `methods`: other methods → 405 `{"error": "Method not allowed"}` (HEAD comes with GET).
    - maps errors to Mastodon's JSON: `ApiError(status, message)` as given;
      `InvalidInput` → 422 `{"error": "Validation failed: <message>"}`; `NotFound`,
      `Http404` → 404 `{"error": "Record not found"}` (missing and hidden alike);
      `Forbidden` → 403 `{"error": <message>}`; an unreadable body → 400.
    - rate-limits per token (per client address without a token) and adds
      `X-RateLimit-Limit/-Remaining/-Reset` to every answer; over the limit → 429
      `{"error": "Too many requests"}` with the same headers (see voliere/oauth/ratelimit.py).

Parameters
    `request.api_params.get_str("status")`, `.get_list("media_ids")` (`media_ids[]=1` in
    forms, an array in JSON), `.get_bool("sensitive")`, `.get_int("limit", ...)`,
    `.get_dict("poll")` (`poll[options][]=a` in forms, an object in JSON). Each raises
    `ApiError(422)` naming the parameter when its value has the wrong shape.

Responses
    `api_json(data, status=200)`: JSON, datetimes as ISO 8601 UTC with milliseconds and `Z`
    (`iso(dt)` does the same for a single value). Ids are strings in Mastodon's entities:
    serializers write `str(obj.pk)`.

Pagination
    `page_cursor(request, max_limit=40)` reads `max_id`, `since_id`, `min_id`, `limit`
    (junk → 422; a limit above the maximum is clamped, as Mastodon does);
    `paginated_json(request, items, page)` answers with the `Link` header built by
    `link_header` (`rel="next"` first — older items, `max_id` — then `rel="prev"` — newer
    items, `min_id` — keeping the request's other parameters).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from voliere.accounts.throttle import client_address
from voliere.core.exceptions import Forbidden, InvalidInput, NotFound
from voliere.core.pagination import DEFAULT_LIMIT, Cursor, Page
from voliere.oauth import ratelimit
from voliere.oauth import scopes as scope_rules
from voliere.oauth.models import AccessToken
from voliere.oauth.tokens import Grant, authenticate

INVALID_TOKEN = "The access token is invalid"  # noqa: S105 — a message, not a secret
OUT_OF_SCOPE = "This action is outside the authorized scopes"
USER_REQUIRED = "This method requires an authenticated user"
NOT_FOUND = "Record not found"
LAST_USED_RESOLUTION = timedelta(hours=1)
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

ScopeSpec = str | tuple[str, ...] | Mapping[str, str | tuple[str, ...]] | None


class ApiError(Exception):
    """Answer `{"error": message}` with `status` (and any extra keys given)."""

    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.extra = extra


# --- JSON -------------------------------------------------------------------------------


def iso(value: datetime | None) -> str | None:
    """`2026-01-02T03:04:05.678Z`: UTC, milliseconds, as Mastodon writes datetimes."""
    if value is None:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class _Encoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, datetime):
            return iso(o)
        if isinstance(o, date):
            return o.isoformat()
        return super().default(o)


def api_json(data: Any, status: int = 200, headers: Mapping[str, str] | None = None
             ) -> HttpResponse:
    body = json.dumps(data, cls=_Encoder, ensure_ascii=False, separators=(",", ":"))
    return HttpResponse(
        body, status=status, headers=headers, content_type="application/json; charset=utf-8"
    )


def error_json(status: int, message: str, **extra: Any) -> HttpResponse:
    return api_json({"error": message, **extra}, status=status)


# --- Parameters -------------------------------------------------------------------------

_FALSE = {"0", "f", "false", "off", "no"}
_TRUE = {"1", "t", "true", "on", "yes"}


class ApiParams:
    """The query string and the body (JSON object or form) of one request, body first."""

    def __init__(self, query: QueryDict, body: Mapping[str, Any] | QueryDict | None) -> None:
        self.query = query
        self.body = body if body is not None else QueryDict()
        self.is_json = not isinstance(self.body, QueryDict)

    def _sources(self) -> list[Mapping[str, Any]]:
        return [self.body, self.query]

    def __contains__(self, name: str) -> bool:
        return any(name in src or f"{name}[]" in src for src in self._sources())

    def get(self, name: str, default: Any = None) -> Any:
        for source in self._sources():
            if name in source:
                return source[name] if not isinstance(source, QueryDict) else source.get(name)
        return default

    def get_str(self, name: str, default: str | None = None) -> str | None:
        value = self.get(name, default)
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, bool | int | float):
            return str(value).lower() if isinstance(value, bool) else str(value)
        raise ApiError(422, f"Validation failed: {name} must be a string")

    def get_list(self, name: str) -> list[Any]:
        """`name[]=a&name[]=b` or repeated `name=` in a form; an array in JSON."""
        for source in self._sources():
            if isinstance(source, QueryDict):
                for key in (f"{name}[]", name):
                    if key in source:
                        return source.getlist(key)
                continue
            for key in (name, f"{name}[]"):
                if key in source:
                    value = source[key]
                    if value is None:
                        return []
                    return value if isinstance(value, list) else [value]
        return []

    def get_bool(self, name: str, default: bool = False) -> bool:
        value = self.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ApiError(422, f"Validation failed: {name} must be true or false, got {value!r}")

    def get_int(self, name: str, default: int | None = None, *, minimum: int | None = None,
                maximum: int | None = None) -> int | None:
        value = self.get(name)
        if value is None or value == "":
            return default
        text = str(value).strip()
        if isinstance(value, bool) or not text.lstrip("-").isascii() or \
                not text.lstrip("-").isdigit() or len(text) > 19:
            raise ApiError(422, f"Validation failed: {name} must be a whole number, got {value!r}")
        number = int(text)
        if minimum is not None and number < minimum:
            raise ApiError(422, f"Validation failed: {name} must be at least {minimum}")
        if maximum is not None and number > maximum:
            raise ApiError(422, f"Validation failed: {name} must be at most {maximum}")
        return number

    def get_dict(self, name: str) -> dict[str, Any]:
        """A nested object: JSON `{"poll": {...}}`, or form keys `poll[x]` and `poll[x][]`."""
        for source in self._sources():
            if not isinstance(source, QueryDict):
                if name in source:
                    value = source[name]
                    if value is None:
                        return {}
                    if not isinstance(value, dict):
                        raise ApiError(422, f"Validation failed: {name} must be an object")
                    return value
                continue
            prefix = f"{name}["
            found: dict[str, Any] = {}
            for key, values in source.lists():
                if not key.startswith(prefix) or "]" not in key[len(prefix):]:
                    continue
                inner, rest = key[len(prefix):].split("]", 1)
                found[inner] = values if rest == "[]" else values[-1]
            if found:
                return found
        return {}


def _parse_body(request: HttpRequest) -> Mapping[str, Any] | QueryDict:
    content_type = request.content_type or ""
    if content_type == "application/json":
        if not request.body.strip():
            return {}
        try:
            data = json.loads(request.body)
        except (ValueError, UnicodeDecodeError) as error:
            raise ApiError(400, f"The request body is not valid JSON: {error}") from None
        if not isinstance(data, dict):
            raise ApiError(400, "The JSON request body must be an object")
        return data
    if content_type in FORM_TYPES:
        if request.method != "POST":
            # Django parses form bodies of POST only; Mastodon clients send forms with PUT
            # and PATCH too (media descriptions, profile updates).
            method, request.method = request.method, "POST"
            try:
                request._load_post_and_files()
            finally:
                request.method = method
        return request.POST
    return QueryDict()


# --- Authentication, scopes, rate limits -------------------------------------------------


def _presented_token(request: HttpRequest) -> str | None:
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, value = header.partition(" ")
        return value.strip() if scheme.lower() == "bearer" else ""
    token = request.GET.get("access_token")
    if token is None and request.method == "POST" and request.content_type in FORM_TYPES:
        token = request.POST.get("access_token")
    return token


def _required_scopes(spec: ScopeSpec, method: str) -> tuple[str, ...]:
    if spec is None:
        return ()
    if isinstance(spec, Mapping):
        spec = spec.get(method, spec.get("GET") if method == "HEAD" else None)
        if spec is None:
            return ()
    return (spec,) if isinstance(spec, str) else tuple(spec)


def _check_scope_names(spec: ScopeSpec) -> None:
    values = spec.values() if isinstance(spec, Mapping) else [spec]
    for value in values:
        for scope in _required_scopes(value, "GET"):
            if scope not in scope_rules.ALL_SCOPES:
                raise ValueError(f"api_view: unknown scope {scope!r}")


def _touch(token: AccessToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)


def _with_headers(response: HttpResponse, state: ratelimit.RateState | None) -> HttpResponse:
    if state is not None:
        for name, value in state.headers().items():
            response[name] = value
    return response


def _bind(request: HttpRequest, grant: Grant | None) -> None:
    request.api_token = grant.token if grant else None
    request.api_user = grant.user if grant else None
    request.api_account = grant.account if grant else None
    # Code shared with the web pages reads request.user / request.viewer: make them the
    # token's, so a browser session riding along can never act through the API.
    request.user = grant.user if grant and grant.user else AnonymousUser()
    request.viewer = request.api_account


def api_view(
    *,
    scopes: ScopeSpec = None,
    methods: Iterable[str] = ("GET",),
    auth: str = "required",
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate a Mastodon endpoint (see the module docstring for the whole contract)."""
    if auth not in {"required", "optional", "app"}:
        raise ValueError(f"api_view: auth must be required, optional or app, not {auth!r}")
    _check_scope_names(scopes)
    allowed = {method.upper() for method in methods}
    if "GET" in allowed:
        allowed.add("HEAD")

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method not in allowed:
                response = error_json(405, "Method not allowed")
                response["Allow"] = ", ".join(sorted(allowed))
                return response
            try:
                presented = _presented_token(request)
            except (RequestDataTooBig, MultiPartParserError, SuspiciousOperation, BadRequest):
                return error_json(400, "The request body could not be read")
            grant = authenticate(presented) if presented else None
            if grant is not None:
                state = ratelimit.hit(f"{grant.token.pk}", authenticated=True)
            else:
                state = ratelimit.hit(client_address(request), authenticated=False)
            if state is not None and not state.allowed:
                return _with_headers(error_json(429, "Too many requests"), state)
            response = _guarded(request, grant, presented, view, args, kwargs)
            return _with_headers(response, state)

        def _guarded(request: HttpRequest, grant: Grant | None, presented: str | None,
                     view: Callable[..., HttpResponse], args: tuple, kwargs: dict
                     ) -> HttpResponse:
            if grant is None and (presented is not None or auth != "optional"):
                response = error_json(401, INVALID_TOKEN)
                response["WWW-Authenticate"] = (
                    'Bearer realm="Volière", error="invalid_token", '
                    'error_description="The access token is invalid"'
                )
                return response
            if grant is not None:
                if auth == "required" and grant.user is None:
                    return error_json(422, USER_REQUIRED)
                required = _required_scopes(scopes, request.method)
                if required and not scope_rules.grants_any(grant.scopes, required):
                    return error_json(403, OUT_OF_SCOPE)
                _touch(grant.token)
            _bind(request, grant)
            try:
                request.api_params = ApiParams(request.GET, _parse_body(request))
                return view(request, *args, **kwargs)
            except ApiError as error:
                return error_json(error.status, error.message, **error.extra)
            except InvalidInput as error:
                return error_json(422, f"Validation failed: {error.message}")
            except (NotFound, Http404):
                return error_json(404, NOT_FOUND)
            except Forbidden as error:
                return error_json(403, error.message)
            except (RequestDataTooBig, MultiPartParserError, SuspiciousOperation, BadRequest):
                return error_json(400, "The request body could not be read")

        wrapper.api_scopes = scopes  # for route listings and tests
        wrapper.api_auth = auth
        return wrapper

    return decorate


# --- Routes -----------------------------------------------------------------------------


def api_route(pattern: str, view: Callable[..., HttpResponse], name: str | None = None
              ) -> list[URLPattern]:
    """`pattern` (Django path syntax, no leading or trailing slash) with and without a
    trailing slash, both answering directly (no redirect)."""
    pattern = pattern.strip("/")
    return [path(pattern, view, name=name), path(f"{pattern}/", view)]


# --- Pagination -------------------------------------------------------------------------


def page_cursor(request: HttpRequest, *, default_limit: int = DEFAULT_LIMIT,
                max_limit: int = 40) -> Cursor:
    """`max_id`, `since_id`, `min_id` and `limit` from the query string. Junk → 422;
    a limit above `max_limit` is clamped to it."""
    params = request.GET
    try:
        ids = Cursor.from_params({k: params.get(k) for k in ("max_id", "min_id", "since_id")})
    except InvalidInput as error:
        raise ApiError(422, f"Validation failed: {error.message}") from None
    raw = params.get("limit")
    limit = default_limit
    if raw not in (None, ""):
        if not (raw.isascii() and raw.isdigit()) or len(raw) > 9 or int(raw) < 1:
            raise ApiError(422, f"Validation failed: limit must be a whole number from 1 to "
                                f"{max_limit}, got {raw!r}")
        limit = min(int(raw), max_limit)
    return Cursor(max_id=ids.max_id, min_id=ids.min_id, since_id=ids.since_id, limit=limit)


def _page_url(request: HttpRequest, **cursor: int) -> str:
    kept = [
        (key, value)
        for key, values in request.GET.lists()
        if key not in {"max_id", "min_id", "since_id", "access_token"}
        for value in values
    ]
    query = urlencode(kept + [(k, str(v)) for k, v in cursor.items()])
    return f"{request.build_absolute_uri(request.path)}?{query}"


def link_header(request: HttpRequest, *, next_max_id: int | str | None,
                prev_min_id: int | str | None) -> str | None:
    """`<…?max_id=N>; rel="next", <…?min_id=M>; rel="prev"` (next first), or None."""
    links = []
    if next_max_id is not None:
        links.append(f'<{_page_url(request, max_id=next_max_id)}>; rel="next"')
    if prev_min_id is not None:
        links.append(f'<{_page_url(request, min_id=prev_min_id)}>; rel="prev"')
    return ", ".join(links) or None


def paginated_json(request: HttpRequest, items: list[Any], page: Page) -> HttpResponse:
    """`items` (the page's entities, already serialized) with the page's `Link` header."""
    response = api_json(items)
    link = link_header(request, next_max_id=page.next_max_id, prev_min_id=page.prev_min_id)
    if link:
        response["Link"] = link
    return response

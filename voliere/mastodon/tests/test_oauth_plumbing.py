"""The API plumbing's contract (voliere/mastodon/plumbing.py), through test endpoints
mounted by this module (`pytest.mark.urls`) and the real token machinery."""

from __future__ import annotations

import json
import re

import pytest
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.test import Client

from voliere.accounts.actions import change_password, create_organisation, suspend_account
from voliere.core.exceptions import Forbidden, InvalidInput, NotFound
from voliere.core.pagination import Page
from voliere.mastodon.plumbing import (
    api_json,
    api_route,
    api_view,
    iso,
    page_cursor,
    paginated_json,
)
from voliere.oauth import actions
from voliere.oauth.models import AccessToken

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@api_view(scopes="read:statuses")
def whoami(request: HttpRequest) -> HttpResponse:
    return api_json({
        "user": request.api_user.account.handle if request.api_user else None,
        "account": request.api_account.handle if request.api_account else None,
        "viewer": request.viewer.handle if request.viewer else None,
        "authenticated": request.user.is_authenticated,
    })


@api_view(scopes={"GET": "read:lists", "POST": "write:lists"}, methods=("GET", "POST", "PUT"),
          auth="optional")
def echo(request: HttpRequest) -> HttpResponse:
    params = request.api_params
    if params.get_str("fail") == "invalid":
        raise InvalidInput("title is too long", field="title")
    if params.get_str("fail") == "missing":
        raise NotFound("hidden post")
    if params.get_str("fail") == "forbidden":
        raise Forbidden("Not your list")
    return api_json({
        "title": params.get_str("title"),
        "ids": params.get_list("ids"),
        "flag": params.get_bool("flag"),
        "count": params.get_int("count", 0, minimum=0, maximum=10),
        "poll": params.get_dict("poll"),
        "account": request.api_account.handle if request.api_account else None,
    })


@api_view(auth="app")
def app_only(request: HttpRequest) -> HttpResponse:
    return api_json({"app": request.api_token.application.name, "user": request.api_user})


@api_view(auth="optional")
def paged(request: HttpRequest) -> HttpResponse:
    cursor = page_cursor(request, max_limit=5)
    page = Page(items=[1, 2], next_max_id=100, prev_min_id=200)
    return paginated_json(request, [{"limit": cursor.limit, "max_id": cursor.max_id}], page)


urlpatterns = [
    *api_route("t/whoami", whoami),
    *api_route("t/echo", echo),
    *api_route("t/app", app_only),
    *api_route("t/paged", paged),
]


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_missing_token_is_401_with_mastodon_error(client: Client) -> None:
    response = client.get("/t/whoami")
    assert response.status_code == 401
    assert response.json() == {"error": "The access token is invalid"}
    assert "invalid_token" in response["WWW-Authenticate"]


def test_unknown_and_malformed_tokens_are_401(client: Client) -> None:
    for header in ("Bearer nope", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer " + "x" * 500):
        response = client.get("/t/whoami", HTTP_AUTHORIZATION=header)
        assert response.status_code == 401, header
        assert response.json()["error"] == "The access token is invalid"


def test_token_in_header_query_or_form(client: Client, alice, api_token) -> None:
    token = api_token(alice, "read")
    assert client.get("/t/whoami", **bearer(token)).json()["account"] == "alice"
    assert client.get(f"/t/whoami?access_token={token}").json()["account"] == "alice"
    response = client.post("/t/echo", {"access_token": token, "title": "x"})
    assert response.status_code == 403  # write:lists needed for POST; read only


def test_session_cookie_is_not_api_auth(client: Client, alice, bob, api_token, login) -> None:
    login(alice)
    assert client.get("/t/whoami").status_code == 401
    # A token for bob wins over alice's session, for request.user and the viewer alike.
    body = client.get("/t/whoami", **bearer(api_token(bob, "read"))).json()
    assert body == {"user": "bob", "account": "bob", "viewer": "bob", "authenticated": True}
    assert client.get("/t/echo").json()["account"] is None  # optional: anonymous, not alice


def test_post_without_csrf_token_works_with_bearer(alice, api_token) -> None:
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post("/t/echo", {"title": "hi"},
                                **bearer(api_token(alice, "write:lists")))
    assert response.status_code == 200
    assert response.json()["title"] == "hi"


def test_scopes_enforced_with_parents_and_method_map(client: Client, alice, api_token) -> None:
    assert client.get("/t/whoami", **bearer(api_token(alice, "read"))).status_code == 200
    assert client.get("/t/whoami", **bearer(api_token(alice, "read:statuses"))).status_code == 200
    for scopes in ("write", "read:accounts", "follow", "push", "profile"):
        response = client.get("/t/whoami", **bearer(api_token(alice, scopes)))
        assert response.status_code == 403, scopes
        assert response.json() == {"error": "This action is outside the authorized scopes"}
    token = api_token(alice, "read:lists")
    assert client.get("/t/echo", **bearer(token)).status_code == 200
    assert client.post("/t/echo", {"title": "x"}, **bearer(token)).status_code == 403
    # `follow` grants follows/blocks/mutes only, not lists.
    assert client.get("/t/echo", **bearer(api_token(alice, "follow"))).status_code == 403


def test_app_token_on_user_endpoint_is_422(client: Client, app_token) -> None:
    token = app_token("read")
    response = client.get("/t/whoami", **bearer(token))
    assert response.status_code == 422
    assert response.json() == {"error": "This method requires an authenticated user"}
    body = client.get("/t/app", **bearer(token)).json()
    assert body == {"app": "Test client", "user": None}
    assert client.get("/t/app").status_code == 401


def test_revoked_token_stops_at_once(client: Client, alice, api_token) -> None:
    token = api_token(alice, "read")
    assert client.get("/t/whoami", **bearer(token)).status_code == 200
    actions.revoke_token(AccessToken.objects.get(user=alice))
    assert client.get("/t/whoami", **bearer(token)).status_code == 401


def test_suspended_or_deactivated_user_tokens_stop_at_once(client: Client, alice, bob,
                                                           api_token) -> None:
    token = api_token(alice, "read")
    suspend_account(alice.account)
    assert client.get("/t/whoami", **bearer(token)).status_code == 401
    other = api_token(bob, "read")
    bob.is_active = False
    bob.save(update_fields=["is_active"])
    assert client.get("/t/whoami", **bearer(other)).status_code == 401


def test_password_change_revokes_tokens(client: Client, alice, api_token) -> None:
    token = api_token(alice, "read")
    change_password(alice, "another long passphrase 43")
    assert client.get("/t/whoami", **bearer(token)).status_code == 401
    fresh = api_token(alice, "read")
    assert client.get("/t/whoami", **bearer(fresh)).status_code == 200


def test_token_acting_as_organisation_needs_the_role(client: Client, alice, api_token) -> None:
    org = create_organisation(handle="acme", display_name="Acme", managers=[alice])
    token = api_token(alice, "read", account=org)
    body = client.get("/t/whoami", **bearer(token)).json()
    assert body["account"] == "acme" and body["user"] == "alice" and body["viewer"] == "acme"
    org.managers.all().delete()
    assert client.get("/t/whoami", **bearer(token)).status_code == 401


def test_domain_errors_are_mastodon_shaped(client: Client) -> None:
    response = client.get("/t/echo?fail=invalid")
    assert response.status_code == 422
    assert response.json() == {"error": "Validation failed: title is too long"}
    response = client.get("/t/echo?fail=missing")
    assert response.status_code == 404
    assert response.json() == {"error": "Record not found"}
    response = client.get("/t/echo?fail=forbidden")
    assert response.status_code == 403
    assert response.json() == {"error": "Not your list"}


def test_form_and_json_bodies_read_alike(client: Client, alice, api_token) -> None:
    headers = bearer(api_token(alice, "write:lists"))
    form = client.post(
        "/t/echo",
        "title=Hello&ids[]=1&ids[]=2&flag=true&count=3&poll[options][]=a&poll[options][]=b"
        "&poll[expires_in]=600",
        content_type="application/x-www-form-urlencoded", **headers,
    ).json()
    as_json = client.post(
        "/t/echo",
        {"title": "Hello", "ids": ["1", "2"], "flag": True, "count": 3,
         "poll": {"options": ["a", "b"], "expires_in": "600"}},
        content_type="application/json", **headers,
    ).json()
    expected = {"title": "Hello", "ids": ["1", "2"], "flag": True, "count": 3,
                "poll": {"options": ["a", "b"], "expires_in": "600"}, "account": "alice"}
    assert form == expected
    assert as_json == expected
    multipart = client.post("/t/echo", {"title": "Hi", "ids[]": ["7"], "flag": "0"},
                            **headers).json()
    assert multipart["ids"] == ["7"] and multipart["flag"] is False


def test_put_form_body_is_parsed(client: Client, alice, api_token) -> None:
    response = client.put("/t/echo", "title=Put+title",
                          content_type="application/x-www-form-urlencoded",
                          **bearer(api_token(alice, "read")))
    assert response.status_code == 200
    assert response.json()["title"] == "Put title"


@pytest.mark.parametrize(("body", "content_type", "message"), [
    ("{not json", "application/json", "The request body is not valid JSON"),
    ("[1, 2]", "application/json", "The JSON request body must be an object"),
])
def test_unreadable_bodies_are_400(client: Client, body, content_type, message) -> None:
    response = client.generic("PUT", "/t/echo", body, content_type=content_type)
    assert response.status_code == 400
    assert response.json()["error"].startswith(message)


@pytest.mark.parametrize(("query", "message"), [
    ("flag=maybe", "flag must be true or false"),
    ("count=abc", "count must be a whole number"),
    ("count=11", "count must be at most 10"),
    ("count=-1", "count must be at least 0"),
])
def test_bad_parameter_values_are_422_naming_them(client: Client, query, message) -> None:
    response = client.get(f"/t/echo?{query}")
    assert response.status_code == 422
    assert message in response.json()["error"]


def test_nested_value_of_wrong_shape_is_422(client: Client) -> None:
    response = client.generic("PUT", "/t/echo", json.dumps({"title": {"a": 1}}),
                              content_type="application/json")
    assert response.status_code == 422
    assert response.json()["error"] == "Validation failed: title must be a string"


def test_trailing_slash_answers_without_redirect(client: Client) -> None:
    for url in ("/t/echo", "/t/echo/"):
        response = client.get(url)
        assert response.status_code == 200, url


def test_wrong_method_is_405_json(client: Client) -> None:
    response = client.delete("/t/echo")
    assert response.status_code == 405
    assert response.json() == {"error": "Method not allowed"}
    assert "PUT" in response["Allow"]


def test_pagination_params_and_link_header(client: Client) -> None:
    response = client.get("/t/paged?limit=99&max_id=&types[]=mention&types[]=follow&since_id=3")
    assert response.status_code == 200
    assert response.json() == [{"limit": 5, "max_id": None}]  # clamped to the maximum
    link = response["Link"]
    next_part, prev_part = link.split(", ")
    assert next_part.endswith('rel="next"') and prev_part.endswith('rel="prev"')
    assert "max_id=100" in next_part and "min_id=200" in prev_part
    assert "types%5B%5D=mention&types%5B%5D=follow" in next_part
    assert "since_id" not in link
    assert next_part.startswith("<http://testserver/t/paged?")


@pytest.mark.parametrize("query", ["max_id=abc", "limit=0", "limit=x", "min_id=-4",
                                   "since_id=1.5", "limit=²"])
def test_junk_pagination_is_422(client: Client, query) -> None:
    response = client.get(f"/t/paged?{query}")
    assert response.status_code == 422
    assert response.json()["error"].startswith("Validation failed:")


def test_rate_limit_headers_and_429(client: Client, alice, api_token, settings) -> None:
    settings.API_RATE_LIMIT = 3
    settings.API_RATE_LIMIT_ANONYMOUS = 2
    token = api_token(alice, "read")
    remaining = []
    for _ in range(3):
        response = client.get("/t/whoami", **bearer(token))
        assert response.status_code == 200
        assert response["X-RateLimit-Limit"] == "3"
        remaining.append(response["X-RateLimit-Remaining"])
    assert remaining == ["2", "1", "0"]
    response = client.get("/t/whoami", **bearer(token))
    assert response.status_code == 429
    assert response.json() == {"error": "Too many requests"}
    assert response["X-RateLimit-Remaining"] == "0"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", response["X-RateLimit-Reset"])
    # Another token has its own budget; anonymous calls count per address.
    assert client.get("/t/whoami", **bearer(api_token(alice, "read"))).status_code == 200
    assert [client.get("/t/echo").status_code for _ in range(3)] == [200, 200, 429]


def test_rate_limit_shared_store(client: Client, alice, api_token, settings) -> None:
    settings.API_RATE_LIMIT = 1
    settings.API_RATE_STORE = "database"
    cache.clear()
    token = api_token(alice, "read")
    assert client.get("/t/whoami", **bearer(token)).status_code == 200
    assert client.get("/t/whoami", **bearer(token)).status_code == 429


def test_iso_datetimes_have_milliseconds_and_z() -> None:
    from datetime import UTC, datetime, timedelta, timezone

    paris = timezone(timedelta(hours=1))
    assert iso(datetime(2026, 1, 2, 4, 4, 5, 678_901, tzinfo=paris)) == "2026-01-02T03:04:05.678Z"
    assert iso(datetime(2026, 1, 2, tzinfo=UTC)) == "2026-01-02T00:00:00.000Z"
    assert json.loads(api_json({"at": datetime(2026, 1, 2, tzinfo=UTC)}).content) == {
        "at": "2026-01-02T00:00:00.000Z"
    }

"""Tokens, scopes, anonymous callers and rate limits: the Mastodon API's rules, here too."""

from __future__ import annotations

import pytest

from voliere.api.tests.conftest import BASE, error_of
from voliere.oauth import actions as oauth_actions
from voliere.oauth.models import AccessToken

pytestmark = pytest.mark.django_db


def test_anonymous_reads_public_profile_but_not_own_profile(call, alice):
    anonymous = call()
    assert anonymous.get("/profiles/alice").status_code == 200
    response = anonymous.get("/me")
    assert response.status_code == 401
    assert error_of(response)["error"] == "The access token is invalid"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_bad_token_is_401_even_where_anonymous_calls_are_served(call, alice):
    response = call(token="not-a-token").get("/profiles/alice")
    assert response.status_code == 401
    error_of(response)


def test_non_bearer_authorization_is_401(client, alice):
    response = client.get(f"{BASE}/profiles/alice", headers={"Authorization": "Basic YTpi"})
    assert response.status_code == 401


def test_read_only_token_cannot_write(call, alice):
    response = call(alice, "read").put("/me/skills", {"skills": ["Welding"]})
    assert response.status_code == 403
    assert error_of(response)["error"] == "This action is outside the authorized scopes"
    assert not alice.account.skills.exists()


def test_granular_scope_is_enough_and_broader_scope_includes_it(call, alice):
    assert call(alice, "write:accounts").put("/me/skills", {"skills": ["A"]}).status_code == 200
    assert call(alice, "write").put("/me/skills", {"skills": ["B"]}).status_code == 200
    assert call(alice, "write:statuses").put("/me/skills", {"skills": ["C"]}).status_code == 403


def test_token_without_read_scope_cannot_read(call, alice):
    response = call(alice, "write").get("/profiles/alice")
    assert response.status_code == 403


def test_follow_scope_grants_joining_a_community(call, alice, bob):
    from voliere.communities.tests.factories import make_community

    community = make_community(alice)
    response = call(bob, "follow").post(f"/communities/{community.slug}/join")
    assert response.status_code == 200, response.content
    assert response.json()["outcome"] == "joined"


def test_application_token_needs_a_person_where_one_is_required(call, app_token):
    response = call(token=app_token("read write")).get("/me")
    assert response.status_code == 422
    assert error_of(response)["error"] == "This method requires an authenticated user"


def test_application_token_reads_like_an_anonymous_visitor(call, app_token, alice):
    response = call(token=app_token("read")).get("/profiles/alice")
    assert response.status_code == 200


def test_revoked_token_stops_working_at_once(call, api_token, alice):
    token = api_token(alice)
    caller = call(token=token)
    assert caller.get("/me").status_code == 200
    oauth_actions.revoke_token(AccessToken.objects.get(user=alice))
    assert caller.get("/me").status_code == 401


def test_session_cookie_is_not_an_api_credential(login, alice):
    client = login(alice)
    assert client.get(f"{BASE}/me").status_code == 401


def test_token_acting_as_an_organisation_speaks_for_it(call, alice):
    from voliere.accounts.actions import create_organisation

    acme = create_organisation(handle="acme", display_name="Acme", managers=[alice])
    response = call(alice, account=acme).get("/me")
    assert response.json()["handle"] == "acme"


def test_every_answer_carries_rate_limit_headers(call, alice):
    response = call(alice).get("/me")
    assert int(response["X-RateLimit-Limit"]) > 0
    assert int(response["X-RateLimit-Remaining"]) < int(response["X-RateLimit-Limit"])
    assert response["X-RateLimit-Reset"].endswith("Z")


def test_over_the_rate_limit_is_429(call, alice, settings):
    settings.API_RATE_LIMIT = 2
    caller = call(alice)
    assert caller.get("/me").status_code == 200
    assert caller.get("/me").status_code == 200
    response = caller.get("/me")
    assert response.status_code == 429
    assert error_of(response)["error"] == "Too many requests"
    assert response["X-RateLimit-Remaining"] == "0"


def test_unreadable_json_body_is_400(call, alice):
    response = call(alice).client.put(
        f"{BASE}/me/skills", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    error_of(response)

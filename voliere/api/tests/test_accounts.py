"""Organisations, affiliated accounts, profiles, skills and endorsements."""

from __future__ import annotations

import pytest

from voliere.accounts import actions
from voliere.accounts.models import AccountSkill
from voliere.api.tests.conftest import error_of, fields_of, queries_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme(alice, bob, carol, make_user):
    acme = actions.create_organisation(handle="acme", display_name="Acme", managers=[alice])
    actions.create_affiliated(parent=acme, handle="acme_support", display_name="Support")
    gone = actions.create_affiliated(parent=acme, handle="acme_old", display_name="Old")
    actions.suspend_account(gone)
    actions.set_employer(bob.account, acme, verified=True)
    actions.set_employer(carol.account, acme, verified=False)
    return acme


def test_organisation_counts_affiliates_and_verified_employees(call, acme):
    body = call().get("/organisations/acme").json()
    assert body["handle"] == "acme" and body["kind"] == "organisation"
    assert body["affiliated_count"] == 1  # the suspended one is not counted
    assert body["verified_employees_count"] == 1  # carol is not verified


def test_organisation_list_and_affiliates(call, acme):
    listed = call().get("/organisations").json()
    assert [o["handle"] for o in listed["items"]] == ["acme"]
    assert listed["items"][0]["verified_employees_count"] == 1
    affiliates = call().get("/organisations/acme/affiliates").json()
    assert [a["handle"] for a in affiliates["items"]] == ["acme_support"]
    assert affiliates["items"][0]["organisation"] == "acme"


def test_person_is_not_an_organisation(call, acme):
    assert call().get("/organisations/bob").status_code == 404


def test_organisation_list_pages_with_max_id_and_link_header(call, alice, make_user):
    for number in range(5):
        actions.create_organisation(handle=f"org{number}", display_name=f"Org {number}")
    first = call().get("/organisations", limit=2)
    body = first.json()
    assert [o["handle"] for o in body["items"]] == ["org4", "org3"]
    assert first["Link"] == f'<{body["next"]}>; rel="next"'
    assert "limit=2" in body["next"]
    seen = [o["handle"] for o in body["items"]]
    while body["next_max_id"]:
        body = call().get("/organisations", limit=2, max_id=body["next_max_id"]).json()
        seen += [o["handle"] for o in body["items"]]
    assert seen == ["org4", "org3", "org2", "org1", "org0"]


def test_organisation_list_query_count_does_not_grow(call):
    for number in range(8):
        org = actions.create_organisation(handle=f"org{number}", display_name="Org")
        actions.create_affiliated(parent=org, handle=f"aff{number}", display_name="Aff")
    counts = [queries_for(call(), "/organisations", limit=n) for n in (2, 8)]
    assert counts[0] == counts[1]


def test_profile_with_skills_most_endorsed_first(call, alice, bob, carol):
    actions.set_skills(alice.account, ["Welding", "PostgreSQL"])
    postgres = AccountSkill.objects.get(account=alice.account, skill__key="postgresql")
    actions.endorse_skill(bob.account, postgres)
    body = call(carol).get("/profiles/alice").json()
    assert [(s["name"], s["endorsements"]) for s in body["skills"]] == [
        ("PostgreSQL", 1),
        ("Welding", 0),
    ]
    assert call(bob).get("/profiles/alice").json()["skills"][0]["endorsed_by_me"] is True
    assert call().get("/profiles/alice").json()["skills"][0]["endorsed_by_me"] is False


def test_missing_and_blocking_profiles_are_404(call, alice, bob):
    assert call().get("/profiles/nobody").status_code == 404
    actions.block_account(alice.account, bob.account)
    response = call(bob).get("/profiles/alice")
    assert response.status_code == 404
    error_of(response)
    assert call().get("/profiles/alice").status_code == 200


def test_put_skills_replaces_them(call, alice):
    caller = call(alice)
    assert [s["name"] for s in caller.put("/me/skills", {"skills": ["A", "B"]}).json()] == [
        "A",
        "B",
    ]
    body = caller.put("/me/skills", {"skills": ["B", "b", "C"]}).json()
    assert sorted(s["name"] for s in body) == ["B", "C"]


def test_put_skills_validation_names_the_field(call, alice):
    response = call(alice).put("/me/skills", {"skills": "not a list"})
    assert response.status_code == 422
    assert fields_of(response) == {"skills"}
    too_many = call(alice).put("/me/skills", {"skills": [f"s{n}" for n in range(51)]})
    assert too_many.status_code == 422
    assert fields_of(too_many) == {"skills"}
    assert not alice.account.skills.exists()


def test_endorse_and_unendorse(call, alice, bob):
    actions.set_skills(alice.account, ["Welding"])
    skill_id = call().get("/profiles/alice").json()["skills"][0]["id"]
    caller = call(bob)
    endorsed = caller.post(f"/profiles/alice/skills/{skill_id}/endorse")
    assert endorsed.status_code == 200
    assert endorsed.json()["endorsements"] == 1 and endorsed.json()["endorsed_by_me"]
    assert caller.post(f"/profiles/alice/skills/{skill_id}/endorse").json()["endorsements"] == 1
    withdrawn = caller.post(f"/profiles/alice/skills/{skill_id}/unendorse").json()
    assert withdrawn["endorsements"] == 0 and not withdrawn["endorsed_by_me"]


def test_nobody_endorses_themselves_or_unknown_skills(call, alice):
    actions.set_skills(alice.account, ["Welding"])
    skill_id = call().get("/profiles/alice").json()["skills"][0]["id"]
    response = call(alice).post(f"/profiles/alice/skills/{skill_id}/endorse")
    assert response.status_code == 403
    assert call(alice).post("/profiles/alice/skills/999999/endorse").status_code == 404
    assert call(alice).post("/profiles/alice/skills/abc/endorse").status_code == 404


def test_endorsing_needs_a_token(call, alice):
    actions.set_skills(alice.account, ["Welding"])
    skill_id = call().get("/profiles/alice").json()["skills"][0]["id"]
    assert call().post(f"/profiles/alice/skills/{skill_id}/endorse").status_code == 401


def test_unendorse_works_after_being_blocked(call, alice, bob):
    actions.set_skills(alice.account, ["Welding"])
    row = AccountSkill.objects.get(account=alice.account)
    actions.endorse_skill(bob.account, row)
    actions.block_account(alice.account, bob.account)
    response = call(bob).post(f"/profiles/alice/skills/{row.skill_id}/unendorse")
    assert response.status_code == 200
    row.refresh_from_db()
    assert row.endorsements_count == 0


def test_text_the_database_cannot_store_is_422_naming_the_field(call, alice):
    caller = call(alice)
    nul = caller.put("/me/skills", {"skills": ["ok", "bad\u0000skill"]})
    assert nul.status_code == 422 and fields_of(nul) == {"skills.1"}
    surrogate = caller.client.put(
        "/api/voliere/v1/me/skills", '{"skills": ["\\ud800"]}', content_type="application/json"
    )
    assert surrogate.status_code == 422 and fields_of(surrogate) == {"skills.0"}
    assert caller.get("/profiles/a%00b").status_code == 422
    assert not alice.account.skills.exists()

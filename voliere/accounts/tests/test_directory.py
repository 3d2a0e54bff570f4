"""The people directory: search, employer filter, paging, blocks."""

from __future__ import annotations

import pytest
from django.urls import reverse

from voliere.accounts.actions import (
    block_account,
    create_organisation,
    set_employer,
    set_skills,
    update_profile,
)


@pytest.fixture
def people(alice, bob, carol):
    update_profile(alice.account, display_name="Alice Liddell", department="Research")
    update_profile(bob.account, job_title="Welder", department="Plant 4")
    set_skills(carol.account, ["Machine learning"])
    return alice, bob, carol


@pytest.fixture
def client(client, people):
    """The directory is for signed-in members: these tests browse it as carol."""
    client.force_login(people[2])
    return client


def test_directory_is_for_members_only(people):
    from django.test import Client

    response = Client().get(reverse("directory"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def handles(response) -> list[str]:
    return [account.handle for account in response.context["page"].items]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["carol", "bob", "alice"]),
        ("liddell", ["alice"]),
        ("@BO", ["bob"]),
        ("welder", ["bob"]),
        ("plant", ["bob"]),
        ("machine", ["carol"]),
        ("nobody", []),
    ],
)
def test_directory_search(client, people, query, expected):
    response = client.get(reverse("directory"), {"q": query})
    assert response.status_code == 200
    assert handles(response) == expected
    if not expected:
        assert "Nobody matches this search." in response.content.decode()


def test_directory_lists_people_only_and_filters_by_verified_employer(client, people):
    alice, bob, carol = people
    acme = create_organisation(handle="acme", display_name="Acme")
    set_employer(alice.account, acme, verified=True)
    set_employer(bob.account, acme, verified=False)
    assert "acme" not in handles(client.get(reverse("directory")))
    response = client.get(reverse("directory"), {"organisation": "acme"})
    assert handles(response) == ["alice"]
    assert "People at Acme" in response.content.decode()


def test_directory_pages_with_cursor(client, people, django_assert_num_queries):
    # a fixed number whatever the page size (signed-in request included)
    with django_assert_num_queries(3):
        first = client.get(reverse("directory"), {"limit": 2})
    assert handles(first) == ["carol", "bob"]
    assert f"max_id={first.context['page'].next_max_id}" in first.content.decode()
    second = client.get(
        reverse("directory"), {"limit": 2, "max_id": first.context["page"].next_max_id}
    )
    assert handles(second) == ["alice"]
    assert client.get(reverse("directory"), {"max_id": "-1"}).status_code == 400


def test_directory_hides_people_who_block_the_viewer(client, people):
    alice, bob, _carol = people
    block_account(bob.account, alice.account)
    client.force_login(alice)
    assert handles(client.get(reverse("directory"))) == ["carol", "alice"]

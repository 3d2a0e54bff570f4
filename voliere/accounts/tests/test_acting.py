"""A manager acts as the organisation; nobody else can, and losing the role ends it."""

from __future__ import annotations

import pytest

from voliere.accounts.actions import create_organisation
from voliere.accounts.models import OrganisationRole
from voliere.posts.models import Post

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme(alice):
    return create_organisation(handle="acme", display_name="Acme", managers=[alice])


def test_manager_posts_and_follows_as_the_organisation(alice, bob, acme, login, run_on_commit):
    client = login(alice)
    response = client.post("/settings/act-as/", {"account_id": acme.id, "next": "/"})
    assert response.status_code == 302
    with run_on_commit():
        client.post("/posts/new/", {"text": "Official news #launch", "visibility": "public"})
        client.post(f"/@{bob.account.handle}/follow/")
    post = Post.objects.get(text="Official news #launch")
    assert post.author_id == acme.id
    assert acme.following_set.filter(followee=bob.account).exists()
    assert not alice.account.following_set.exists()
    page = client.get("/").content.decode()
    assert "Official news" in page  # the organisation's home timeline
    client.post("/settings/act-as/", {"account_id": alice.account.id})
    with run_on_commit():
        client.post("/posts/new/", {"text": "my own words", "visibility": "public"})
    assert Post.objects.get(text="my own words").author_id == alice.account.id


def test_non_manager_cannot_act_as_the_organisation(bob, acme, login):
    client = login(bob)
    response = client.post("/settings/act-as/", {"account_id": acme.id})
    assert response.status_code == 404
    client.post("/posts/new/", {"text": "impostor", "visibility": "public"})
    assert Post.objects.get(text="impostor").author_id == bob.account.id


def test_losing_the_role_ends_acting_at_once(alice, acme, login):
    client = login(alice)
    client.post("/settings/act-as/", {"account_id": acme.id})
    OrganisationRole.objects.filter(user=alice).delete()
    client.post("/posts/new/", {"text": "after removal", "visibility": "public"})
    assert Post.objects.get(text="after removal").author_id == alice.account.id


def test_malformed_choice_is_a_clear_400(alice, login):
    response = login(alice).post("/settings/act-as/", {"account_id": "acme"})
    assert response.status_code == 400
    assert "Choose an account" in response.content.decode()


def test_settings_lists_managed_accounts_and_banner_reminds(alice, bob, acme, login):
    client = login(alice)
    page = client.get("/settings/accounts/").content.decode()
    assert "@acme" in page and "Act as" in page
    assert "@acme" not in login(bob).get("/settings/accounts/").content.decode()
    client = login(alice)
    client.post("/settings/act-as/", {"account_id": acme.id})
    page = client.get("/organisation/").content.decode()
    assert "You are acting as @acme." in page and "Switch back to my account" in page

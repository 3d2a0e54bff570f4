"""Follow, block, mute and endorse over HTTP (plain and HTMX), and the follower lists."""

from __future__ import annotations

import pytest
from django.urls import reverse

from voliere.accounts.actions import (
    block_account,
    follow_account,
    set_skills,
    suspend_account,
)
from voliere.accounts.models import Account, AccountSkill, Block, Follow, Mute

HTMX = {"HTTP_HX_REQUEST": "true"}


def counts(user) -> tuple[int, int]:
    account = Account.objects.get(pk=user.account.pk)
    return account.followers_count, account.following_count


def test_follow_and_unfollow_redirect_and_keep_counts(client, alice, bob):
    client.force_login(alice)
    response = client.post(reverse("follow", args=["Bob"]))
    assert response.status_code == 302
    assert response["Location"] == reverse("profile", args=["bob"])
    assert Follow.objects.filter(follower=alice.account, followee=bob.account).exists()
    assert counts(bob) == (1, 0)
    assert counts(alice) == (0, 1)
    client.post(reverse("follow", args=["bob"]))  # twice is once
    assert counts(bob) == (1, 0)
    response = client.post(reverse("unfollow", args=["bob"]), {"next": "/people/"})
    assert response["Location"] == "/people/"
    assert counts(bob) == (0, 0)
    assert counts(alice) == (0, 0)


def test_follow_over_htmx_returns_updated_buttons_and_counts(client, alice, bob):
    client.force_login(alice)
    response = client.post(reverse("follow", args=["bob"]), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="relationship-{bob.account.pk}"' in html
    assert reverse("unfollow", args=["bob"]) in html
    assert 'hx-swap-oob="true"' in html
    assert "<strong>1</strong> follower" in html
    assert "<html" not in html
    response = client.post(reverse("unfollow", args=["bob"]), **HTMX)
    assert reverse("follow", args=["bob"]) in response.content.decode()
    assert "<strong>0</strong> followers" in response.content.decode()


def test_relationship_actions_need_post_and_login(client, alice, bob):
    assert client.post(reverse("follow", args=["bob"])).status_code == 302  # to login
    assert not Follow.objects.exists()
    client.force_login(alice)
    assert client.get(reverse("follow", args=["bob"])).status_code == 405
    assert not Follow.objects.exists()


def test_follow_self_is_400_and_unknown_account_404(client, alice):
    client.force_login(alice)
    response = client.post(reverse("follow", args=["alice"]))
    assert response.status_code == 400
    assert "You cannot follow yourself." in response.content.decode()
    assert client.post(reverse("follow", args=["ghost"])).status_code == 404
    assert client.post(reverse("follow", args=["ghost"]), **HTMX).status_code == 404


def test_block_ends_follows_both_ways_and_hides_blocker(client, alice, bob):
    follow_account(alice.account, bob.account)
    follow_account(bob.account, alice.account)
    client.force_login(alice)
    response = client.post(reverse("block", args=["bob"]), **HTMX)
    assert response.status_code == 200
    assert reverse("unblock", args=["bob"]) in response.content.decode()
    assert reverse("follow", args=["bob"]) not in response.content.decode()
    assert Block.objects.filter(blocker=alice.account, blocked=bob.account).exists()
    assert not Follow.objects.exists()
    assert counts(alice) == (0, 0)
    assert counts(bob) == (0, 0)
    client.force_login(bob)
    assert client.post(reverse("follow", args=["alice"])).status_code == 404
    assert not Follow.objects.exists()


def test_mute_and_unmute(client, alice, bob):
    client.force_login(alice)
    response = client.post(reverse("mute", args=["bob"]), **HTMX)
    assert reverse("unmute", args=["bob"]) in response.content.decode()
    assert Mute.objects.filter(muter=alice.account, muted=bob.account).exists()
    client.post(reverse("unmute", args=["bob"]))
    assert not Mute.objects.exists()


def test_endorse_and_withdraw(client, alice, bob):
    set_skills(bob.account, ["Rust"])
    row = AccountSkill.objects.get(account=bob.account)
    client.force_login(alice)
    response = client.post(reverse("endorse", args=["bob", row.skill_id]), **HTMX)
    assert response.status_code == 200
    assert reverse("unendorse", args=["bob", row.skill_id]) in response.content.decode()
    client.post(reverse("endorse", args=["bob", row.skill_id]))
    row.refresh_from_db()
    assert row.endorsements_count == 1
    response = client.post(reverse("unendorse", args=["bob", row.skill_id]))
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.endorsements_count == 0


def test_endorsing_own_skill_is_forbidden(client, alice):
    set_skills(alice.account, ["Rust"])
    row = AccountSkill.objects.get(account=alice.account)
    client.force_login(alice)
    response = client.post(reverse("endorse", args=["alice", row.skill_id]))
    assert response.status_code == 403
    assert "You cannot endorse your own skills." in response.content.decode()
    row.refresh_from_db()
    assert row.endorsements_count == 0


def test_endorsing_unlisted_skill_is_404(client, alice, bob):
    set_skills(alice.account, ["Rust"])
    row = AccountSkill.objects.get(account=alice.account)
    client.force_login(bob)
    # Bob does not list Rust himself, and carol does not exist.
    assert client.post(reverse("endorse", args=["bob", row.skill_id])).status_code == 404
    assert client.post(reverse("endorse", args=["carol", row.skill_id])).status_code == 404
    set_skills(bob.account, ["Go"])
    client.force_login(alice)
    assert client.post(reverse("endorse", args=["bob", row.skill_id])).status_code == 404


@pytest.fixture
def audience(make_user, alice):
    """Five followers of alice, followed in order f1..f5; alice follows f1 and f2."""
    people = [make_user(f"f{i}") for i in range(1, 6)]
    for user in people:
        follow_account(user.account, alice.account)
    follow_account(alice.account, people[0].account)
    follow_account(alice.account, people[1].account)
    return people


def test_followers_page_lists_newest_first_with_cursor_paging(client, alice, audience):
    response = client.get(reverse("followers", args=["alice"]), {"limit": 2})
    assert response.status_code == 200
    html = response.content.decode()
    assert "5 followers" in html
    assert "@f5" in html and "@f4" in html and "@f3" not in html
    assert html.index("@f5") < html.index("@f4")
    next_max = response.context["page"].next_max_id
    page2 = client.get(reverse("followers", args=["alice"]), {"limit": 2, "max_id": next_max})
    names = [a.handle for a in page2.context["accounts"]]
    assert names == ["f3", "f2"]
    page3 = client.get(
        reverse("followers", args=["alice"]),
        {"limit": 2, "max_id": page2.context["page"].next_max_id},
    )
    assert [a.handle for a in page3.context["accounts"]] == ["f1"]
    assert page3.context["page"].next_max_id is None


def test_following_page_and_bad_cursor(client, alice, audience, django_assert_num_queries):
    with django_assert_num_queries(2):  # the account, then one page of follows with accounts
        response = client.get(reverse("following", args=["alice"]))
    assert [a.handle for a in response.context["accounts"]] == ["f2", "f1"]
    assert "2 following" in response.content.decode()
    bad = client.get(reverse("following", args=["alice"]), {"max_id": "abc"})
    assert bad.status_code == 400
    assert "max_id must be a positive whole number" in bad.content.decode()


def test_blocked_viewer_gets_404_on_blockers_lists(client, alice, bob):
    block_account(alice.account, bob.account)
    client.force_login(bob)
    assert client.get(reverse("followers", args=["alice"])).status_code == 404
    assert client.get(reverse("following", args=["alice"])).status_code == 404
    client.force_login(alice)
    assert client.get(reverse("followers", args=["bob"])).status_code == 200


def test_lists_hide_suspended_accounts(client, alice, bob):
    follow_account(bob.account, alice.account)
    suspend_account(bob.account)
    response = client.get(reverse("followers", args=["alice"]))
    assert response.context["accounts"] == []

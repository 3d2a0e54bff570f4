"""The Django admin: only for role=admin, and every change goes through the actions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from voliere.accounts.actions import create_organisation, set_role
from voliere.accounts.models import Account, Invite, Role, User
from voliere.notifications.models import Notification
from voliere.posts.actions import publish_post
from voliere.posts.models import Post


@pytest.fixture
def admin_client(client, make_user):
    admin_user = make_user("root_admin")
    set_role(admin_user, Role.ADMIN)
    client.force_login(admin_user)
    return client


def test_members_and_moderators_are_kept_out(client, alice, bob):
    set_role(bob, Role.MODERATOR)
    for user in (alice, bob):
        client.force_login(user)
        response = client.get(reverse("admin:accounts_account_changelist"))
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_account_changelist_search_and_filters(admin_client, alice, bob):
    response = admin_client.get(reverse("admin:accounts_account_changelist"), {"q": "ali"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "alice" in html and ">bob<" not in html
    filtered = admin_client.get(
        reverse("admin:accounts_account_changelist"), {"is_suspended__exact": "1"}
    )
    assert "alice" not in filtered.content.decode()


def test_account_admin_actions_verify_and_suspend(admin_client, alice, bob):
    acme = create_organisation(handle="acme", display_name="Acme")
    url = reverse("admin:accounts_account_changelist")
    ids = [alice.account.pk, bob.account.pk]
    response = admin_client.post(url, {"action": "verify_employment", "_selected_action": ids})
    assert response.status_code == 302
    for account in Account.objects.filter(pk__in=ids):
        assert account.organisation == acme and account.employment_verified
    admin_client.post(url, {"action": "suspend", "_selected_action": [bob.account.pk]})
    assert Account.objects.get(pk=bob.account.pk).is_suspended
    assert not Account.objects.get(pk=alice.account.pk).is_suspended


def test_account_edit_goes_through_update_profile(admin_client, alice):
    url = reverse("admin:accounts_account_change", args=[alice.account.pk])
    data = {name: "" for name in ("bio", "job_title", "department", "location", "languages")}
    response = admin_client.post(url, {**data, "display_name": "Alice L."})
    assert response.status_code == 302
    assert Account.objects.get(pk=alice.account.pk).display_name == "Alice L."


def test_user_page_hides_password_hash_and_changes_role(admin_client, alice):
    url = reverse("admin:accounts_user_change", args=[alice.pk])
    html = admin_client.get(url).content.decode()
    assert alice.password not in html
    assert "md5$" not in html
    response = admin_client.post(url, {"role": "admin", "language": "", "is_active": "on"})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.role == Role.ADMIN and alice.is_superuser and alice.is_staff


def test_user_admin_creates_person_through_register_person(admin_client, alice):
    url = reverse("admin:accounts_user_add")
    data = {
        "handle": "dora",
        "display_name": "Dora",
        "email": "dora@example.org",
        "password": "a fine long passphrase 9",
        "role": "member",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302
    user = User.objects.get(email="dora@example.org")
    assert user.account.handle == "dora" and user.check_password(data["password"])
    refused = admin_client.post(url, {**data, "handle": "ALICE", "email": "d2@example.org"})
    assert refused.status_code == 200
    assert "This handle is already taken." in refused.content.decode()
    assert not User.objects.filter(email="d2@example.org").exists()


def test_invite_admin_creates_and_expires_codes(admin_client):
    response = admin_client.post(reverse("admin:accounts_invite_add"), {"max_uses": "3"})
    assert response.status_code == 302
    invite = Invite.objects.get()
    assert invite.max_uses == 3 and len(invite.code) >= 12 and invite.is_usable
    admin_client.post(
        reverse("admin:accounts_invite_changelist"),
        {"action": "expire", "_selected_action": [invite.pk]},
    )
    invite.refresh_from_db()
    assert not invite.is_usable


def test_post_and_notification_admins_list_and_moderate(admin_client, alice, bob, run_on_commit):
    with run_on_commit():
        post = publish_post(alice.account, "hello @bob")
    changelist = admin_client.get(reverse("admin:posts_post_changelist"), {"q": "hello"})
    assert changelist.status_code == 200 and "hello @bob" in changelist.content.decode()
    assert Notification.objects.filter(recipient=bob.account).exists()
    notifications = admin_client.get(reverse("admin:notifications_notification_changelist"))
    assert notifications.status_code == 200 and "@bob" in notifications.content.decode()
    admin_client.post(
        reverse("admin:posts_post_changelist"),
        {"action": "delete_as_moderator", "_selected_action": [post.pk]},
    )
    assert Post.objects.get(pk=post.pk).deleted_at is not None

"""The profile header partial, seen through the profile page and rendered on its own."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from voliere.accounts.actions import (
    ProfileLink,
    create_affiliated,
    create_organisation,
    follow_account,
    set_employer,
    set_skills,
    update_profile,
)
from voliere.accounts.queries import profile_header_context


def test_header_shows_profile_and_buttons_to_other_members(client, alice, bob):
    update_profile(
        bob.account,
        bio="Builds <b>things</b>",
        job_title="Welder",
        department="Plant 4",
        links=[ProfileLink(label="Site", url="https://bob.example/")],
    )
    set_skills(bob.account, ["Welding"])
    follow_account(bob.account, alice.account)
    client.force_login(alice)
    html = client.get(reverse("profile", args=["bob"])).content.decode()
    assert "@bob" in html
    assert "Builds &lt;b&gt;things&lt;/b&gt;" in html
    assert "Welder" in html and "Plant 4" in html
    assert '<a href="https://bob.example/" rel="nofollow noopener" target="_blank">Site</a>' in html
    assert "Follows you" in html
    assert reverse("follow", args=["bob"]) in html
    assert reverse("mute", args=["bob"]) in html
    assert reverse("block", args=["bob"]) in html
    assert "Welding" in html and "/skills/" in html and "endorse/" in html
    assert reverse("followers", args=["bob"]) in html
    assert "Edit profile" not in html


def test_own_header_has_edit_link_and_no_relationship_or_endorse_buttons(client, alice):
    set_skills(alice.account, ["Welding"])
    client.force_login(alice)
    html = client.get(reverse("profile", args=["alice"])).content.decode()
    assert reverse("settings_profile") in html and "Edit profile" in html
    assert reverse("follow", args=["alice"]) not in html
    assert "endorse/" not in html


def test_anonymous_visitor_sees_no_buttons(client, bob):
    html = client.get(reverse("profile", args=["bob"])).content.decode()
    assert "@bob" in html
    assert reverse("follow", args=["bob"]) not in html


def test_kind_badges_and_organisation_family(alice, bob, carol):
    acme = create_organisation(handle="acme", display_name="Acme")
    france = create_affiliated(parent=acme, handle="acme_fr", display_name="Acme France")
    set_employer(alice.account, acme, verified=True)
    set_employer(bob.account, acme, verified=True)
    set_employer(carol.account, acme, verified=False)
    request = RequestFactory().get("/")

    def header(account) -> str:
        context = profile_header_context(None, account) | {"viewer": None, "request": request}
        return render_to_string("accounts/_profile_header.html", context)

    org = header(acme)
    assert "Organisation" in org
    assert "Acme France" in org and france.get_absolute_url() in org
    assert "2 verified employees" in org
    assert f"{reverse('directory')}?organisation=acme" in org
    affiliated = header(france)
    assert "Affiliated with" in affiliated and acme.get_absolute_url() in affiliated
    person = header(alice.account)
    assert "Works at" in person and "icon-check" in person
    assert "Works at" not in header(carol.account)

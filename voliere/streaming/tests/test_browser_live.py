"""The open home page shows a post made elsewhere, through the live "new posts" bar."""

from __future__ import annotations

import re

import pytest

from conftest import PASSWORD
from voliere.accounts.actions import follow_account
from voliere.streaming.tests.conftest import sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def alice_follows_bob(alice, bob):
    # Before the browser starts: Django's ORM refuses to run beside Playwright's loop.
    follow_account(alice.account, bob.account)
    return alice, bob


def test_new_post_appears_in_open_home_without_reload(asgi_server, alice_follows_bob, browser):
    from playwright.sync_api import expect

    alice, bob = alice_follows_bob
    base = asgi_server.url
    page = browser.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{base}/login/")
    page.locator("input[name=identifier]").fill(alice.email)
    page.locator("input[name=password]").fill(PASSWORD)
    # Wait for the sign-in to finish: going to "/" at once could abort the POST and leave
    # the page signed out (no live stream for visitors).
    with page.expect_navigation():
        page.locator("form button[type=submit]").last.click()
    page.goto(f"{base}/")
    # Opening the stream is set-up, not delivery: allow for a loaded CI machine.
    expect(page.locator("html")).to_have_attribute("data-live", "open", timeout=20_000)
    page.evaluate("window.__sameDocument = true")

    bob_client = sign_in(base, bob)
    response = bob_client.post(
        "/posts/new/",
        data={"text": "Fresh from the lab", "visibility": "public",
              "csrfmiddlewaretoken": bob_client.cookies["csrftoken"]},
        headers={"Referer": f"{base}/"},
    )
    assert response.status_code in (200, 302), response.text[:300]

    bar = page.locator("#new-posts-bar")
    expect(bar).to_be_visible()
    expect(bar.get_by_role("button")).to_have_text(re.compile(r"^1 new post"))
    bar.get_by_role("button").click()
    expect(page.locator("#home-timeline article.post-card").first).to_contain_text(
        "Fresh from the lab"
    )
    expect(bar).to_be_hidden()
    assert page.evaluate("window.__sameDocument") is True  # no reload happened

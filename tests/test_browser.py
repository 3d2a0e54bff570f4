"""The main story in a real browser: Debian's Chromium, driven by Playwright, against uvicorn.

Two people sign up, one follows the other, a post with a mention and a hashtag travels to the
follower's home timeline and to the hashtag page, the follower replies and likes, both see
their notifications, then the follower reads the interface in French. Selectors go by label
and role, the way people find things.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, Response, expect

from tests.conftest import RESULTS_DIR
from tests.live_server import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple 7"
TIMEOUT_MS = 10_000


def sign_up(page: Page, base_url: str, handle: str, name: str) -> None:
    page.goto(f"{base_url}/signup/")
    page.get_by_label("Handle").fill(handle)
    page.get_by_label("Display name").fill(name)
    page.get_by_label("E-mail address").fill(f"{handle}@example.org")
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def watch_for_errors(page: Page, problems: list[str]) -> None:
    """Collect script errors, server errors and missing assets while the story runs."""
    page.on("pageerror", lambda error: problems.append(f"script error on {page.url}: {error}"))

    def check(response: Response) -> None:
        if response.status >= 500 or (response.status >= 400 and "/static/" in response.url):
            problems.append(f"{response.status} {response.request.method} {response.url}")

    page.on("response", check)


def post_card(page: Page, text: str):
    return page.locator("article.post-card", has_text=text).first


def test_sign_up_follow_post_reply_like_and_switch_to_french(
    browser: Browser, asgi_server: LiveServer
) -> None:
    expect.set_options(timeout=TIMEOUT_MS)
    base = asgi_server.url
    alice_page = browser.new_context(locale="en-GB").new_page()
    bob_page = browser.new_context(locale="en-GB").new_page()
    problems: list[str] = []
    for page in (alice_page, bob_page):
        page.set_default_timeout(TIMEOUT_MS)
        watch_for_errors(page, problems)
    try:
        sign_up(alice_page, base, "a", "Alice Martin")
        sign_up(bob_page, base, "b", "Bob Durand")

        # B follows A from A's profile.
        bob_page.goto(f"{base}/@a/")
        expect(bob_page.get_by_role("heading", name=re.compile("Alice Martin"))).to_be_visible()
        header = bob_page.locator(".profile-header")  # the side column suggests A too
        header.get_by_role("button", name=re.compile(r"^Follow\b")).click()
        expect(header.get_by_role("button", name=re.compile(r"^Unfollow\b"))).to_be_visible()

        # A posts from the home page's compose box.
        alice_page.goto(f"{base}/")
        alice_page.get_by_label("What's new?").fill("Hello @b #launch")
        alice_page.get_by_role("button", name="Publish").click()
        expect(post_card(alice_page, "Hello")).to_contain_text("#launch")

        # B sees it on the home timeline (fan-out) and on the hashtag page.
        bob_page.goto(f"{base}/")
        card = post_card(bob_page, "Hello")
        expect(card).to_contain_text("Alice Martin")
        expect(card.get_by_role("link", name="#launch")).to_be_visible()
        bob_page.goto(f"{base}/tags/launch/")
        expect(post_card(bob_page, "Hello")).to_contain_text("@b")

        # B opens the thread from the post's time link and replies there.
        post_card(bob_page, "Hello").locator(".post-meta a").first.click()
        expect(bob_page).to_have_url(re.compile(r"/posts/\d+/$"))
        thread_url = bob_page.url
        compose = bob_page.locator("form.compose")
        compose.get_by_role("textbox").first.fill("Congratulations on the launch!")
        compose.get_by_role("button", name="Reply", exact=True).click()
        bob_page.goto(thread_url)
        replies = bob_page.locator(".thread-replies")
        expect(replies).to_contain_text("Congratulations on the launch!")
        expect(replies).to_contain_text("Bob Durand")

        # B likes A's post: the button's pressed state and the count follow.
        focus = bob_page.locator("article.post-card.focus")
        like = focus.get_by_role("button", name=re.compile(r"^Like\b"))
        expect(like).to_have_attribute("aria-pressed", "false")
        like.click()
        unlike = focus.get_by_role("button", name=re.compile(r"^Unlike\b"))
        expect(unlike).to_have_attribute("aria-pressed", "true")
        expect(unlike).to_contain_text("1")
        bob_page.reload()
        expect(
            bob_page.locator("article.post-card.focus").get_by_role(
                "button", name=re.compile(r"^Unlike\b")
            )
        ).to_have_attribute("aria-pressed", "true")

        # Each side was notified: B of the mention, A of the follow, the reply and the like.
        bob_page.goto(f"{base}/notifications/")
        expect(bob_page.get_by_role("link", name="@a mentioned you")).to_be_visible()
        alice_page.goto(f"{base}/notifications/")
        for line in ("@b followed you", "@b replied to you", "@b liked your post"):
            expect(alice_page.get_by_role("link", name=line)).to_be_visible()

        # B switches the interface to French with the top bar's language menu.
        bob_page.goto(thread_url)
        bob_page.locator("#language-select").select_option("fr")
        expect(bob_page.locator("html")).to_have_attribute("lang", "fr")
        nav = bob_page.get_by_role("navigation")
        expect(nav.get_by_role("link", name="Accueil")).to_be_visible()

        assert not problems, "\n".join(problems)
    finally:
        RESULTS_DIR.mkdir(exist_ok=True)
        bob_page.screenshot(path=str(RESULTS_DIR / "browser-bob.png"), full_page=True)
        alice_page.screenshot(path=str(RESULTS_DIR / "browser-alice.png"), full_page=True)

"""Issue 3's story in a real browser: Debian's Chromium, driven by Playwright, against uvicorn.

Alice creates a moderated community; Bob asks to join and Alice approves him from the
community's join requests; Bob writes an article in the community and asks a question
there; Alice answers, Bob accepts the answer; Carol, who reads the interface in French,
finds the article by typing its French title without accents. Everything goes through the
pages, by their labels and buttons, and checks what each person sees.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Page, expect

from conftest import PASSWORD
from tests.conftest import RESULTS_DIR
from tests.live_server import LiveServer
from tests.test_browser import watch_for_errors
from voliere.accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIMEOUT_MS = 10_000
COMMUNITY = "Qualité Lyon"
ARTICLE = "Réunion équipe qualité"
QUESTION = "Comment étalonner le banc de mesure ?"
ANSWER = "Avec la cale étalon de 50 mm, une fois par semaine."


@pytest.fixture
def people(make_user: Callable[..., User]) -> dict[str, User]:
    """Made before the browser starts: Django's ORM cannot run once Playwright's loop does."""
    return {
        "alice": make_user("alice", display_name="Alice Martin"),
        "bob": make_user("bob", display_name="Bob Durand"),
        "carol": make_user("carol", display_name="Carol Petit"),
    }


def log_in(browser: Browser, base: str, handle: str, problems: list[str], locale: str) -> Page:
    page = browser.new_context(locale=locale).new_page()
    page.set_default_timeout(TIMEOUT_MS)
    watch_for_errors(page, problems)
    page.goto(f"{base}/login/")
    page.locator("input[name=identifier]").fill(handle)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page.locator("button", has_text=re.compile("Log out|Se déconnecter"))).to_be_visible()
    return page


def test_moderated_community_article_question_answer_and_french_search(
    people: dict[str, User], browser: Browser, asgi_server: LiveServer
) -> None:
    expect.set_options(timeout=TIMEOUT_MS)
    base = asgi_server.url
    problems: list[str] = []
    alice = log_in(browser, base, "alice", problems, "en-GB")
    bob = log_in(browser, base, "bob", problems, "en-GB")
    carol = log_in(browser, base, "carol", problems, "fr-FR")
    try:
        # Alice creates a moderated community from the directory.
        alice.get_by_role("navigation", name="Main").get_by_role("link", name="Communities").click()
        alice.get_by_role("link", name="Create a community").click()
        alice.get_by_label("Name").fill(COMMUNITY)
        alice.get_by_label("About").fill("Les audits et la métrologie du site de Lyon.")
        alice.get_by_label("Who can join").select_option("moderated")
        alice.get_by_role("button", name="Create").click()
        expect(alice.get_by_role("heading", name=COMMUNITY, exact=True)).to_be_visible()
        expect(alice.locator(".community-header")).to_contain_text("Owner")
        community_url = alice.url

        # Bob finds it in the directory and asks to join.
        bob.goto(f"{base}/communities/")
        bob.get_by_label("Search communities").fill("lyon")
        bob.get_by_role("button", name="Search", exact=True).click()
        bob.get_by_role("link", name=COMMUNITY).first.click()
        expect(bob).to_have_url(community_url)
        bob.get_by_role("button", name=f"Ask to join {COMMUNITY}").click()
        expect(bob.locator(".community-header")).to_contain_text("Request sent")

        # Alice approves him from the join requests.
        alice.goto(community_url)
        alice.get_by_role("link", name=re.compile(r"^Join requests")).click()
        expect(alice.get_by_text("Bob Durand")).to_be_visible()
        alice.get_by_role("button", name="Approve @bob").click()
        expect(alice.get_by_text("No pending requests.")).to_be_visible()

        bob.goto(community_url)
        expect(bob.locator(".community-header")).to_contain_text("Member")
        expect(bob.get_by_role("button", name=f"Leave {COMMUNITY}")).to_be_visible()

        # Bob writes an article in the community.
        bob.get_by_role("navigation", name="Main").get_by_role("link", name="Knowledge").click()
        bob.get_by_role("link", name="Write an article").click()
        bob.get_by_label("Title").fill(ARTICLE)
        bob.get_by_label("Publish in").select_option(label=f"Community: {COMMUNITY}")
        bob.get_by_label("Text (Markdown)").fill(
            "Compte rendu des **réunions** de l'équipe : audits planifiés, étalonnages."
        )
        bob.get_by_label("Tags").fill("qualité, audit")
        bob.get_by_role("button", name="Publish").click()
        expect(bob.get_by_role("heading", name=ARTICLE, exact=True)).to_be_visible()
        expect(bob.locator(".kn-article")).to_contain_text(COMMUNITY)
        expect(bob.locator(".kn-body strong")).to_have_text("réunions")

        # Bob asks a question there.
        bob.get_by_role("navigation", name="Main").get_by_role("link", name="Knowledge").click()
        bob.get_by_role("link", name="Ask a question").click()
        bob.get_by_label("Title").fill(QUESTION)
        bob.get_by_label("Ask in").select_option(label=COMMUNITY)
        bob.get_by_label("Text (Markdown)").fill("Le banc dérive de 0,2 mm après une semaine.")
        bob.get_by_role("button", name="Ask", exact=True).click()
        expect(bob.get_by_role("heading", name=QUESTION)).to_be_visible()
        question_url = bob.url

        # Alice finds it among the unanswered questions and answers.
        alice.get_by_role("navigation", name="Main").get_by_role("link", name="Knowledge").click()
        alice.get_by_role("link", name="Questions", exact=True).click()
        alice.get_by_label("Show").select_option("unanswered")
        alice.get_by_role("button", name="Filter").click()
        alice.get_by_role("link", name=QUESTION).click()
        expect(alice).to_have_url(question_url)
        alice.get_by_label("Your answer (Markdown)").fill(ANSWER)
        alice.get_by_role("button", name="Post the answer").click()
        expect(alice.locator(".kn-answer")).to_contain_text(ANSWER)

        # Bob accepts it: the badge and "Solved" follow, and stay after a reload.
        bob.reload()
        answer = bob.locator(".kn-answer", has_text=ANSWER)
        expect(answer).to_contain_text("Alice Martin")
        answer.get_by_role("button", name="Accept this answer").click()
        expect(answer).to_contain_text("Accepted answer")
        bob.reload()
        expect(bob.get_by_role("heading", name=QUESTION)).to_contain_text("Solved")
        expect(bob.locator(".kn-answer.kn-accepted")).to_contain_text(ANSWER)

        # Carol, in French, types the title without accents in the top bar's search.
        carol.goto(f"{base}/")
        expect(carol.locator("html")).to_have_attribute("lang", "fr")
        carol.get_by_role("searchbox", name="Rechercher").fill("reunion qualite")
        carol.get_by_role("searchbox", name="Rechercher").press("Enter")
        expect(carol).to_have_url(re.compile(r"/search/\?q=reunion\+qualite"))
        found = carol.locator("#search-results-articles")
        expect(found.get_by_role("link", name=ARTICLE)).to_be_visible()
        found.get_by_role("link", name=ARTICLE).click()
        expect(carol.get_by_role("heading", name=ARTICLE, exact=True)).to_be_visible()
        # The question is found the same way, by words without their accents.
        carol.goto(f"{base}/search/?q=etalonner+banc&tab=threads")
        expect(
            carol.locator("#search-results-threads").get_by_role("link", name=QUESTION)
        ).to_be_visible()

        assert not problems, "\n".join(problems)
    finally:
        RESULTS_DIR.mkdir(exist_ok=True)
        for name, page in (("alice", alice), ("bob", bob), ("carol", carol)):
            page.screenshot(path=str(RESULTS_DIR / f"issue3-{name}.png"), full_page=True)

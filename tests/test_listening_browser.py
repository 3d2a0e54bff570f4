"""The listening dashboard in a real browser: Debian's Chromium, driven by Playwright, against
uvicorn.

Alice manages Acme's account. Acme watches its brand and a competitor; a few mentions were
collected (made with the ORM before the browser starts). She opens the dashboard, sees the
charts and their data table, narrows it to negative mentions with the filter form, then
drills down from a top author to the mentions themselves.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from tests.conftest import RESULTS_DIR
from tests.live_server import LiveServer
from tests.test_issue3_browser import log_in
from voliere.accounts.actions import create_organisation
from voliere.accounts.models import User
from voliere.listening.matches import save_matches
from voliere.listening.models import Mention, Topic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIMEOUT_MS = 10_000
ANGRY = "Acme lost my parcel again, third time this month"
HAPPY = "Acme support fixed it in five minutes"


@pytest.fixture
def acme(make_user: Callable[..., User]) -> None:
    """Made before the browser starts: Django's ORM cannot run once Playwright's loop does."""
    alice = make_user("alice", display_name="Alice Martin")
    organisation = create_organisation(handle="acme", display_name="Acme", managers=[alice])
    brand = Topic.objects.create(organisation=organisation, name="Acme", query="acme")
    rival = Topic.objects.create(organisation=organisation, name="Globex", query="globex",
                                 kind="competitor")
    now = timezone.now()

    def mention(number: int, text: str, **fields: object) -> Mention:
        return Mention.objects.create(network="x", external_id=str(number), text=text,
                                      published_at=now - timedelta(hours=number), **fields)

    angry = mention(1, ANGRY, sentiment="negative", lang="en", author_handle="parcel_pam",
                    author_followers=12_000, hashtags=["delivery"])
    happy = mention(2, HAPPY, sentiment="positive", lang="en", author_handle="sam_smiles",
                    author_followers=300)
    other = mention(30, "Globex opens a new store", lang="en", author_handle="globex_news")
    save_matches([(brand.id, angry), (brand.id, happy), (rival.id, other)])


def test_dashboard_filter_and_drill_down(acme: None, browser: Browser,
                                         asgi_server: LiveServer) -> None:
    expect.set_options(timeout=TIMEOUT_MS)
    problems: list[str] = []
    page = log_in(browser, asgi_server.url, "alice", problems, "en-GB")
    page.set_viewport_size({"width": 1280, "height": 1600})

    # The top bar links Listening while she acts as Acme; acting as herself she opens it by
    # its address.
    page.goto(f"{asgi_server.url}/listening/")
    expect(page.get_by_role("heading", name="Volume over time")).to_be_visible()
    expect(page.locator("#volume-chart-caption")).to_contain_text("Matches per day")
    expect(page.locator("svg.chart-svg rect.bar-volume").first).to_be_visible()
    expect(page.locator(".topic-card", has_text="Globex")).to_contain_text("Competitor")
    voice = page.locator("section", has=page.get_by_role("heading", name="Share of voice"))
    expect(voice.get_by_role("row", name="Us (brand topics)")).to_contain_text("66.7 %")
    page.get_by_text("Data table").click()
    expect(page.locator(".chart-table table tbody tr").first).to_be_visible()
    expect(page.locator("#posts-heading + ol")).to_contain_text(HAPPY)
    page.screenshot(path=str(RESULTS_DIR / "listening-dashboard.png"), full_page=True)

    # Only the negative mentions.
    page.get_by_label("Sentiment", exact=True).select_option("negative")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"sentiment=negative"))
    top_posts = page.locator("#posts-heading + ol")
    expect(top_posts).to_contain_text(ANGRY)
    expect(top_posts).not_to_contain_text(HAPPY)
    expect(page.locator(".topic-card", has_text="Acme").locator(".topic-count")).to_contain_text(
        "1")

    # Drill down from the top author to the mentions.
    authors = page.locator("section", has=page.get_by_role("heading", name="Top authors"))
    authors.get_by_role("row", name="@parcel_pam").get_by_role("link", name="1").click()
    expect(page.get_by_role("heading", name="Mentions")).to_be_visible()
    listed = page.locator("ol.mention-list")
    expect(listed).to_contain_text(ANGRY)
    expect(listed).not_to_contain_text(HAPPY)
    expect(page.locator(".filter-chips")).to_contain_text("Author: @parcel_pam")
    expect(page.get_by_label("Sentiment", exact=True)).to_have_value("negative")
    page.screenshot(path=str(RESULTS_DIR / "listening-mentions.png"), full_page=True)
    assert problems == []

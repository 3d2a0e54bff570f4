"""The response inbox in a real browser (Debian's Chromium, Playwright, uvicorn): assign,
reply as the organisation, a refused external reply shown in the card, mark answered —
all swapped in by htmx without reloading the page.

Needs the live server to share the test database (PostgreSQL, or SQLite in a file: the full
suite, or `-p tests.conftest`); the data is made with the ORM before the browser starts.
"""

from __future__ import annotations

import pytest
from django.db import connection
from playwright.sync_api import expect

from tests.conftest import RESULTS_DIR, asgi_server, browser  # noqa: F401 — fixtures
from tests.test_issue3_browser import log_in
from voliere.listening.models import InboxItem, Source
from voliere.listening.tests.test_inbox_helpers import brand_fixture, match_and_route  # noqa: F401
from voliere.posts.actions import publish_post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
COMPLAINT = "Acme is terrible, worst service ever, I hate it."
EXTERNAL = "acme's blog is lying about delivery times"


@pytest.fixture
def shared_database() -> None:
    name = connection.settings_dict.get("TEST", {}).get("NAME") or ""
    if connection.vendor == "sqlite" and (not name or "memory" in name):
        pytest.skip("the live server needs the SQLite test database in a file: run with "
                    "-p tests.conftest, in the full suite, or on PostgreSQL")


@pytest.fixture
def two_items(shared_database, organisation, brand, carol, make_mention) -> None:
    parent = publish_post(carol.account, COMPLAINT)
    # The internal network's ingestion collects and routes the post after commit (the
    # whole pipeline, its sentiment model included).
    assert InboxItem.objects.filter(mention__post=parent).exists()
    source = Source.objects.create(organisation=organisation, kind="rss", name="Blog",
                                   config={"url": "https://example.org/feed"})
    external = make_mention(EXTERNAL, network="rss:blog", source=source, sentiment="negative",
                            author_handle="blogger")
    match_and_route(external, brand)
    assert InboxItem.objects.count() == 2


def test_inbox_actions_without_reload(two_items, listener, browser, asgi_server):  # noqa: F811
    expect.set_options(timeout=10_000)
    problems: list[str] = []
    page = log_in(browser, asgi_server.url, "alice", problems, "en-GB")
    page.goto(f"{asgi_server.url}/listening/acme/inbox/")
    page.evaluate("window.stillTheSamePage = true")
    internal = page.locator("article.inbox-item", has_text=COMPLAINT)
    external = page.locator("article.inbox-item", has_text=EXTERNAL)
    expect(internal).to_contain_text("waiting 0 min")

    internal.get_by_role("button", name="Assign to me").click()
    expect(internal).to_contain_text("Assigned to Alice")
    internal.get_by_label("Reply as Acme").fill("So sorry, we are on it.")
    internal.get_by_role("button", name="Send reply").click()
    expect(internal).to_contain_text("Reply sent.")
    expect(internal.get_by_role("link", name="Reply from the official account")).to_be_visible()
    expect(internal).to_contain_text("@carol So sorry, we are on it.")

    external.get_by_label("Reply as Acme").fill("Not true!")
    external.get_by_role("button", name="Send reply").click()
    expect(external.get_by_role("alert")).to_contain_text("Cannot reply from here")
    external.get_by_role("button", name="Mark answered").click()
    expect(external).to_contain_text("first response after 0 min")
    expect(external).to_contain_text("Marked as answered.")

    assert page.evaluate("window.stillTheSamePage") is True
    page.screenshot(path=str(RESULTS_DIR / "listening-inbox.png"), full_page=True)
    # 4xx answers are expected here (the refused reply); only 5xx and script errors count.
    assert problems == []

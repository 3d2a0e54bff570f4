"""Topic editing in a real browser (Debian's Chromium, Playwright, uvicorn): the live
preview follows the query as it is typed (an error with its marker, then counts and
samples), the topic is created, and its backfill's result shows in the list.

Needs the live server to share the test database (PostgreSQL, or SQLite in a file: the full
suite, or `-p tests.conftest`); the data is made with the ORM before the browser starts.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import RESULTS_DIR, asgi_server, browser  # noqa: F401 — fixtures
from tests.test_issue3_browser import log_in
from voliere.listening.tests.test_inbox_browser import shared_database  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mentions(shared_database, organisation, make_mention) -> None:  # noqa: F811
    make_mention("Acmé Cloud is down again <b>really</b>", network="internal",
                 author_handle="angry", sentiment="negative")
    make_mention("loving the new ACME cloud", network="internal", author_handle="fan",
                 sentiment="positive")
    make_mention("globex is fine", network="internal")


def test_live_preview_then_create(mentions, listener, browser, asgi_server):  # noqa: F811
    expect.set_options(timeout=10_000)
    problems: list[str] = []
    page = log_in(browser, asgi_server.url, "alice", problems, "en-GB")
    page.goto(f"{asgi_server.url}/listening/acme/topics/new/")
    page.get_by_label("Name").fill("Acme Cloud")
    query = page.get_by_label("Query")
    preview = page.locator("#topic-preview")

    query.press_sequentially('"acme cloud" AND (', delay=20)
    expect(preview).to_contain_text("unbalanced parenthesis: '(' at 17 is never closed")
    expect(preview.locator("mark.query-fault")).to_have_text("(")

    query.press_sequentially("down OR loving)", delay=20)
    expect(preview).to_contain_text("2 matches in the last 7 days")
    expect(preview.locator("li.preview-sample")).to_have_count(2)
    expect(preview).to_contain_text("Acmé Cloud is down again <b>really</b>")  # as text
    expect(preview).to_contain_text("@angry")
    page.screenshot(path=str(RESULTS_DIR / "listening-topic-editor.png"), full_page=True)

    page.get_by_role("button", name="Create").click()
    expect(page.locator("#topic-table")).to_contain_text("Acme Cloud")
    # The backfill ran after the commit (immediate task backend in the live server).
    expect(page.locator("#topic-table")).to_contain_text("Up to date (3 posts checked)")
    expect(page.locator("#topic-table td.num")).to_have_text("2")
    # (no ORM here: Playwright's sync API runs an event loop in this thread)
    expect(page.locator("code.topic-query")).to_have_text('"acme cloud" AND (down OR loving)')
    page.screenshot(path=str(RESULTS_DIR / "listening-topics.png"), full_page=True)
    assert problems == []

"""Property: paging a timeline through the API never skips nor repeats a post while new
posts keep arriving between page fetches, walking older (`max_id`, the `next` link) or
newer (`min_id`, the `prev` link)."""

from __future__ import annotations

import re

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voliere.posts.actions import publish_post

pytestmark = pytest.mark.django_db

PROPERTY_SETTINGS = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _link(response, rel: str) -> str | None:
    found = re.search(rf'<http://testserver([^>]+)>; rel="{rel}"', response.get("Link", ""))
    return found.group(1) if found else None


class _Rollback(Exception):
    pass


def _in_savepoint(check) -> None:
    """Run one example in a savepoint rolled back afterwards (examples share the test's
    database transaction)."""
    try:
        with transaction.atomic():
            check()
            raise _Rollback
    except _Rollback:
        pass


@PROPERTY_SETTINGS
@given(
    initial=st.integers(min_value=0, max_value=12),
    limit=st.integers(min_value=1, max_value=5),
    arrivals=st.lists(st.integers(min_value=0, max_value=3), max_size=8),
)
def test_walking_older_sees_each_initial_post_once(api_client, alice, initial, limit, arrivals):
    client = api_client(alice, "read")

    def check() -> None:
        before = [publish_post(alice.account, f"p{n}").id for n in range(initial)]
        url = f"/api/v1/timelines/public?limit={limit}"
        seen: list[int] = []
        step = 0
        while url:
            response = client.get(url)
            assert response.status_code == 200
            seen += [int(s["id"]) for s in response.json()]
            for n in range(arrivals[step] if step < len(arrivals) else 0):
                publish_post(alice.account, f"late {step}.{n}")
            step += 1
            url = _link(response, "next")
            assert step < 50
        first_page_newest = seen[0] if seen else None
        assert len(seen) == len(set(seen)), "a post was repeated"
        assert seen == sorted(seen, reverse=True)
        assert set(before) <= set(seen), "a post was skipped"
        assert all(pk <= first_page_newest for pk in seen)

    _in_savepoint(check)


@PROPERTY_SETTINGS
@given(
    initial=st.integers(min_value=1, max_value=10),
    limit=st.integers(min_value=1, max_value=5),
    arrivals=st.lists(st.integers(min_value=0, max_value=3), min_size=1, max_size=8),
)
def test_walking_newer_sees_every_post_once_in_order(api_client, alice, initial, limit, arrivals):
    client = api_client(alice, "read")

    def check() -> None:
        anchor = publish_post(alice.account, "anchor").id
        created = [publish_post(alice.account, f"p{n}").id for n in range(initial)]
        url = f"/api/v1/timelines/public?limit={limit}&min_id={anchor}"
        seen: list[int] = []
        for step in range(60):
            response = client.get(url)
            assert response.status_code == 200
            page = [int(s["id"]) for s in response.json()]
            assert page == sorted(page, reverse=True)  # newest first within a page
            seen += reversed(page)
            for n in range(arrivals[step] if step < len(arrivals) else 0):
                created.append(publish_post(alice.account, f"late {step}.{n}").id)
            if not page and step >= len(arrivals):
                break
            url = _link(response, "prev") or url
        assert seen == created, "walking newer skipped, repeated or reordered a post"

    _in_savepoint(check)

"""Filters narrow the index look-up itself; orders and pages."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from voliere.communities.actions import create_community
from voliere.core.ids import id_for_time
from voliere.posts.actions import publish_post
from voliere.search.engine import search
from voliere.search.parser import QuerySyntaxError
from voliere.search.tests.helpers import found_ids

pytestmark = pytest.mark.django_db


def test_from_hashtag_and_community(alice, bob):
    club = create_community(alice.account, name="Garden club", slug="garden")
    a1 = publish_post(alice.account, "Tomatoes #garden are ripe")
    a2 = publish_post(alice.account, "Tomatoes in the club", community=club)
    b1 = publish_post(bob.account, "Tomatoes #garden again")
    assert found_ids(bob.account, "tomato from:alice") == [a2.id, a1.id]
    assert found_ids(bob.account, "tomato from:@Alice #garden") == [a1.id]
    assert found_ids(bob.account, "#garden", order="latest") == [b1.id, a1.id]
    assert found_ids(bob.account, "tomatoes in:garden") == [a2.id]
    assert found_ids(bob.account, "from:bob") == [b1.id]
    with pytest.raises(QuerySyntaxError, match="nobody has this handle"):
        search(bob.account, "tomato from:nobody_here")


def test_dates_are_id_ranges(alice, bob):
    from voliere.posts.models import Post

    # An imported post keeps its original date in its time-ordered id (as bulk imports do).
    moment = datetime.datetime(2026, 1, 10, 12, tzinfo=datetime.UTC)
    old = Post.objects.create(
        id=id_for_time(moment, 1),
        author=alice.account,
        text="Snow report",
        conversation_id=id_for_time(moment, 1),
        created_at=moment,
    )
    new = publish_post(alice.account, "Snow again")
    today = timezone.now().date()
    assert found_ids(bob.account, f"snow since:{today}") == [new.id]
    assert found_ids(bob.account, "snow until:2026-01-10") == [old.id]
    assert found_ids(bob.account, "snow since:2026-01-10 until:2026-01-10") == [old.id]
    assert found_ids(bob.account, "snow until:2026-01-09") == []
    assert found_ids(bob.account, f"snow since:{today + datetime.timedelta(days=1)}") == []
    # Filters a kind does not have: nothing from it rather than a wrong answer.
    assert found_ids(bob.account, "alice since:2026-01-01", kind="people") == []
    with pytest.raises(QuerySyntaxError, match="Dates only narrow"):
        search(bob.account, "since:2026-01-01")


def test_relevance_prefers_titles_and_repeated_words_latest_is_newest_first(alice, bob):
    once = publish_post(alice.account, "One mention of otters among many other words here")
    often = publish_post(alice.account, "Otters otters otters")
    warned = publish_post(alice.account, "Plain text body", spoiler_text="Otters ahead")
    assert found_ids(bob.account, "otters", order="latest") == [warned.id, often.id, once.id]
    ranked = found_ids(bob.account, "otters", order="relevance")
    assert ranked[-1] == once.id and set(ranked) == {once.id, often.id, warned.id}


def test_pages_and_since_id(alice, bob):
    ids = [publish_post(alice.account, f"Penguin number {n}").id for n in range(7)]
    newest_first = ids[::-1]
    first = search(bob.account, "penguin", kinds=["posts"], order="latest", limit=3)
    assert [r.object.id for r in first.by_kind["posts"].items] == newest_first[:3]
    assert first.by_kind["posts"].has_more
    last = search(bob.account, "penguin", kinds=["posts"], order="latest", limit=3, offset=6)
    assert [r.object.id for r in last.by_kind["posts"].items] == newest_first[6:]
    assert not last.by_kind["posts"].has_more
    assert found_ids(bob.account, "penguin", order="latest", since_id=ids[4]) == ids[:4:-1]


def _png() -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), "teal").save(buffer, "PNG")
    return SimpleUploadedFile("chart.png", buffer.getvalue(), content_type="image/png")


def test_has_media_follows_attachments(alice, bob):
    from voliere.media.actions import upload_media

    plain = publish_post(alice.account, "Sales chart, text only")
    media = upload_media(alice.account, _png(), description="chart")
    pictured = publish_post(alice.account, "Sales chart attached", media_ids=[media.id])
    assert found_ids(bob.account, "sales chart has:media") == [pictured.id]
    assert set(found_ids(bob.account, "sales chart")) == {plain.id, pictured.id}


def test_unknown_kind_and_order_are_refused(bob):
    from voliere.core.exceptions import InvalidInput

    with pytest.raises(InvalidInput, match="Unknown kind of result: statuses"):
        search(bob.account, "x", kinds=["statuses"])
    with pytest.raises(InvalidInput, match="relevance"):
        search(bob.account, "x", order="oldest")

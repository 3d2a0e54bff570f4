"""Seed the demo company "Acme": one call, one transaction, deterministic, seconds not minutes.

`seed_demo()` does nothing when @acme already exists, so `voliere demo` can call it on
every start. `scale` shrinks or grows the company (1.0: ~300 employees, ~10,000 posts);
the tests use a small one. The same `seed` always gives the same company, relative to `now`.

Rows are written with `bulk_create` and set-based SQL rather than through the actions
(publishing 10,000 posts one by one with fan-out and notification tasks would take
minutes); the seeder therefore computes what the actions would have stored itself: ids
from the creation time, rendered HTML, mentions and hashtags, every denormalized counter,
materialized home timelines and notifications.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from voliere.accounts.models import Account
from voliere.demo.activity import Activity, write_activity
from voliere.demo.bulk import insert_objects, insert_rows
from voliere.demo.cast import Cast, build_cast
from voliere.demo.communities import seed_communities
from voliere.demo.graph import build_follow_graph
from voliere.demo.knowledge import seed_knowledge
from voliere.demo.materialize import fill_home_timelines, notify_demo_logins
from voliere.demo.people import DEMO_LOGINS, DEMO_PASSWORD
from voliere.expertise.demo import seed_expertise
from voliere.listening.demo import seed_listening
from voliere.posts.models import Hashtag, PostHashtag
from voliere.search.indexing import reindex_all

DEFAULT_SEED = 2026


@dataclass(frozen=True, slots=True)
class SeedResult:
    created: bool
    seconds: float
    accounts: int = 0
    follows: int = 0
    posts: int = 0
    likes: int = 0
    timeline_entries: int = 0
    notifications: int = 0


@dataclass(frozen=True, slots=True)
class DemoLogin:
    email: str
    password: str
    description: str


def demo_logins() -> list[DemoLogin]:
    """The accounts printed by `voliere demo` (every employee shares the password)."""
    descriptions = ("an employee (Engineering)", "an administrator",
                    "the community manager, who manages @acme")
    return [DemoLogin(email=email, password=DEMO_PASSWORD, description=text)
            for (_h, email, *_rest), text in zip(DEMO_LOGINS, descriptions, strict=True)]


def demo_exists() -> bool:
    return Account.objects.by_handle("acme").exists()


def seed_demo(*, scale: float = 1.0, seed: int = DEFAULT_SEED,
              now: datetime | None = None) -> SeedResult:
    """Create the demo company unless it exists. All or nothing: one transaction."""
    started = time.perf_counter()
    if demo_exists():
        return SeedResult(created=False, seconds=time.perf_counter() - started)
    rng = random.Random(seed)
    now = now or timezone.now()
    with transaction.atomic():
        cast = build_cast(rng, now, scale=scale)
        ties = build_follow_graph(rng, cast, now)
        activity = write_activity(rng, cast, ties, now, scale=scale)
        _insert_activity(activity)
        seed_communities(rng, cast, activity, now, scale=scale)  # before the counters: posts
        _save_counters(cast)
        entries = fill_home_timelines()
        notifications = notify_demo_logins(cast, ties, activity)
        seed_knowledge(rng, now)  # after communities: some items live in them
        seed_expertise(rng, now)  # after knowledge: routed questions next to the others
        seed_listening(rng, now)  # after the posts: the public ones are collected too
        # Last: the bulk inserts above bypass the signals that keep search in step.
        reindex_all()
    return SeedResult(
        created=True, seconds=time.perf_counter() - started, accounts=len(cast.everyone),
        follows=len(ties), posts=len(activity.posts), likes=len(activity.likes),
        timeline_entries=entries, notifications=notifications,
    )


POST_FIELDS = [
    "id", "author", "text", "content_html", "spoiler_text", "language", "visibility",
    "in_reply_to", "in_reply_to_account", "conversation_id", "reblog_of", "quote_of",
    "created_at", "edited_at", "deleted_at", "replies_count", "reblogs_count", "likes_count",
]


def _insert_activity(activity: Activity) -> None:
    # Parents before replies, originals before reposts: foreign keys hold at every row.
    insert_objects(sorted(activity.posts, key=lambda p: p.id), POST_FIELDS)
    insert_objects(activity.mentions, ["post", "account"])
    names = sorted({name for _post, name in activity.tags})
    Hashtag.objects.bulk_create([Hashtag(name=n) for n in names], ignore_conflicts=True)
    tag_ids = dict(Hashtag.objects.filter(name__in=names).values_list("name", "id"))
    insert_rows(PostHashtag, ["post_id", "hashtag_id"],
                sorted((p, tag_ids[n]) for p, n in set(activity.tags)))
    insert_objects(activity.likes, ["id", "account", "post", "created_at"])
    insert_objects(activity.bookmarks, ["id", "account", "post", "created_at"])


def _save_counters(cast: Cast) -> None:
    Account.objects.bulk_update(
        cast.everyone, ["posts_count", "followers_count", "following_count"], batch_size=500
    )

"""A synthetic Volière instance for benchmarks, written with bulk SQL.

Shape (defaults, see `Shape`): 100,000 accounts, a power-law follow graph (account of
popularity rank k has about `top_followers * k**-follow_exponent` followers: mean ~50
follows per account, a few thousand-follower accounts, and one "star" with exactly
`star_followers`), 1,000,000 posts over 60 days (authors drawn with a Zipf-like
activity, 15% replies, 5% reposts; 75% public, 20% internal, 5% followers-only).

Home timelines are materialized only for the "active users" (the accounts that get a
user and a session), capped at their `TIMELINE_CAP` newest entries: materializing
every home of 1M posts × ~50 followers would be ~50M rows that no benchmark reads.

Must run in a process where Django is set up against the target database (empty,
migrated). Rows go in with COPY on PostgreSQL and batched executemany on SQLite.
"""

from __future__ import annotations

import bisect
import itertools
import random
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connection, transaction

from voliere.core.ids import id_for_time

PASSWORD = "bench passphrase 2026!"  # noqa: S105 — synthetic users only
LOGIN_HANDLES = [f"bench_login_{i}" for i in range(4)]
TIMELINE_CAP = 800
BATCH = 20_000
WORDS = (
    "quarterly roadmap release customer team meeting design review launch update "
    "security incident postmortem onboarding hiring platform data pipeline api docs "
    "coffee office remote sprint demo feedback budget planning metrics dashboard "
    "migration database latency cache deploy rollback feature flag experiment"
).split()
TAGS = ["python", "django", "release", "hiring", "security", "design", "data", "ops"]


@dataclass(frozen=True)
class Shape:
    accounts: int = 100_000
    posts: int = 1_000_000
    top_followers: int = 25_000
    follow_exponent: float = 0.62
    star_followers: int = 10_000
    active_users: int = 1_000
    days: int = 60
    seed: int = 42


@dataclass
class Generated:
    star_id: int
    active_ids: list[int]
    follows: int
    posts: int
    timeline_entries: int
    seconds: float


def _now() -> datetime:
    return datetime.now(tz=UTC).replace(microsecond=0)


def _db_time(moment: datetime) -> Any:
    """Aware datetimes for PostgreSQL; naive UTC text (Django's storage format) for SQLite."""
    if connection.vendor == "postgresql":
        return moment
    return moment.replace(tzinfo=None).isoformat(sep=" ")


def _batches(rows: Iterable[Sequence[Any]], size: int = BATCH) -> Iterator[list[Sequence[Any]]]:
    iterator = iter(rows)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert many rows: COPY on PostgreSQL, executemany in big batches on SQLite."""
    names = ", ".join(columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
        for batch in _batches(rows):
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _reset_sequence(table: str) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )


def _follow_graph(shape: Shape, ids: list[int], rng: random.Random) -> tuple[dict, int]:
    """followee id → list of follower ids; popularity ranks are a random permutation of ids."""
    ranked = ids[:]
    rng.shuffle(ranked)
    followers: dict[int, list[int]] = {}
    star_id = 0
    for rank, followee in enumerate(ranked, start=1):
        wanted = int(shape.top_followers * rank ** -shape.follow_exponent)
        if not star_id and wanted <= shape.star_followers * 1.3:
            star_id, wanted = followee, shape.star_followers
        chosen = rng.sample(ids, min(wanted + 1, len(ids)))
        followers[followee] = [f for f in chosen if f != followee][:wanted]
    return followers, star_id


def _create_login_users() -> list[int]:
    from voliere.accounts.actions import register_person

    ids = []
    for handle in LOGIN_HANDLES:
        user = register_person(
            handle=handle,
            email=f"{handle}@bench.invalid",
            password=PASSWORD,
            display_name=handle.replace("_", " ").title(),
            enforce_signup_policy=False,
        )
        ids.append(user.account_id)
    return ids


def _insert_accounts(shape: Shape, first_id: int, followers: dict, following: dict) -> None:
    created = _db_time(_now() - timedelta(days=shape.days + 30))
    rows = (
        (
            account_id, "person", f"user{account_id}", f"user{account_id}",
            f"User {account_id}", "", "Engineer", "R&D", "Paris", "en", "[]", "", "",
            False, False, created, 0, len(followers[account_id]), following[account_id], None,
        )
        for account_id in range(first_id, shape.accounts + 1)
    )
    insert_rows(
        "accounts_account",
        [
            "id", "kind", "handle", "handle_lower", "display_name", "bio", "job_title",
            "department", "location", "languages", "links", "avatar", "header",
            "employment_verified", "is_suspended", "created_at", "posts_count",
            "followers_count", "following_count", "organisation_id",
        ],
        rows,
    )
    _reset_sequence("accounts_account")


def _insert_follows(followers: dict, created: Any) -> int:
    rows = (
        (follower, followee, created)
        for followee, their_followers in followers.items()
        for follower in their_followers
    )
    return insert_rows("accounts_follow", ["follower_id", "followee_id", "created_at"], rows)


def _post_rows(shape: Shape, ids: list[int], rng: random.Random) -> Iterator[tuple]:
    """Posts oldest first; each may reply to or repost one of the 50,000 before it."""
    activity = ids[:]
    rng.shuffle(activity)
    cumulative = list(itertools.accumulate(r ** -0.7 for r in range(1, len(activity) + 1)))
    total = cumulative[-1]
    start = _now() - timedelta(days=shape.days)
    step = timedelta(days=shape.days) / shape.posts
    post_ids: list[int] = []
    authors: list[int] = []
    conversations: list[int] = []
    for n in range(shape.posts):
        author = activity[bisect.bisect_left(cumulative, rng.random() * total)]
        moment = start + step * n
        post_id = id_for_time(moment, n)
        roll = rng.random()
        reply_to = reblog_of = reply_account = None
        conversation = post_id
        text = " ".join(rng.choices(WORDS, k=rng.randint(8, 30)))
        if rng.random() < 0.2:
            text += f" #{rng.choice(TAGS)}"
        if n > 100 and roll < 0.20:
            parent = rng.randrange(max(0, n - 50_000), n)
            if roll < 0.15:
                reply_to, reply_account = post_ids[parent], authors[parent]
                conversation = conversations[parent]
            else:
                reblog_of, text = post_ids[parent], ""
        visibility = rng.choices(("public", "internal", "followers"), (75, 20, 5))[0]
        post_ids.append(post_id)
        authors.append(author)
        conversations.append(conversation)
        html = f"<p>{text}</p>" if text else ""
        yield (
            post_id, text, html, "", "en", visibility, conversation, _db_time(moment),
            None, None, 0, 0, 0, author, reply_to, reply_account, None, reblog_of,
        )


POST_COLUMNS = [
    "id", "text", "content_html", "spoiler_text", "language", "visibility", "conversation_id",
    "created_at", "edited_at", "deleted_at", "replies_count", "reblogs_count", "likes_count",
    "author_id", "in_reply_to_id", "in_reply_to_account_id", "quote_of_id", "reblog_of_id",
]


def _materialize_homes(owner_ids: list[int]) -> int:
    """Each owner's newest `TIMELINE_CAP` posts by the people they follow (and their own),
    with fan-out's reply rule: a reply to someone else only if the owner follows them too."""
    owners = ", ".join(str(int(i)) for i in owner_ids)
    sql = f"""
        INSERT INTO timelines_timelineentry (owner_id, post_id, author_id, original_author_id)
        SELECT owner_id, post_id, author_id, original_author_id FROM (
            SELECT s.owner_id, p.id AS post_id, p.author_id, r.author_id AS original_author_id,
                   row_number() OVER (PARTITION BY s.owner_id ORDER BY p.id DESC) AS n
            FROM (
                SELECT follower_id AS owner_id, followee_id AS source_id FROM accounts_follow
                WHERE follower_id IN ({owners})
                UNION SELECT id, id FROM accounts_account WHERE id IN ({owners})
            ) s
            JOIN posts_post p ON p.author_id = s.source_id
            LEFT JOIN posts_post r ON r.id = p.reblog_of_id
            WHERE p.visibility <> 'direct' AND (
                p.in_reply_to_account_id IS NULL OR p.in_reply_to_account_id = p.author_id
                OR p.author_id = s.owner_id
                OR EXISTS (SELECT 1 FROM accounts_follow f2 WHERE f2.follower_id = s.owner_id
                           AND f2.followee_id = p.in_reply_to_account_id))
        ) ranked WHERE n <= {TIMELINE_CAP}
    """
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.rowcount


def _create_users(account_ids: list[int]) -> None:
    from django.contrib.auth.hashers import make_password

    password = make_password(PASSWORD)
    joined = _db_time(_now())
    rows = (
        (password, None, False, f"user{aid}@bench.invalid", "member", "en", True, joined, None, aid)
        for aid in account_ids
    )
    insert_rows(
        "accounts_user",
        [
            "password", "last_login", "is_superuser", "email", "role", "language", "is_active",
            "date_joined", "last_seen_at", "account_id",
        ],
        rows,
    )
    _reset_sequence("accounts_user")


def generate(shape: Shape, log: Any = print) -> Generated:
    """Fill an empty, migrated database. Returns what the benchmark needs to know."""
    started = time.perf_counter()
    rng = random.Random(shape.seed)
    if connection.vendor == "sqlite":
        # Index pages of a 5M-row follow table must stay in memory while rows arrive in
        # random order; durability does not matter for data that can be regenerated.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size=-3000000")
            cursor.execute("PRAGMA synchronous=OFF")
    login_ids = _create_login_users()
    ids = list(range(1, shape.accounts + 1))
    assert login_ids == ids[: len(login_ids)], "the database must be empty before generating"
    followers, star_id = _follow_graph(shape, ids, rng)
    following: dict[int, int] = dict.fromkeys(ids, 0)
    for their_followers in followers.values():
        for follower in their_followers:
            following[follower] += 1
    log(f"  follow graph drawn ({time.perf_counter() - started:.0f} s)")
    with transaction.atomic():
        _insert_accounts(shape, len(login_ids) + 1, followers, following)
        with connection.cursor() as cursor:
            for aid in login_ids:
                cursor.execute(
                    "UPDATE accounts_account SET followers_count = %s, following_count = %s "
                    "WHERE id = %s",
                    [len(followers[aid]), following[aid], aid],
                )
        follows = _insert_follows(followers, _db_time(_now() - timedelta(days=shape.days + 1)))
    elapsed = time.perf_counter() - started
    log(f"  {shape.accounts:,} accounts, {follows:,} follows ({elapsed:.0f} s)")
    del followers
    with transaction.atomic():
        posts = insert_rows("posts_post", POST_COLUMNS, _post_rows(shape, ids, rng))
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE accounts_account SET posts_count = (SELECT count(*) FROM posts_post p "
                "WHERE p.author_id = accounts_account.id)"
            )
    log(f"  {posts:,} posts ({time.perf_counter() - started:.0f} s)")
    others = [i for i in ids[len(login_ids):] if i != star_id]
    active = login_ids + rng.sample(others, shape.active_users - len(login_ids))
    with transaction.atomic():
        _create_users(active[len(login_ids):])
        entries = _materialize_homes(active)
    log(f"  {entries:,} timeline entries ({time.perf_counter() - started:.0f} s)")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return Generated(
        star_id=star_id,
        active_ids=active,
        follows=follows,
        posts=posts,
        timeline_entries=entries,
        seconds=time.perf_counter() - started,
    )

"""Ninety days of activity: posts, threads, reposts, direct messages, likes, bookmarks.

Rows are built in memory with their final ids and counters, then inserted in bulk by
`voliere.demo.seed`. Every post's HTML comes from `render_post_text` (with the accounts
already in memory, so no query per post): the demo shows exactly what publishing stores;
counters (posts, replies, reposts, likes) are counted here as rows are made, so they
equal the real counts.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from voliere.accounts.models import Account, AccountKind
from voliere.demo import texts
from voliere.demo.cast import Cast
from voliere.demo.graph import Ties
from voliere.demo.ids import PastIds
from voliere.posts.actions import COUNTED_REPLIES
from voliere.posts.models import Bookmark, Like, Mention, Post, Visibility
from voliere.posts.rendering import render_post_text

DAYS = 90
# Posting by hour of day: office hours, a lunch dip, a little in the evening.
HOUR_WEIGHTS = [1, 0, 0, 0, 0, 1, 2, 5, 9, 12, 12, 10, 6, 8, 11, 11, 10, 8, 5, 4, 3, 3, 2, 1]
SHAREABLE = (Visibility.PUBLIC, Visibility.INTERNAL)


@dataclass
class Activity:
    posts: list[Post] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    tags: list[tuple[int, str]] = field(default_factory=list)  # (post id, hashtag name)
    likes: list[Like] = field(default_factory=list)
    bookmarks: list[Bookmark] = field(default_factory=list)


class _Writer:
    def __init__(self, rng: random.Random, cast: Cast, ties: Ties,
                 now: datetime) -> None:
        self.rng, self.cast, self.now = rng, cast, now
        self.ids = PastIds()
        self.out = Activity()
        self.accounts = {a.id: a for a in cast.everyone}
        self.accounts_by_handle = {
            a.handle_lower: a for a in cast.everyone if not a.is_suspended
        }
        self.followers: dict[int, list[int]] = {}
        self.followees: dict[int, list[int]] = {}
        for a, b in sorted(ties):
            self.followers.setdefault(b, []).append(a)
            self.followees.setdefault(a, []).append(b)
        self.reposted: set[tuple[int, int]] = set()
        self.shareable: list[Post] = []  # public/internal posts, oldest first
        brand = {cast.acme.id, *(a.id for a in cast.affiliates)}
        self.brand = brand
        self.authors = cast.everyone
        self.activity = [self._activity(a) for a in self.authors]

    def _activity(self, account: Account) -> float:
        if account.id == self.cast.acme.id:
            return 40.0
        if account.id in self.brand:
            return 12.0
        if account.kind == AccountKind.ORGANISATION:
            return 4.0
        weight = min(self.rng.paretovariate(1.2), 30.0)
        if account in self.cast.customers:
            weight *= 0.5
        if account in self.cast.logins.values():
            weight = max(weight, 10.0)
        return weight

    def language(self, account: Account) -> str:
        codes = [c for c in account.language_list if c in ("fr", "en")]
        if account.kind != AccountKind.PERSON or not codes:
            return self.rng.choice(("fr", "en"))
        return codes[0] if self.rng.random() < 0.8 else self.rng.choice(("fr", "en"))

    def add(self, author: Account, text: str, *, visibility: str, at: datetime,
            parent: Post | None = None, language: str = "") -> Post:
        rendered = render_post_text(text, accounts_by_handle=self.accounts_by_handle)
        post_id = self.ids.for_time(at)
        post = Post(
            id=post_id, author_id=author.id, text=text, content_html=rendered.html,
            language=language, visibility=visibility, created_at=at,
            in_reply_to_id=parent.id if parent else None,
            in_reply_to_account_id=parent.author_id if parent else None,
            conversation_id=parent.conversation_id if parent else post_id,
        )
        self.out.posts.append(post)
        self.out.mentions.extend(Mention(post_id=post_id, account_id=a.id)
                                 for a in rendered.mentioned)
        self.out.tags.extend((post_id, name[:100]) for name in rendered.hashtags)
        author.posts_count += 1
        if parent is not None and visibility in COUNTED_REPLIES:
            parent.replies_count += 1
        if visibility in SHAREABLE:
            self.shareable.append(post)
        return post

    def repost(self, author: Account, original: Post, at: datetime) -> None:
        if (author.id, original.id) in self.reposted or author.id == original.author_id:
            return
        self.reposted.add((author.id, original.id))
        post_id = self.ids.for_time(at)
        self.out.posts.append(Post(id=post_id, author_id=author.id, reblog_of_id=original.id,
                                   visibility=original.visibility, conversation_id=post_id,
                                   created_at=at))
        original.reblogs_count += 1
        author.posts_count += 1

    def mention_for(self, author: Account) -> str:
        if self.rng.random() < 0.15:
            return self.rng.choice(list(self.cast.logins.values())).handle
        people = [f for f in self.followees.get(author.id, []) if f != author.id]
        pick = self.accounts[self.rng.choice(people)] if people else self.cast.acme
        return pick.handle

    def visibility_for(self, author: Account) -> str:
        roll = self.rng.random()
        if author.kind != AccountKind.PERSON:
            return Visibility.PUBLIC if roll < 0.8 else Visibility.INTERNAL
        if author.organisation_id == self.cast.acme.id:
            return (Visibility.INTERNAL if roll < 0.5
                    else Visibility.PUBLIC if roll < 0.88 else Visibility.FOLLOWERS)
        return Visibility.PUBLIC if roll < 0.85 else Visibility.FOLLOWERS

    def later(self, at: datetime, minutes: float) -> datetime:
        return min(at + timedelta(minutes=minutes), self.now - timedelta(seconds=1))


def _moments(rng: random.Random, now: datetime, count: int) -> list[datetime]:
    moments = []
    while len(moments) < count:
        day = now - timedelta(days=rng.randrange(DAYS))
        if day.weekday() >= 5 and rng.random() < 0.75:
            continue
        hour = rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
        at = day.replace(hour=hour, minute=rng.randrange(60), second=rng.randrange(60),
                         microsecond=rng.randrange(1000) * 1000)
        moments.append(at if at < now else at - timedelta(days=1))
    return sorted(moments)


def write_activity(rng: random.Random, cast: Cast, ties: Ties, now: datetime,
                   *, scale: float) -> Activity:
    writer = _Writer(rng, cast, ties, now)
    for at in _moments(rng, now, max(200, round(10_000 * scale))):
        roll = rng.random()
        if roll < 0.25 and writer.shareable:
            _reply(writer, at)
        elif roll < 0.33 and writer.shareable:
            _repost(writer, at)
        elif roll < 0.37:
            _direct(writer, at)
        else:
            _original(writer, at)
    _likes(writer)
    _bookmarks(writer)
    return writer.out


def _original(w: _Writer, at: datetime) -> None:
    author = w.rng.choices(w.authors, weights=w.activity)[0]
    language = w.language(author)
    text = texts.compose_post(w.rng, language, w.mention_for(author))
    post = w.add(author, text, visibility=w.visibility_for(author), at=at, language=language)
    if author.id == w.cast.acme.id and post.visibility in SHAREABLE:
        for affiliate in w.cast.affiliates:  # the family relays the main account
            if w.rng.random() < 0.6:
                w.repost(affiliate, post, w.later(at, w.rng.uniform(5, 240)))


def _reply(w: _Writer, at: datetime) -> None:
    parent = w.rng.choice(w.shareable[-200:])
    fans = [f for f in w.followers.get(parent.author_id, []) if w.accounts[f].kind == "person"]
    if fans and w.rng.random() < 0.6:
        author = w.accounts[w.rng.choice(fans)]
    else:
        author = w.rng.choice(w.cast.employees)
    language = parent.language or w.language(author)
    to = w.accounts[parent.author_id]
    text = (texts.compose_reply(w.rng, language, to.handle) if to.id != author.id
            else w.rng.choice(texts.REPLIES[language]))
    w.add(author, text, visibility=parent.visibility, at=at, parent=parent, language=language)


def _repost(w: _Writer, at: datetime) -> None:
    recent = [p for p in w.shareable[-300:] if p.in_reply_to_id is None]
    if recent:
        w.repost(w.rng.choice(w.cast.people), w.rng.choice(recent), at)


def _direct(w: _Writer, at: datetime) -> None:
    author = w.rng.choice(w.cast.employees)
    peers = [f for f in w.followees.get(author.id, []) if w.accounts[f].kind == "person"]
    to = w.accounts[w.rng.choice(peers)] if peers else w.rng.choice(w.cast.employees)
    if to.id == author.id:
        return
    language = w.language(author)
    post = w.add(author, texts.compose_direct(w.rng, language, to.handle),
                 visibility=Visibility.DIRECT, at=at, language=language)
    if w.rng.random() < 0.4:
        w.add(to, texts.compose_reply(w.rng, language, author.handle), visibility=Visibility.DIRECT,
              at=w.later(at, w.rng.uniform(2, 90)), parent=post, language=language)


def _likes(w: _Writer) -> None:
    employees = w.cast.employees
    logins = {a.id for a in w.cast.logins.values()}
    for post in list(w.out.posts):
        if post.reblog_of_id or post.visibility == Visibility.DIRECT:
            continue
        wanted = int(w.rng.paretovariate(1.4)) - 1
        if post.author_id in w.brand:
            wanted = wanted * 4 + 2
        if post.author_id in logins:
            wanted += 3
        pool = set(w.followers.get(post.author_id, []))
        if post.visibility in SHAREABLE:
            pool.update(a.id for a in w.rng.sample(employees, k=min(20, len(employees))))
        pool.discard(post.author_id)
        for liker in w.rng.sample(sorted(pool), k=min(wanted, len(pool))):
            at = w.later(post.created_at, w.rng.expovariate(1 / 180))
            w.out.likes.append(Like(id=w.ids.for_time(at), account_id=liker, post_id=post.id,
                                    created_at=at))
            post.likes_count += 1


def _bookmarks(w: _Writer) -> None:
    shareable = [p for p in w.shareable if p.in_reply_to_id is None]
    readers = [*w.cast.logins.values(), *w.rng.sample(w.cast.employees,
                                                      k=min(30, len(w.cast.employees)))]
    seen: set[tuple[int, int]] = set()
    for reader in readers:
        for post in w.rng.sample(shareable, k=min(len(shareable), w.rng.randint(2, 12))):
            if (reader.id, post.id) in seen:
                continue
            seen.add((reader.id, post.id))
            at = w.later(post.created_at, w.rng.uniform(1, 600))
            w.out.bookmarks.append(Bookmark(id=w.ids.for_time(at), account_id=reader.id,
                                            post_id=post.id, created_at=at))

"""Mastodon entities (https://docs.joinmastodon.org/entities/) built from Volière's models.

Models never know Mastodon JSON: every shape is built here (statuses, accounts,
relationships, tags, status edits and sources) or next to its app (polls in
`voliere.polls.entities`, media in `voliere.media.entities`). Ids are strings, datetimes
ISO 8601 UTC with milliseconds, as Mastodon writes them.

Visibility. Volière has four visibilities; Mastodon has four others. Outgoing:

| Volière   | Mastodon   | why                                                               |
|-----------|------------|-------------------------------------------------------------------|
| public    | `public`   | same meaning                                                      |
| internal  | `unlisted` | may be reposted and is kept out of hashtag-less discovery, like   |
|           |            | unlisted; unlike it, never shown to anonymous callers or          |
|           |            | application-only tokens (decided by `visible_to`, not the label)  |
| followers | `private`  | same meaning (followers and mentioned accounts)                   |
| direct    | `direct`   | same meaning                                                      |

Incoming (`POST /api/v1/statuses`): `public` → public, `unlisted` → internal (stricter
than Mastodon: nothing leaves the instance's members), `private` → followers, `direct` →
direct; Volière's own names are accepted too.

Speed. Serializing is batch work: `statuses_json(posts, viewer, request)` costs one
query for the viewer's flags (favourited, reblogged, bookmarked), one for pins and
applications when the viewer wrote some of the posts, one for polls when some post has
one, whatever the page size. What does not depend on the viewer and only changes when a
post is edited (content, mentions, tags, attachments, whether it has a poll) is kept per
process in a bounded LRU keyed by `(post id, edited_at)`: a cold page adds four queries
(mentions, tags, media, polls) for the posts not seen yet, a warm page none. Accounts are
cached by every field they show, the day of their last post by `(id, posts_count)`.
Counts (replies, reblogs, favourites) come from the post row at each request.
The home timeline goes further (`status_cache.render_rows`): the same parts kept as
encoded JSON text and spliced, from raw rows of compiled queries.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from django.db import connection
from django.db.models import OuterRef, Q, Subquery
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils.html import escape, linebreaks

from voliere.accounts.models import Account, Block, Follow, Mute
from voliere.mastodon.models import PostedStatus, StatusPin
from voliere.mastodon.plumbing import iso
from voliere.media.entities import media_attachment_json
from voliere.media.models import MediaAttachment
from voliere.posts.cards import BoundedCache
from voliere.posts.models import (
    Bookmark,
    Like,
    Mention,
    Post,
    PostHashtag,
    PostRevision,
    Visibility,
)

TO_MASTODON = {
    Visibility.PUBLIC: "public",
    Visibility.INTERNAL: "unlisted",
    Visibility.FOLLOWERS: "private",
    Visibility.DIRECT: "direct",
}
FROM_MASTODON = {
    "public": Visibility.PUBLIC,
    "unlisted": Visibility.INTERNAL,
    "private": Visibility.FOLLOWERS,
    "direct": Visibility.DIRECT,
    Visibility.INTERNAL.value: Visibility.INTERNAL,
    Visibility.FOLLOWERS.value: Visibility.FOLLOWERS,
}
# Posts their author may pin (and whose Status carries `pinned`): public and internal.
PINNABLE = (Visibility.PUBLIC, Visibility.INTERNAL)
MISSING_AVATAR = "voliere/mastodon/missing.png"


# --- URLs ------------------------------------------------------------------------------


def base_url(request: HttpRequest) -> str:
    """`https://host` of the request, computed once per request."""
    cached = getattr(request, "_mastodon_base_url", None)
    if cached is None:
        cached = f"{request.scheme}://{request.get_host()}"
        request._mastodon_base_url = cached
    return cached


@lru_cache(maxsize=8)
def _post_path_parts(prefix: str) -> tuple[str, str]:
    marker = 987654321987654321
    before, after = reverse("post", args=[marker]).split(str(marker))
    return before, after


def post_url(base: str, post_id: int) -> str:
    before, after = _post_path_parts(get_script_prefix())
    return f"{base}{before}{post_id}{after}"


@lru_cache(maxsize=4096)
def _profile_path(prefix: str, handle: str) -> str:
    return reverse("profile", args=[handle])


@lru_cache(maxsize=4096)
def _tag_path(prefix: str, name: str) -> str:
    return reverse("hashtag", args=[name])


def tag_json(name: str, request: HttpRequest, *, following: bool | None = None) -> dict[str, Any]:
    """The Tag entity; `history` is empty (Volière keeps no per-day tag statistics here)."""
    data: dict[str, Any] = {
        "name": name,
        "url": base_url(request) + _tag_path(get_script_prefix(), name),
        "history": [],
    }
    if following is not None:
        data["following"] = following
    return data


# --- Accounts --------------------------------------------------------------------------

ACCOUNTS = BoundedCache(4000)
LAST_STATUS = BoundedCache(20000)


def _image_url(base: str, field: Any) -> str:
    return base + (field.url if field else static(MISSING_AVATAR))


def _account_key(account: Account) -> tuple:
    return (
        account.id,
        account.handle,
        account.display_name,
        account.bio,
        account.avatar.name,
        account.header.name,
        account.kind,
        account.created_at,
        account.posts_count,
        account.followers_count,
        account.following_count,
        repr(account.links),
        account.is_suspended,
    )


def _build_account(account: Account, base: str, last_status_at: str | None) -> dict[str, Any]:
    avatar = _image_url(base, account.avatar)
    header = base + account.header.url if account.header else avatar
    data: dict[str, Any] = {
        "id": str(account.id),
        "username": account.handle,
        "acct": account.handle,
        "url": base + _profile_path(get_script_prefix(), account.handle),
        "uri": base + _profile_path(get_script_prefix(), account.handle),
        "display_name": account.display_name,
        "note": linebreaks(escape(account.bio)) if account.bio else "",
        "avatar": avatar,
        "avatar_static": avatar,
        "header": header,
        "header_static": header,
        # Volière has no follow requests: every account can be followed at once.
        "locked": False,
        "fields": [
            {"name": link.get("label", ""), "value": _link_html(link.get("url", "")),
             "verified_at": None}
            for link in (account.links or [])
            if isinstance(link, dict)
        ],
        "emojis": [],
        "bot": False,
        # Organisations speak for many; Mastodon's `group` means something else (a relay).
        "group": False,
        "discoverable": True,
        "indexable": False,
        "hide_collections": False,
        "noindex": False,
        "roles": [],
        "created_at": iso(account.created_at.replace(hour=0, minute=0, second=0, microsecond=0)),
        "last_status_at": last_status_at,
        "statuses_count": account.posts_count,
        "followers_count": account.followers_count,
        "following_count": account.following_count,
    }
    if account.is_suspended:
        data["suspended"] = True
    return data


def _link_html(url: str) -> str:
    shown = escape(url.split("://", 1)[-1])
    return f'<a href="{escape(url)}" rel="nofollow noopener me" target="_blank">{shown}</a>'


def _last_status_days(accounts: Sequence[Account]) -> dict[int, str | None]:
    """The day (`YYYY-MM-DD`) of each account's latest post, one query for the misses."""
    return last_status_days([(a.id, a.posts_count) for a in accounts])


def last_status_days(accounts: Sequence[tuple[int, int]]) -> dict[int, str | None]:
    """`_last_status_days` from `(account id, posts_count)` pairs (cached by both: a new
    or deleted post changes the count, hence the key)."""
    found: dict[int, str | None] = {}
    missing: list[tuple[int, int]] = []
    for pair in accounts:
        hit = LAST_STATUS.get(pair)
        if hit is None:
            missing.append(pair)
        else:
            found[pair[0]] = hit[0]
    if missing:
        # The newest post by id (ids are time-ordered), read from the (author, id DESC)
        # index: MAX(created_at) had to read every post of each author (10 ms a page).
        newest = (
            Post.objects.filter(author_id=OuterRef("pk"), deleted_at__isnull=True)
            .order_by("-id")
            .values("created_at")[:1]
        )
        latest = dict(
            Account.objects.filter(pk__in=[pk for pk, _ in missing])
            .annotate(last=Subquery(newest))
            .values_list("pk", "last")
        )
        for pair in missing:
            last = latest.get(pair[0])
            day = last.date().isoformat() if last else None
            LAST_STATUS.put(pair, (day,))
            found[pair[0]] = day
    return found


def _accounts_map(accounts: Iterable[Account], request: HttpRequest) -> dict[int, dict]:
    """Account entities by id (shared dicts: copy before changing one)."""
    base = base_url(request)
    unique = {a.id: a for a in accounts}
    days = _last_status_days(list(unique.values()))
    result = {}
    prefix = get_script_prefix()
    for account in unique.values():
        key = (base, prefix, _account_key(account), days[account.id])
        data = ACCOUNTS.get(key)
        if data is None:
            data = _build_account(account, base, days[account.id])
            ACCOUNTS.put(key, data)
        result[account.id] = data
    return result


def accounts_json(accounts: Iterable[Account], request: HttpRequest) -> list[dict[str, Any]]:
    """Account entities, in order, in at most one query (the day of the latest posts)."""
    accounts = list(accounts)
    by_id = _accounts_map(accounts, request)
    return [dict(by_id[a.id]) for a in accounts]


def account_json(account: Account, request: HttpRequest) -> dict[str, Any]:
    return accounts_json([account], request)[0]


def credential_account_json(account: Account, request: HttpRequest) -> dict[str, Any]:
    """The CredentialAccount entity: the account plus `source` (the raw profile) and `role`."""
    data = account_json(account, request)
    data["source"] = {
        "privacy": "public",
        "sensitive": False,
        "language": "",
        "note": account.bio,
        "fields": [
            {"name": link.get("label", ""), "value": link.get("url", ""), "verified_at": None}
            for link in (account.links or [])
            if isinstance(link, dict)
        ],
        "follow_requests_count": 0,
        "hide_collections": False,
        "discoverable": True,
        "indexable": False,
    }
    data["role"] = {"id": "-99", "name": "", "permissions": "0", "color": "", "highlighted": False}
    return data


def relationships_json(viewer: Account, accounts: Sequence[Account]) -> list[dict[str, Any]]:
    """Relationship entities of `viewer` with each account, in four queries in all."""
    ids = [a.id for a in accounts]
    following = set(
        Follow.objects.filter(follower=viewer, followee_id__in=ids).values_list(
            "followee_id", flat=True
        )
    )
    followed_by = set(
        Follow.objects.filter(followee=viewer, follower_id__in=ids).values_list(
            "follower_id", flat=True
        )
    )
    blocks = Block.objects.filter(
        Q(blocker=viewer, blocked_id__in=ids) | Q(blocked=viewer, blocker_id__in=ids)
    ).values_list("blocker_id", "blocked_id")
    blocking: set[int] = set()
    blocked_by: set[int] = set()
    for blocker_id, blocked_id in blocks:
        if blocker_id == viewer.id:
            blocking.add(blocked_id)
        else:
            blocked_by.add(blocker_id)
    muting = set(
        Mute.objects.filter(muter=viewer, muted_id__in=ids).values_list("muted_id", flat=True)
    )
    return [
        {
            "id": str(a.id),
            "following": a.id in following,
            "showing_reblogs": a.id in following,
            "notifying": False,
            "languages": None,
            "followed_by": a.id in followed_by,
            "blocking": a.id in blocking,
            "blocked_by": a.id in blocked_by,
            "muting": a.id in muting,
            "muting_notifications": a.id in muting,
            "requested": False,
            "requested_by": False,
            "domain_blocking": False,
            "endorsed": False,
            "note": "",
        }
        for a in accounts
    ]


# --- Statuses --------------------------------------------------------------------------

STATICS = BoundedCache(8000)


def _static_key(base: str, post: Post) -> tuple:
    return (base, get_script_prefix(), post.id, post.edited_at)


def _statics(shown: Sequence[Post], request: HttpRequest) -> dict[int, dict[str, Any]]:
    """The viewer-independent, edit-bound part of each post: cached, or built with one
    query each for mentions, tags, media and polls of the posts not cached yet."""
    base = base_url(request)
    result: dict[int, dict[str, Any]] = {}
    missing: dict[int, Post] = {}
    for post in shown:
        hit = STATICS.get(_static_key(base, post))
        if hit is None:
            missing[post.id] = post
        else:
            result[post.id] = hit
    if not missing:
        return result
    ids = list(missing)
    mentions: dict[int, list] = {pk: [] for pk in ids}
    for post_id, account_id, handle in Mention.objects.filter(post_id__in=ids).values_list(
        "post_id", "account_id", "account__handle"
    ):
        url = base + _profile_path(get_script_prefix(), handle)
        mentions[post_id].append(
            {"id": str(account_id), "username": handle, "url": url, "acct": handle}
        )
    tags: dict[int, list] = {pk: [] for pk in ids}
    for post_id, name in PostHashtag.objects.filter(post_id__in=ids).values_list(
        "post_id", "hashtag__name"
    ):
        tags[post_id].append({"name": name, "url": base + _tag_path(get_script_prefix(), name)})
    media: dict[int, list] = {pk: [] for pk in ids}
    for attachment in MediaAttachment.objects.filter(
        subject_type="posts.post", subject_id__in=ids
    ).order_by("position", "id"):
        media[attachment.subject_id].append(media_attachment_json(attachment, request))
    from voliere.polls.models import Poll

    with_poll = set(Poll.objects.filter(post_id__in=ids).values_list("post_id", flat=True))
    for pk, post in missing.items():
        url = post_url(base, pk)
        static_part = {
            "id": str(pk),
            "created_at": iso(post.created_at),
            "in_reply_to_id": str(post.in_reply_to_id) if post.in_reply_to_id else None,
            "in_reply_to_account_id": (
                str(post.in_reply_to_account_id) if post.in_reply_to_account_id else None
            ),
            "sensitive": bool(post.spoiler_text),
            "spoiler_text": post.spoiler_text,
            "visibility": TO_MASTODON.get(post.visibility, "private"),
            "language": post.language or None,
            "uri": url,
            "url": url,
            "edited_at": iso(post.edited_at),
            "content": post.content_html,
            "media_attachments": media[pk],
            "mentions": mentions[pk],
            "tags": sorted(tags[pk], key=lambda t: t["name"]),
            "has_poll": pk in with_poll,
        }
        STATICS.put(_static_key(base, post), static_part)
        result[pk] = static_part
    return result


def _viewer_flags(viewer: Account, ids: set[int]) -> tuple[set[int], set[int], set[int]]:
    """Liked, bookmarked and reposted post ids among `ids`, in one query (a UNION).

    Written as SQL: building the same UNION with the ORM costs ≈ 1 ms of Python per page
    (three querysets compiled), more than the whole rest of a warm page's serializing."""
    marks = ", ".join(["%s"] * len(ids))
    ordered = list(ids)
    like, bookmark, post = Like._meta.db_table, Bookmark._meta.db_table, Post._meta.db_table
    # Table names come from model metadata and every value is a bound parameter.
    sql = " UNION ALL ".join([
        f"SELECT post_id, 1 FROM {like} WHERE account_id = %s AND post_id IN ({marks})",  # noqa: S608
        f"SELECT post_id, 2 FROM {bookmark} WHERE account_id = %s AND post_id IN ({marks})",  # noqa: S608
        f"SELECT reblog_of_id, 3 FROM {post} WHERE author_id = %s AND reblog_of_id IN ({marks})",  # noqa: S608
    ])
    params = [viewer.id, *ordered, viewer.id, *ordered, viewer.id, *ordered]
    found: dict[int, set[int]] = {1: set(), 2: set(), 3: set()}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for post_id, kind in cursor.fetchall():
            found[kind].add(post_id)
    return found[1], found[2], found[3]


def _own_extras(viewer: Account, own_ids: list[int]) -> tuple[set[int], dict[int, dict]]:
    """Which of the viewer's own posts are pinned, and the application each came from."""
    if not own_ids:
        return set(), {}
    pinned = set(
        StatusPin.objects.filter(account=viewer, post_id__in=own_ids).values_list(
            "post_id", flat=True
        )
    )
    apps = {
        post_id: {"name": name, "website": website or None}
        for post_id, name, website in PostedStatus.objects.filter(
            post_id__in=own_ids, application__isnull=False
        ).values_list("post_id", "application__name", "application__website")
    }
    return pinned, apps


def statuses_json(
    posts: Iterable[Post], viewer: Account | None, request: HttpRequest
) -> list[dict[str, Any]]:
    """Status entities for posts `viewer` may see (from `visible_to(...).for_display()`),
    in order; a repost wraps its original in `reblog`, as Mastodon does.

    Viewer flags (`favourited`, `reblogged`, `bookmarked`, `muted`, `filtered`, and
    `pinned` on the viewer's own posts) are present only for a signed-in viewer; a repost
    carries its original's flags. Queries: see the module docstring.

    Each status is a fresh dict, but nested values (`account`, `mentions`, `tags`,
    `media_attachments`) are shared with the per-process cache: encode them, never
    change them in place.
    """
    from voliere.polls.entities import polls_json

    posts = list(posts)
    if not posts:
        return []
    shown = [p.reblog_of if p.reblog_of_id else p for p in posts]
    statics = _statics(shown, request)
    accounts = _accounts_map([p.author for p in posts] + [p.author for p in shown], request)
    polls = polls_json([p for p in shown if statics[p.id]["has_poll"]], viewer)
    liked = bookmarked = reposted = pinned = frozenset()
    apps: dict[int, dict] = {}
    if viewer is not None:
        liked, bookmarked, reposted = _viewer_flags(viewer, {p.id for p in shown})
        own = [p.id for p in shown if p.author_id == viewer.id and p.visibility in PINNABLE]
        pinned, apps = _own_extras(viewer, own)

    def build(post: Post) -> dict[str, Any]:
        data = dict(statics[post.id])
        del data["has_poll"]
        data["account"] = accounts[post.author_id]
        data["replies_count"] = post.replies_count
        data["reblogs_count"] = post.reblogs_count
        data["favourites_count"] = post.likes_count
        data["reblog"] = None
        data["emojis"] = []
        data["card"] = None
        data["poll"] = polls.get(post.id)
        if viewer is not None:
            data["favourited"] = post.id in liked
            data["reblogged"] = post.id in reposted
            data["bookmarked"] = post.id in bookmarked
            data["muted"] = False
            data["filtered"] = []
            if post.author_id == viewer.id and post.visibility in PINNABLE:
                data["pinned"] = post.id in pinned
                data["application"] = apps.get(post.id)
        return data

    result = []
    for post, original in zip(posts, shown, strict=True):
        inner = build(original)
        if post is original:
            result.append(inner)
            continue
        outer = dict(inner)
        outer.update(
            id=str(post.id),
            created_at=iso(post.created_at),
            account=accounts[post.author_id],
            uri=post_url(base_url(request), post.id),
            url=None,
            in_reply_to_id=None,
            in_reply_to_account_id=None,
            content="",
            spoiler_text="",
            sensitive=False,
            edited_at=None,
            media_attachments=[],
            mentions=[],
            tags=[],
            poll=None,
            reblog=inner,
        )
        outer.pop("pinned", None)
        outer.pop("application", None)
        result.append(outer)
    return result


def status_json(post: Post, viewer: Account | None, request: HttpRequest) -> dict[str, Any]:
    return statuses_json([post], viewer, request)[0]


# --- Edits, sources, contexts ----------------------------------------------------------


def status_source_json(post: Post) -> dict[str, Any]:
    """The StatusSource entity: what to put back in the composer to edit."""
    return {"id": str(post.id), "text": post.text, "spoiler_text": post.spoiler_text}


def status_history_json(post: Post, request: HttpRequest) -> list[dict[str, Any]]:
    """StatusEdit entities, oldest first, the current version last (Mastodon's order).

    Each revision's content is rendered again from its text with today's rules (the
    stored revisions keep text, not HTML)."""
    from voliere.posts.rendering import render_post_text

    account = account_json(post.author, request)
    media = _statics([post], request)[post.id]["media_attachments"]
    versions = [
        (r.text, r.spoiler_text, r.created_at)
        for r in PostRevision.objects.filter(post=post).order_by("created_at", "id")
    ]
    versions.append((None, post.spoiler_text, post.edited_at or post.created_at))
    return [
        {
            "content": post.content_html if text is None else render_post_text(text).html,
            "spoiler_text": spoiler,
            "sensitive": bool(spoiler),
            "created_at": iso(created_at),
            "account": account,
            "poll": None,
            "media_attachments": media,
            "emojis": [],
        }
        for text, spoiler, created_at in versions
    ]


def notifications_json(
    notifications: Iterable[Any], viewer: Account, request: HttpRequest
) -> list[dict[str, Any]]:
    """Notification entities: built by `voliere.mastodon.notifications` (which imports this
    module, hence the late import); here so every entity has one address."""
    from voliere.mastodon.notifications import notifications_json as build

    return build(notifications, viewer, request)


def clear_caches() -> None:
    """Forget every cached piece (tests that count queries start from a known state)."""
    from voliere.mastodon import status_cache

    for cache in (ACCOUNTS, LAST_STATUS, STATICS):
        cache.clear()
    status_cache.clear_caches()


__all__ = [
    "FROM_MASTODON",
    "TO_MASTODON",
    "account_json",
    "accounts_json",
    "base_url",
    "clear_caches",
    "credential_account_json",
    "notifications_json",
    "relationships_json",
    "status_history_json",
    "status_json",
    "status_source_json",
    "statuses_json",
    "tag_json",
]

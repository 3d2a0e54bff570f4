"""What `GET /api/v2/search` (and v1) finds: accounts, statuses and hashtags.

Every result passes the same permission rules as the web: statuses through
`visible_to` (and the viewer's mutes), accounts minus suspended ones and anyone on the
other side of a block, hashtags by name only (a hashtag reveals no post). Anonymous
callers may search accounts and hashtags but not statuses (as Mastodon, which needs a
signed-in user for full-text status search).

`resolve=true` on a local instance means: an `@handle` (optionally `@handle@this-host`)
or a link to a local profile or post is looked up exactly and put first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlparse

from django.db.models import Exists, OuterRef, Q

from voliere.accounts.models import Account, Block, Follow
from voliere.core.exceptions import InvalidInput
from voliere.posts.models import Hashtag, Post
from voliere.search import engine
from voliere.search.parser import QuerySyntaxError

KINDS = ("accounts", "statuses", "hashtags")
MAX_LIMIT = 40
MAX_OFFSET = 10_000
# Full-text without an index scans posts: the fallback only looks at the newest ones.
_POST_PATH = re.compile(r"^/posts/(\d{1,19})/?$")
_PROFILE_PATH = re.compile(r"^/@([A-Za-z0-9_]{1,30})/?$")


@dataclass(frozen=True)
class SearchQuery:
    q: str
    kind: str | None = None  # one of KINDS, or None for all three
    limit: int = 20
    offset: int = 0
    resolve: bool = False
    following: bool = False
    account_id: int | None = None


@dataclass
class SearchResults:
    accounts: list[Account] = field(default_factory=list)
    statuses: list[Post] = field(default_factory=list)
    hashtags: list[str] = field(default_factory=list)


def parse_query(params, *, host: str) -> SearchQuery:
    """Validate the query string; InvalidInput names the parameter at fault."""
    q = (params.get("q") or "").strip()
    if not q:
        raise InvalidInput("q must not be empty", field="q")
    if len(q) > 500:
        raise InvalidInput("q is longer than 500 characters", field="q")
    kind = params.get("type") or None
    if kind is not None and kind not in KINDS:
        raise InvalidInput(f"type must be one of {', '.join(KINDS)}", field="type")
    limit = _whole(params.get("limit"), "limit", default=20, low=1)
    offset = _whole(params.get("offset"), "offset", default=0, low=0)
    if offset > MAX_OFFSET:
        raise InvalidInput(f"offset must be at most {MAX_OFFSET}", field="offset")
    account_id = params.get("account_id") or None
    return SearchQuery(
        q=q,
        kind=kind,
        limit=min(limit, MAX_LIMIT),
        offset=offset,
        resolve=_truthy(params.get("resolve")),
        following=_truthy(params.get("following")),
        account_id=_whole(account_id, "account_id", default=0, low=0) if account_id else None,
    )


def _whole(raw, name: str, *, default: int, low: int) -> int:
    if raw in (None, ""):
        return default
    text = str(raw)
    if not (text.isascii() and text.isdigit()) or len(text) > 19 or int(text) < low:
        raise InvalidInput(f"{name} must be a whole number ≥ {low}, got {raw!r}", field=name)
    return int(text)


def _truthy(raw) -> bool:
    return str(raw).lower() in ("1", "true", "yes", "on")


def search(viewer: Account | None, query: SearchQuery, *, host: str) -> SearchResults:
    results = SearchResults()
    if query.kind in (None, "accounts"):
        results.accounts = _accounts(viewer, query, host)
    if query.kind in (None, "statuses") and viewer is not None:
        results.statuses = _statuses(viewer, query, host)
    if query.kind in (None, "hashtags") and not query.account_id:
        results.hashtags = _hashtags(query)
    return results


def _blocked_either_way(viewer: Account, ref: str) -> Exists:
    return Exists(
        Block.objects.filter(
            Q(blocker=viewer, blocked=OuterRef(ref)) | Q(blocker=OuterRef(ref), blocked=viewer)
        )
    )


def _resolved_handle(q: str, host: str) -> str | None:
    parsed = urlparse(q)
    if parsed.scheme in ("http", "https"):
        if parsed.hostname != host.split(":")[0]:
            return None
        match = _PROFILE_PATH.match(parsed.path)
        return match.group(1) if match else None
    parts = q.lstrip("@").split("@")
    if len(parts) == 2 and parts[1].lower() != host.split(":")[0].lower():
        return None  # another server: no federation yet
    return parts[0] if re.fullmatch(r"[A-Za-z0-9_]{1,30}", parts[0]) else None


def _accounts(viewer: Account | None, query: SearchQuery, host: str) -> list[Account]:
    qs = Account.objects.active()
    if viewer is not None:
        qs = qs.exclude(_blocked_either_way(viewer, "pk"))
        if query.following:
            qs = qs.filter(Exists(Follow.objects.filter(follower=viewer, followee=OuterRef("pk"))))
    exact: list[Account] = []
    handle = _resolved_handle(query.q, host) if query.resolve or query.q.startswith("@") else None
    if handle:
        exact = list(qs.by_handle(handle)[:1])
    if query.q.startswith("@"):
        name, _, domain = query.q.lstrip("@").partition("@")
        if domain and domain.lower() != host.split(":")[0].lower():
            return []  # an account on another server: no federation yet
        term = name
    else:
        term = query.q
    matches = qs.filter(
        Q(handle_lower__startswith=term.lower()) | Q(display_name__icontains=term)
    ).order_by("-followers_count", "id")
    if exact:
        matches = matches.exclude(pk=exact[0].pk)
    if query.offset:
        return list(matches[query.offset - len(exact) : query.offset + query.limit - len(exact)])
    return exact + list(matches[: query.limit - len(exact)])


def _statuses(viewer: Account, query: SearchQuery, host: str) -> list[Post]:
    visible = Post.objects.visible_to(viewer).not_muted_by(viewer).filter(reblog_of__isnull=True)
    if query.account_id:
        visible = visible.filter(author_id=query.account_id)
    if query.following:
        followed = Follow.objects.filter(follower=viewer).values("followee")
        visible = visible.filter(Q(author__in=followed) | Q(author=viewer))
    parsed = urlparse(query.q)
    if query.resolve and parsed.scheme in ("http", "https"):
        match = _POST_PATH.match(parsed.path)
        if parsed.hostname != host.split(":")[0] or not match:
            return []
        return list(visible.for_display().filter(pk=int(match.group(1))))
    return find_statuses(
        visible, query.q, limit=query.limit, offset=query.offset, viewer=viewer
    )


def find_statuses(visible, text: str, *, limit: int, offset: int, viewer: Account) -> list[Post]:
    """Full-text step: Volière's search engine (accent-insensitive, stemmed, the same
    permission rules as the web search), then the API's own narrowing (`visible`: mutes,
    `account_id`, `following`, no reposts), keeping the engine's order.

    Text the search syntax cannot read (an unbalanced quote, a stray `:`) is what an app
    user typed, not a query they meant: it is searched again as plain words.
    """
    try:
        found = engine.search(viewer, text, kinds=["posts"], limit=limit, offset=offset)
    except QuerySyntaxError:
        words = _PLAIN_WORDS.sub(" ", text).strip()
        if not words or words == text:
            return []
        return find_statuses(visible, words, limit=limit, offset=offset, viewer=viewer)
    ids = [result.object.id for result in found.by_kind["posts"].items]
    by_id = {post.id: post for post in visible.filter(pk__in=ids).for_display()}
    return [by_id[pk] for pk in ids if pk in by_id]


# Everything but letters, digits, `#` and `@` (search syntax has no meaning in plain words).
_PLAIN_WORDS = re.compile(r"[^\w#@]+")


def _hashtags(query: SearchQuery) -> list[str]:
    term = query.q.lstrip("#").casefold()
    if not term:
        return []
    names = Hashtag.objects.filter(name__startswith=term).order_by("name").values_list(
        "name", flat=True
    )
    return list(names[query.offset : query.offset + query.limit])

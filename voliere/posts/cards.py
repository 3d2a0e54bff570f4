"""Post cards drawn cheaply: per-post links without `reverse()`, and the viewer-independent
part of a card rendered once per process.

A card is two parts. The *body* (repost line, author header, reply context, content,
quote) is the same for every viewer who gets the post from the visibility query, so it is
rendered once and kept in a bounded in-process LRU. Its key is the tuple of every value
the body shows (ids, names, handles, avatar, visibility, edit time, spoiler, language,
content, community, and which quote, if any, this viewer may see), plus the active
language and URL prefix: an edit, a new display name or a quote that becomes invisible
gives a new key, so a stale body can never be served. The cache decides nothing about
visibility: it is only asked for posts that `visible_to(viewer)` already returned, and a
quote is drawn only when `decorate_for_viewer` found it visible to this viewer (the key
says which).

The relative time ("5 min") changes while the body does not, so it is cut out of the
cached markup and drawn at each request.

The *action bar* depends on the viewer, so it is not cached per post. Its markup, though,
takes one of a few dozen shapes, one per (language, signed in or not, visibility, liked,
bookmarked, reposted, own post): `posts/_actions.html` is rendered once per shape with
marked slots in place of the values (post id, links, counts, `next`, CSRF token), and each
card fills the slots with its values, escaped as the template would have escaped them.
`tests/test_cards.py` checks that this gives exactly the template's output in every shape.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.template import Context
from django.template.loader import get_template
from django.urls import get_script_prefix, reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from voliere.core.templatetags.voliere_ui import time_ago
from voliere.posts.models import Post

if TYPE_CHECKING:
    from voliere.accounts.models import Account

# Any id that cannot appear elsewhere in a URL: reversed once, then replaced by real ids.
_ID_SLOT = 987654321987654321

_POST_URL_NAMES = (
    "post",
    "post_edit",
    "post_delete",
    "post_like",
    "post_unlike",
    "post_repost",
    "post_unrepost",
    "post_bookmark",
    "post_unbookmark",
)


@lru_cache(maxsize=8)
def _url_patterns(prefix: str) -> dict[str, tuple[str, str]]:
    """`name -> (before id, after id)` for the post URLs, per script prefix."""
    patterns = {}
    for name in _POST_URL_NAMES:
        before, after = reverse(name, args=[_ID_SLOT]).split(str(_ID_SLOT))
        patterns[name] = (before, after)
    patterns["compose"] = (reverse("compose") + "?quote_of=", "")
    return patterns


@dataclass(frozen=True, slots=True)
class PostLinks:
    """The URLs of one post's card for one viewer. `repost`, `like` and `bookmark` point
    to the undo URL when the viewer already did it (the toggle's next action)."""

    post: str
    quote: str
    edit: str
    delete: str
    repost: str
    like: str
    bookmark: str


def post_links(post: Post) -> PostLinks:
    """Links of a decorated post (`viewer_reposted`, `viewer_liked`, `viewer_bookmarked`
    set); the same strings `reverse()` gives, built by concatenation."""
    patterns = _url_patterns(get_script_prefix())
    pk = str(post.id)

    def url(name: str) -> str:
        before, after = patterns[name]
        return before + pk + after

    return PostLinks(
        post=url("post"),
        quote=url("compose"),
        edit=url("post_edit"),
        delete=url("post_delete"),
        repost=url("post_unrepost" if post.viewer_reposted else "post_repost"),
        like=url("post_unlike" if post.viewer_liked else "post_like"),
        bookmark=url("post_unbookmark" if post.viewer_bookmarked else "post_bookmark"),
    )


@lru_cache(maxsize=4096)
def _profile_url(prefix: str, handle: str) -> str:
    return reverse("profile", args=[handle])


def profile_url(account: Account) -> str:
    """`account.get_absolute_url()`, memoized per handle."""
    return _profile_url(get_script_prefix(), account.handle)


class BoundedCache:
    """A thread-safe least-recently-used dict of at most `size` entries."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._data: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        return len(self._data)


# ≈ 2–6 KiB per entry: 2,000 entries bound the cache to ≈ 10 MiB per process.
BODIES = BoundedCache(2000)

# Stands for the `<time>` element while the body is rendered; never in user content
# (content is escaped, and NUL is not allowed in posts).
_TIME_SLOT = "\x00time\x00"


def _account_key(account: Account | None) -> tuple | None:
    if account is None:
        return None
    return (account.id, account.handle, account.display_name, account.avatar.name)


def _body_key(post: Post) -> tuple:
    p = post.shown
    quote = p.visible_quote
    return (
        get_language(),
        get_script_prefix(),
        post.id,
        _account_key(post.author) if post.reblog_of_id else None,
        p.id,
        _account_key(p.author),
        p.visibility,
        p.edited_at,
        p.in_reply_to_account_id,
        _account_key(p.in_reply_to_account) if p.in_reply_to_account_id else None,
        p.spoiler_text,
        p.language,
        p.content_html,
        p.quote_of_id,
        # Attachments: a new alt text or focal point gives a new key.
        tuple(
            (m.id, m.description, m.focus_x, m.focus_y)
            for m in getattr(p, "media_attachments", ())
        ),
        # The "in <community>" label: a renamed community gives a new key.
        (p.community.slug, p.community.name) if p.community_id else None,
        None
        if quote is None
        else (quote.id, _account_key(quote.author), quote.spoiler_text, quote.content_html),
    )


def card_body(post: Post) -> SafeString:
    """The viewer-independent part of `post`'s card (a decorated post, not deleted)."""
    key = _body_key(post)
    parts = BODIES.get(key)
    if parts is None:
        html = get_template("posts/_card_body.html").render(
            {"post": post, "p": post.shown, "time_slot": mark_safe(_TIME_SLOT)}  # noqa: S308
        )
        # partition: the first slot is ours (user text is escaped before it, but a stray
        # marker in a name must not break the page).
        before, _slot, after = html.partition(_TIME_SLOT)
        parts = (before, after)
        BODIES.put(key, parts)
    return mark_safe(parts[0] + time_ago(post.shown.created_at) + parts[1])  # noqa: S308


# The action bar ---------------------------------------------------------------------------

BARS = BoundedCache(1024)

_LINK_FIELDS = PostLinks.__dataclass_fields__.keys()
_COUNT_FIELDS = ("replies_count", "reblogs_count", "likes_count")


def _slot(name: str) -> str:
    return f"\x00{name}\x00"


def _bar_format(key: tuple, csrf_token) -> str:
    """`posts/_actions.html` in the shape `key`, as a `str.format` pattern whose fields
    are the slots: `id`, the count fields, `link_<name>`, `back` and `csrf`."""
    _language, _prefix, signed_in, visibility, liked, bookmarked, reposted, is_author, csrf = key
    shape = Post(visibility=visibility)
    shape.id = _slot("id")
    for name in _COUNT_FIELDS:
        setattr(shape, name, _slot(name))
    shape.viewer_liked, shape.viewer_bookmarked = liked, bookmarked
    shape.viewer_reposted, shape.viewer_is_author = reposted, is_author
    shape.links = PostLinks(**{name: _slot(f"link_{name}") for name in _LINK_FIELDS})
    html = get_template("posts/_actions.html").render(
        {
            "p": shape,
            "viewer": signed_in,
            "next": _slot("back"),
            # Read only as the fallback of `next` (a filter argument is always resolved).
            "request": {"get_full_path": ""},
            "csrf_token": _slot("csrf") if csrf else csrf_token,
        }
    )
    pattern = html.replace("{", "{{").replace("}", "}}")
    for name in ("id", *_COUNT_FIELDS, *(f"link_{n}" for n in _LINK_FIELDS), "back", "csrf"):
        pattern = pattern.replace(_slot(name), "{" + name + "}")
    if "\x00" in pattern:
        raise ValueError("posts/_actions.html shows a value that is not a slot")
    return pattern


def _number(value: int) -> str:
    """An integer as `{{ value }}` draws it: `localize()` gives plain digits unless
    thousand separators are on (and `localize()` is slow: a few µs per call)."""
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    return conditional_escape(localize(value))


def action_bar(context: Context, p: Post) -> SafeString:
    """`{% include "posts/_actions.html" %}` for the decorated post `p` in `context`
    (reads `viewer`, `next`, `request` and `csrf_token` there), without rendering it."""
    csrf_token = context.get("csrf_token")
    # Django's marker for "no token", where {% csrf_token %} draws nothing.
    csrf = bool(csrf_token) and csrf_token != "NOTPROVIDED"  # noqa: S105
    key = (
        get_language(),
        get_script_prefix(),
        bool(context.get("viewer")),
        p.visibility,
        p.viewer_liked,
        p.viewer_bookmarked,
        p.viewer_reposted,
        p.viewer_is_author,
        csrf,
    )
    pattern = BARS.get(key)
    if pattern is None:
        pattern = _bar_format(key, csrf_token)
        BARS.put(key, pattern)
    back = context.get("next")
    if not back:
        request = context.get("request")
        back = request.get_full_path() if request is not None else ""
    values = {
        "id": _number(p.id),
        "back": conditional_escape(back),
        "csrf": conditional_escape(csrf_token) if csrf else "",
    }
    for name in _COUNT_FIELDS:
        values[name] = _number(getattr(p, name))
    links = p.links
    for name in _LINK_FIELDS:
        values[f"link_{name}"] = conditional_escape(getattr(links, name))
    return mark_safe(pattern.format_map(values))  # noqa: S308

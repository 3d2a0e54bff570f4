"""The search API other apps call (pages, the Mastodon `/api/v2/search`, the expertise
finder):

    search(viewer, "réunion from:alice lang:fr", kinds=["posts"], order="latest")

How one kind is searched:

1. The query is parsed (`parser.parse`; bad syntax raises `QuerySyntaxError`, a 400) and
   `from:`/`in:` are resolved to ids the viewer may know (unknown and hidden alike give
   the same error, so a secret community's name cannot be probed).
2. The index returns matches newest first, filters included (`documents.MatchQuery`).
3. Each batch of matches is narrowed to what the viewer may see by the owning app's
   permission code (`SearchKind.visible`: `Post.objects.visible_to`, ...), so neither an
   item, a snippet nor a count of something hidden is ever shown.

Ordering. "latest" walks the index newest first. "relevance" ranks (BM25 in Python on
SQLite, see `ranking`; ts_rank on PostgreSQL; titles weigh more) the RELEVANCE_WINDOW
newest matches: a rare
word is ranked over all its matches; a word found in hundreds of thousands of posts is
ranked over its 500 most recent, which keeps every search within its 100 ms budget
and favours what is current — the point of following an event as it happens.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from voliere.core.exceptions import InvalidInput
from voliere.core.ids import lowest_id_at
from voliere.search import backends, snippets
from voliere.search.documents import (
    META_MEDIA,
    META_VALIDATED,
    MatchQuery,
    meta_author,
    meta_community,
    meta_language,
    meta_tag,
)
from voliere.search.kinds import SearchKind, hashtags, registered
from voliere.search.parser import ParsedQuery, QuerySyntaxError, parse

if TYPE_CHECKING:
    from voliere.accounts.models import Account

Order = Literal["relevance", "latest"]
ORDERS = ("relevance", "latest")
HASHTAGS = "hashtags"
RELEVANCE_WINDOW = 500
MAX_LIMIT = 40
MAX_OFFSET = 500
# Rounds of "next batch of matches, keep the visible ones" before giving up on a page:
# bounds the work for a viewer who may see almost none of a huge match set.
MAX_ROUNDS = 6


@dataclass
class Result:
    kind: str
    object: Any  # Post, Account, Community, Article, Thread or Hashtag
    url: str
    title: SafeString
    snippet: SafeString
    date: datetime.datetime | None
    score: float = 0.0


@dataclass
class KindResults:
    kind: str
    items: list[Result] = field(default_factory=list)
    has_more: bool = False


@dataclass
class SearchResults:
    """Results per kind, in the order of `kinds`. `newest_post_id` is the highest post id
    among the post results, the `since_id` of the next live update."""

    query: str
    parsed: ParsedQuery
    order: Order
    by_kind: dict[str, KindResults]

    @property
    def items(self) -> list[Result]:
        return [item for found in self.by_kind.values() for item in found.items]

    @property
    def newest_post_id(self) -> int | None:
        posts = self.by_kind.get("posts")
        return max((r.object.id for r in posts.items), default=None) if posts else None


def kind_names() -> list[str]:
    """Every kind a search can cover, in tab order."""
    names = list(registered())
    names.insert(min(2, len(names)), HASHTAGS)
    return names


def search(
    viewer: Account | None,
    query: str,
    *,
    kinds: list[str] | None = None,
    order: Order = "relevance",
    limit: int = 20,
    offset: int = 0,
    since_id: int | None = None,
) -> SearchResults:
    """Search `query` for `viewer` (None: an anonymous visitor) in `kinds` (default: all).

    `limit` results per kind (1–40) after skipping `offset` (≤ 500); `since_id` keeps
    only items with a larger id (live updates of posts). Raises QuerySyntaxError (a
    subclass of InvalidInput) with a message naming what is wrong and where.
    """
    if order not in ORDERS:
        raise QuerySyntaxError(_("Order must be “relevance” or “latest”."), 1)
    limit, offset = max(1, min(limit, MAX_LIMIT)), max(0, min(offset, MAX_OFFSET))
    parsed = parse(query)
    if not parsed.has_criteria:
        message = (
            _("Dates only narrow a search: add a word, a #hashtag or a filter such as from:.")
            if parsed.since or parsed.until
            else _("Type a word to search for (a “-word” alone excludes without finding).")
        )
        raise QuerySyntaxError(message, 1)
    unknown = set(kinds or ()) - set(kind_names())
    if unknown:
        raise InvalidInput(
            _("Unknown kind of result: %(kinds)s. Kinds: %(known)s.")
            % {"kinds": ", ".join(sorted(unknown)), "known": ", ".join(kind_names())},
            field="kinds",
        )
    wanted = kind_names() if not kinds else [k for k in kind_names() if k in kinds]
    resolved = _resolve(viewer, parsed)
    by_kind = {}
    for name in wanted:
        if name == HASHTAGS:
            by_kind[name] = _hashtags(viewer, parsed, limit=limit, offset=offset)
            continue
        kind = registered()[name]
        by_kind[name] = _search_kind(
            viewer,
            kind,
            parsed,
            resolved,
            order=order,
            limit=limit,
            offset=offset,
            since_id=since_id,
        )
    return SearchResults(query=query, parsed=parsed, order=order, by_kind=by_kind)


@dataclass(frozen=True)
class _Resolved:
    author_id: int | None = None
    community_id: int | None = None


def _resolve(viewer: Account | None, parsed: ParsedQuery) -> _Resolved:
    from voliere.accounts.models import Account
    from voliere.communities.access import visible_communities

    author_id = community_id = None
    if parsed.from_handle:
        author_id = (
            Account.objects.active().by_handle(parsed.from_handle).values_list("id", flat=True)
        ).first()
        if author_id is None:
            raise QuerySyntaxError(
                _("“from:%(handle)s”: nobody has this handle.") % {"handle": parsed.from_handle}, 1
            )
    if parsed.community_slug:
        community_id = (
            visible_communities(viewer)
            .filter(slug=parsed.community_slug)
            .values_list("id", flat=True)
            .first()
        )
        if community_id is None:
            raise QuerySyntaxError(
                _("“in:%(slug)s”: there is no community at this address.")
                % {"slug": parsed.community_slug},
                1,
            )
    return _Resolved(author_id, community_id)


def _filters_used(parsed: ParsedQuery) -> set[str]:
    used = {
        "from": parsed.from_handle,
        "in": parsed.community_slug,
        "lang": parsed.language,
        "tag": parsed.tags,
        "has": parsed.has_media,
        "is": parsed.is_validated,
        "since": parsed.since,
        "until": parsed.until,
    }
    return {name for name, value in used.items() if value}


def _day_start_id(day: datetime.date) -> int:
    moment = datetime.datetime.combine(
        day, datetime.time.min, tzinfo=timezone.get_current_timezone()
    )
    return lowest_id_at(moment)


def match_query(
    parsed: ParsedQuery, resolved: _Resolved, *, since_id: int | None = None
) -> MatchQuery:
    meta = [meta_tag(tag) for tag in parsed.tags]
    if resolved.author_id:
        meta.append(meta_author(resolved.author_id))
    if resolved.community_id:
        meta.append(meta_community(resolved.community_id))
    if parsed.language:
        meta.append(meta_language(parsed.language))
    if parsed.has_media:
        meta.append(META_MEDIA)
    if parsed.is_validated:
        meta.append(META_VALIDATED)
    min_id = since_id
    if parsed.since:
        min_id = max(min_id or 0, _day_start_id(parsed.since) - 1)
    max_id = _day_start_id(parsed.until + datetime.timedelta(days=1)) if parsed.until else None
    return MatchQuery(
        required=tuple(p.variants for p in parsed.required),
        meta=tuple(meta),
        excluded=tuple(p.variants for p in parsed.excluded),
        min_id=min_id,
        max_id=max_id,
    )


def _search_kind(
    viewer: Account | None,
    kind: SearchKind,
    parsed: ParsedQuery,
    resolved: _Resolved,
    *,
    order: Order,
    limit: int,
    offset: int,
    since_id: int | None,
) -> KindResults:
    if not _filters_used(parsed) <= kind.filters:
        return KindResults(kind.name)
    query = match_query(parsed, resolved, since_id=since_id if kind.time_ordered else None)
    wanted = offset + limit + 1  # one more tells whether there is a next page
    store = backends.backend()
    if order == "relevance":
        hits = store.newest(kind.table, query, RELEVANCE_WINDOW, ranked=True)
        hits.sort(key=lambda hit: (-hit.score, -hit.object_id))
        found = _visible_in_order(viewer, kind, [(h.object_id, h.score) for h in hits], wanted)
    else:
        found = []
        for _round in range(MAX_ROUNDS):
            batch = store.newest(kind.table, query, max(wanted * 2, 50))
            found += _visible_in_order(
                viewer, kind, [(h.object_id, h.score) for h in batch], wanted - len(found)
            )
            if len(found) >= wanted or len(batch) < max(wanted * 2, 50):
                break
            query = MatchQuery(**{**query.__dict__, "max_id": batch[-1].object_id})
    page = found[offset : offset + limit]
    tokens = parsed.highlight_tokens
    return KindResults(
        kind.name,
        items=[_result(kind, obj, score, tokens) for obj, score in page],
        has_more=len(found) > offset + limit,
    )


def _visible_in_order(
    viewer: Account | None, kind: SearchKind, ranked: list[tuple[int, float]], wanted: int
) -> list[tuple[Any, float]]:
    """The first `wanted` of `ranked` (id, score) that `viewer` may see, loaded for display,
    checking permissions a chunk at a time in rank order."""
    kept: list[tuple[Any, float]] = []
    chunk = wanted + wanted // 2 + 5  # most matches are visible: load little more than needed
    readable = kind.visible(viewer)  # built once: composing visibility rules is not free
    for start in range(0, len(ranked), chunk):
        part = ranked[start : start + chunk]
        ids = [object_id for object_id, _score in part]
        objects = {obj.pk: obj for obj in readable.filter(pk__in=ids)}
        kept += [(objects[oid], score) for oid, score in part if oid in objects]
        if len(kept) >= wanted:
            break
    return kept[:wanted]


def _result(kind: SearchKind, obj: Any, score: float, tokens: frozenset[str]) -> Result:
    title, body = kind.text_of(obj)
    return Result(
        kind=kind.name,
        object=obj,
        url=obj.get_absolute_url(),
        title=snippets.highlight(title, tokens, limit=120),
        snippet=snippets.highlight(body, tokens),
        date=kind.date_of(obj),
        score=score,
    )


def _hashtags(
    viewer: Account | None, parsed: ParsedQuery, *, limit: int, offset: int
) -> KindResults:
    if not _filters_used(parsed) <= {"tag"}:
        return KindResults(HASHTAGS)
    prefixes = [form for p in parsed.required if len(p.words) == 1 for form in p.variants[0]]
    prefixes += [meta_tag(tag)[1:] for tag in parsed.tags]
    found = hashtags.matching(viewer, sorted(set(prefixes)), offset + limit + 1)
    tokens = parsed.highlight_tokens | {meta_tag(tag)[1:] for tag in parsed.tags}
    items = [
        Result(
            kind=HASHTAGS,
            object=tag,
            url=tag.get_absolute_url(),
            title=snippets.highlight(f"#{tag.name}", tokens, limit=120),
            snippet=SafeString(""),
            date=None,
        )
        for tag in found[offset : offset + limit]
    ]
    return KindResults(HASHTAGS, items=items, has_more=len(found) > offset + limit)

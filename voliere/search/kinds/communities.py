"""Communities: name, address and description. Which ones a viewer may know exist is
`voliere.communities.access.visible_communities` (a secret community only for its members
and invitees: never its name, snippet or existence for anyone else)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from voliere.search import text
from voliere.search.documents import Document
from voliere.search.kinds import SearchKind

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from voliere.accounts.models import Account


def build(community: Any, extra: dict) -> Document:
    language = text.index_language("", f"{community.name} {community.description}")
    return Document(
        object_id=community.id,
        title=text.tokens(f"{community.name} {community.slug}", language),
        body=text.tokens(community.description, language),
    )


def visible(viewer: Account | None) -> QuerySet:
    from voliere.communities.access import visible_communities

    return visible_communities(viewer)


KIND = SearchKind(
    name="communities",
    table="community",
    model="communities.Community",
    fields=("id", "name", "slug", "description"),
    build=build,
    visible=visible,
    text_of=lambda community: (community.name, community.description),
    date_of=lambda community: community.last_post_at or community.created_at,
)

"""Finding people and things: the expertise finder and the one search over everything.

Both call the owning apps (`voliere.expertise.ranking.find_experts`,
`voliere.search.engine.search`), which only count and show what the caller may see.
"""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from voliere.api.operations import operation
from voliere.api.schemas.common import load_organisations
from voliere.api.schemas.discovery import ExpertsOut, SearchOut, from_expert, from_search
from voliere.api.schemas.text import Text
from voliere.core.exceptions import InvalidInput
from voliere.expertise.ranking import MAX_LIMIT as EXPERTS_MAX
from voliere.expertise.ranking import find_experts
from voliere.search.engine import MAX_LIMIT as SEARCH_MAX
from voliere.search.engine import MAX_OFFSET, kind_names, search

router = Router(tags=["Discovery"])

SearchType = Literal[tuple(kind_names())]  # type: ignore[valid-type]


class ExpertsQuery(Schema):
    q: Text = Field(max_length=200, description="What you need to know about, in words.")
    limit: int = Field(20, ge=1, le=EXPERTS_MAX)


class SearchQuery(Schema):
    q: Text = Field(
        max_length=500,
        description="Words, \"phrases\", -exclusions, #tags and filters (from:, in:, lang:, "
        "has:media, is:validated, since:, until:), as on the search page.",
    )
    type: SearchType | None = Field(None, description="One kind of result; all when absent.")
    order: Literal["relevance", "latest"] = "relevance"
    limit: int = Field(20, ge=1, le=SEARCH_MAX, description="Results per kind.")
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


def _as_query_error(error: InvalidInput) -> InvalidInput:
    """Errors about the query text name the `q` parameter."""
    return InvalidInput(error.message, field=error.field or "q")


@operation(router, "GET", "/experts", scopes="read:search", response=ExpertsOut,
           summary="Who knows about…",
           description="People ranked for a question: their declared skills and "
           "endorsements, and what they wrote that you may see (answers, accepted answers, "
           "articles, posts; recent and validated work weighs more). Members only.")
def experts(request: HttpRequest, params: Query[ExpertsQuery]) -> dict:
    try:
        found = find_experts(request.auth.viewer, params.q, limit=params.limit)
    except InvalidInput as error:
        raise _as_query_error(error) from None
    load_organisations([result.account for result in found])
    return {"query": params.q, "items": [from_expert(request, r) for r in found]}


@operation(router, "GET", "/search", scopes="read:search", anonymous=True, response=SearchOut,
           summary="Search everything",
           description="Posts, people, hashtags, communities, articles and questions you "
           "may see. A query the parser cannot read answers 422 with its message.")
def search_everything(request: HttpRequest, params: Query[SearchQuery]) -> dict:
    try:
        found = search(
            request.auth.viewer,
            params.q,
            kinds=[params.type] if params.type else None,
            order=params.order,
            limit=params.limit,
            offset=params.offset,
        )
    except InvalidInput as error:
        raise _as_query_error(error) from None
    return from_search(request, found)

"""The expertise finder and search results."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Schema

from voliere.api.schemas.common import AccountOut, absolute, from_account
from voliere.expertise.ranking import ExpertResult
from voliere.search.engine import Result, SearchResults


class ExpertSkillOut(Schema):
    name: str
    endorsements: int


class ExpertItemOut(Schema):
    kind: str = Field(description="post, answer, accepted_answer or article")
    title: str
    url: str
    date: datetime
    validated: bool


class ExpertOut(Schema):
    account: AccountOut
    score: float
    skill_score: float
    work_score: float
    skills: list[ExpertSkillOut] = Field(description="Declared skills matching the query.")
    items: list[ExpertItemOut] = Field(description="What they wrote that you may open.")
    counts: dict[str, int] = Field(description="Matching items you may see, per kind.")


class ExpertsOut(Schema):
    query: str
    items: list[ExpertOut]


class SearchHitOut(Schema):
    kind: str
    id: str
    url: str
    title_html: str = Field(description="Escaped HTML; matched words inside <mark>.")
    snippet_html: str
    date: datetime | None = None


class SearchKindOut(Schema):
    items: list[SearchHitOut]
    has_more: bool = Field(description="Ask again with `offset` + `limit` for more.")


class SearchOut(Schema):
    query: str
    order: str
    results: dict[str, SearchKindOut] = Field(
        description="Per kind asked for: posts, people, hashtags, communities, articles, "
        "threads."
    )


def from_expert(request: HttpRequest, result: ExpertResult) -> dict:
    return {
        "account": from_account(request, result.account),
        "score": result.score,
        "skill_score": result.skill_score,
        "work_score": result.work_score,
        "skills": [{"name": s.name, "endorsements": s.endorsements} for s in result.skills],
        "items": [
            {
                "kind": item.kind,
                "title": item.title,
                "url": absolute(request, item.url),
                "date": item.date,
                "validated": item.validated,
            }
            for item in result.items
        ],
        "counts": result.counts,
    }


def from_hit(request: HttpRequest, hit: Result) -> dict:
    return {
        "kind": hit.kind,
        "id": str(hit.object.pk),
        "url": absolute(request, hit.url),
        "title_html": str(hit.title),
        "snippet_html": str(hit.snippet),
        "date": hit.date,
    }


def from_search(request: HttpRequest, found: SearchResults) -> dict:
    return {
        "query": found.query,
        "order": found.order,
        "results": {
            kind: {
                "items": [from_hit(request, hit) for hit in results.items],
                "has_more": results.has_more,
            }
            for kind, results in found.by_kind.items()
        },
    }

"""Who knows about X: people ranked for a free-text query, with the reasons.

Public API (pages, the own-API helper):

    find_experts(viewer, "réseaux industriels", limit=20) -> list[ExpertResult]

A person's score is the sum of two parts.

Declared skills. Each of their skills that matches the query (`query.skill_coverage`: the
share of the query's words the skill name matches, stemmed and accent-insensitive) adds
`coverage × (SKILL_WEIGHT + ENDORSEMENT_WEIGHT × log2(1 + endorsements))`: declaring a
skill counts, colleagues vouching for it counts more, with diminishing returns (the 10th
endorsement adds less than the 2nd).

What they wrote (`evidence.collect`: only what the VIEWER may see). Per kind, each item
counts `decay × (VALIDATED_FACTOR if validated)`, where `decay = 0.5 ** (age_days /
HALF_LIFE_DAYS)`: a post from six months ago counts half as much as today's, from a year
ago a quarter. A kind adds `KIND_WEIGHTS[kind] × log2(1 + Σ items)`: an accepted answer
weighs more than an answer, which weighs more than a post; an article more than a post;
the logarithm keeps a hundred posts from outweighing an expert's few accepted answers.

Everyone ranked is an active person (not suspended, not an organisation account), and
not across a block with the viewer. Ties are broken by account id, so the order is stable.

Cost: a constant number of queries (about ten) whatever the number of matches, people
or `limit`; see `evidence` for the window of matches considered.
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from voliere.accounts.models import Account, AccountSkill, Block
from voliere.expertise import evidence
from voliere.expertise.evidence import ACCEPTED_ANSWER, ANSWER, ARTICLE, POST, Evidence, Item
from voliere.expertise.query import ExpertQuery, matching_skills, parse_expert_query
from voliere.posts.models import Post

HALF_LIFE_DAYS = 180.0
SKILL_WEIGHT = 4.0
ENDORSEMENT_WEIGHT = 1.5
KIND_WEIGHTS = {POST: 1.0, ANSWER: 2.0, ACCEPTED_ANSWER: 5.0, ARTICLE: 4.0}
VALIDATED_FACTOR = 2.0
TOP_ITEMS = 3
MAX_LIMIT = 50
EXCERPT_CHARS = 140


@dataclass(frozen=True)
class SkillMatch:
    name: str
    endorsements: int


@dataclass(frozen=True)
class ExpertItem:
    """A reason shown under a person: something they wrote that the viewer may open."""

    kind: str  # "post", "answer", "accepted_answer" or "article"
    title: str  # the article's or question's title, or the post's excerpt
    url: str
    date: datetime.datetime
    validated: bool = False


@dataclass
class ExpertResult:
    """One ranked person. `counts` has the number of matching visible items per kind
    (keys of `KIND_WEIGHTS`); `items` the TOP_ITEMS that weigh most, heaviest first."""

    account: Account
    score: float
    skill_score: float
    work_score: float
    skills: list[SkillMatch] = field(default_factory=list)
    items: list[ExpertItem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def decay(date: datetime.datetime, now: datetime.datetime) -> float:
    """1 for something written now, 0.5 after HALF_LIFE_DAYS, 0.25 after twice that."""
    age_days = max((now - date).total_seconds(), 0.0) / 86400
    return 0.5 ** (age_days / HALF_LIFE_DAYS)


def item_weight(item: Item, now: datetime.datetime) -> float:
    return decay(item.date, now) * (VALIDATED_FACTOR if item.validated else 1.0)


def work_score(found: Evidence, now: datetime.datetime) -> float:
    return sum(
        KIND_WEIGHTS[kind] * math.log2(1 + sum(item_weight(i, now) for i in items))
        for kind, items in found.items.items()
    )


def skill_score(coverage: float, endorsements: int) -> float:
    return coverage * (SKILL_WEIGHT + ENDORSEMENT_WEIGHT * math.log2(1 + endorsements))


@dataclass
class _Candidate:
    skill_score: float = 0.0
    # (skill id, endorsements): SkillMatch objects are built only for the people shown, a
    # common subject's skill being held by thousands.
    skills: list[tuple[int, int]] = field(default_factory=list)
    evidence: Evidence | None = None
    work_score: float = 0.0

    @property
    def score(self) -> float:
        return self.skill_score + self.work_score


def _candidates(
    viewer: Account | None, query: ExpertQuery
) -> tuple[dict[int, _Candidate], dict[int, tuple[str, float]]]:
    """({account id: candidate}, the matching skills {id: (name, coverage)})."""
    now = timezone.now()
    found: dict[int, _Candidate] = defaultdict(_Candidate)
    skills = matching_skills(query)
    if skills:
        holdings = AccountSkill.objects.filter(
            skill_id__in=list(skills), account__is_suspended=False, account__kind="person"
        ).values_list("account_id", "skill_id", "endorsements_count")
        for account_id, skill_id, endorsements in holdings:
            candidate = found[account_id]
            candidate.skill_score += skill_score(skills[skill_id][1], endorsements)
            candidate.skills.append((skill_id, endorsements))
    for author_id, work in evidence.collect(viewer, query).items():
        candidate = found[author_id]
        candidate.evidence = work
        candidate.work_score = work_score(work, now)
    return found, skills


def _skill_matches(candidate: _Candidate, skills: dict[int, tuple[str, float]]) -> list[SkillMatch]:
    matches = [SkillMatch(skills[pk][0], endorsements) for pk, endorsements in candidate.skills]
    return sorted(matches, key=lambda s: (-s.endorsements, s.name))


def _eligible(viewer: Account | None, ids: list[int], excluded: set[int]) -> dict[int, Account]:
    """The accounts among `ids` that may be shown as experts to `viewer`."""
    accounts = Account.objects.active().filter(pk__in=ids, kind="person")
    if viewer is not None:
        accounts = accounts.exclude(
            pk__in=Block.objects.filter(blocker=viewer).values("blocked_id")
        ).exclude(pk__in=Block.objects.filter(blocked=viewer).values("blocker_id"))
    return {a.pk: a for a in accounts if a.pk not in excluded}


def _top(
    viewer: Account | None, ranked: list[int], limit: int, excluded: set[int]
) -> list[Account]:
    """The first `limit` of `ranked` (ids, best first) that are eligible, checked in
    batches so a query matching thousands of people reads only the best of them."""
    chosen: list[Account] = []
    batch = max(limit * 2, 50)
    for start in range(0, len(ranked), batch):
        part = ranked[start : start + batch]
        eligible = _eligible(viewer, part, excluded)
        chosen += [eligible[pk] for pk in part if pk in eligible]
        if len(chosen) >= limit:
            break
    return chosen[:limit]


def _item_url(item: Item) -> str:
    if item.kind == POST:
        return reverse("post", args=[item.object_id])
    if item.kind == ARTICLE:
        return reverse("knowledge_article", args=[item.object_id])
    return f"{reverse('knowledge_thread', args=[item.thread_id])}#answer-{item.object_id}"


def _reasons(chosen: list[tuple[Account, _Candidate]]) -> dict[int, list[Item]]:
    now = timezone.now()
    reasons = {}
    for account, candidate in chosen:
        work = candidate.evidence
        items = [i for kind_items in work.items.values() for i in kind_items] if work else []
        items.sort(key=lambda i: (-KIND_WEIGHTS[i.kind] * item_weight(i, now), -i.object_id))
        reasons[account.pk] = items[:TOP_ITEMS]
    return reasons


def _post_excerpts(post_ids: Iterable[int]) -> dict[int, str]:
    """Texts of posts already checked visible (they come from `evidence`)."""
    rows = Post.objects.filter(pk__in=list(post_ids)).values_list("id", "spoiler_text", "text")
    return {
        pk: Truncator(" ".join((spoiler or text).split())).chars(EXCERPT_CHARS)
        for pk, spoiler, text in rows
    }


def find_experts(
    viewer: Account | None,
    query: str | ExpertQuery,
    limit: int = 20,
    *,
    exclude: Iterable[int] = (),
) -> list[ExpertResult]:
    """People who know about `query`, best first, at most `limit` (1–MAX_LIMIT), each with
    the reasons `viewer` may see. `exclude`: account ids never to return (the asker of a
    routed question). Raises InvalidInput (field "q") for a query that cannot be used
    (see `query.parse_expert_query`)."""
    if isinstance(query, str):
        query = parse_expert_query(query)
    limit = max(1, min(int(limit), MAX_LIMIT))
    candidates, skills = _candidates(viewer, query)
    ranked = sorted(
        (pk for pk, c in candidates.items() if c.score > 0),
        key=lambda pk: (-candidates[pk].score, pk),
    )
    chosen = [(a, candidates[a.pk]) for a in _top(viewer, ranked, limit, set(exclude))]
    reasons = _reasons(chosen)
    excerpts = _post_excerpts(
        i.object_id for items in reasons.values() for i in items if i.kind == POST
    )
    results = []
    for account, candidate in chosen:
        work = candidate.evidence
        results.append(
            ExpertResult(
                account=account,
                score=round(candidate.score, 3),
                skill_score=round(candidate.skill_score, 3),
                work_score=round(candidate.work_score, 3),
                skills=_skill_matches(candidate, skills),
                items=[
                    ExpertItem(
                        kind=item.kind,
                        title=excerpts.get(item.object_id, "") if item.kind == POST else item.title,
                        url=_item_url(item),
                        date=item.date,
                        validated=item.validated,
                    )
                    for item in reasons[account.pk]
                ],
                counts={
                    kind: len(work.items.get(kind, [])) if work else 0 for kind in KIND_WEIGHTS
                },
            )
        )
    return results


__all__ = [
    "ANSWER",
    "ACCEPTED_ANSWER",
    "ARTICLE",
    "POST",
    "ExpertItem",
    "ExpertResult",
    "SkillMatch",
    "find_experts",
]

"""Which new topic matches put a mention into an organisation's response inbox.

Called by the ingestion (`voliere.listening.ingest`) with the matches it just saved,
INSIDE its transaction, so a mention and its inbox item are committed together (or not at
all). Rules, per organisation whose topics matched:

- at least one matching topic is not a competitor topic (what is said about competitors is
  watched, not answered);
- the mention is negative, or a question. One item per mention and organisation, whatever
  the number of matching topics; its `reason` is "negative" when the mention is negative
  (negative wins over question: the more urgent answer), else "question";
- a mention written by the organisation's own account, one of its affiliated accounts or
  one of its managers is never routed (nobody answers themselves). This is known only for
  mentions of the internal network (`Mention.post`); an external handle equal to ours may
  be an impostor, so it is routed like anyone else's.

Idempotent: items that exist are left alone (one query finds them, one bulk insert adds the
others, with `ignore_conflicts` for a concurrent backfill routing the same mention).
A constant number of queries whatever the number of matches.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q

from voliere.accounts.models import Account, AccountKind
from voliere.accounts.models.user import OrganisationRole
from voliere.listening.models import (
    InboxItem,
    InboxReason,
    Mention,
    Sentiment,
    Topic,
    TopicKind,
    TopicMatch,
)
from voliere.posts.models import Post


def inbox_reason(mention: Mention) -> str | None:
    """Why `mention` deserves an answer (an `InboxReason`), or None."""
    if mention.sentiment == Sentiment.NEGATIVE:
        return InboxReason.NEGATIVE
    if mention.is_question:
        return InboxReason.QUESTION
    return None


def own_account_ids(organisation_ids: set[int]) -> dict[int, set[int]]:
    """For each organisation: the accounts that speak for it (itself, its affiliated
    accounts, its managers' personal accounts). Two queries."""
    own: dict[int, set[int]] = {org_id: {org_id} for org_id in organisation_ids}
    affiliated = Account.objects.filter(
        organisation_id__in=organisation_ids, kind=AccountKind.AFFILIATED
    ).values_list("organisation_id", "id")
    managers = OrganisationRole.objects.filter(
        organisation_id__in=organisation_ids
    ).values_list("organisation_id", "user__account_id")
    for org_id, account_id in [*affiliated, *managers]:
        own[org_id].add(account_id)
    return own


def route_matches(matches: list[TopicMatch]) -> list[InboxItem]:
    """Put the mentions of `matches` that call for an answer into their organisations'
    inboxes; returns the items created (not those that existed)."""
    candidates = {m.mention_id: m.mention for m in matches if inbox_reason(m.mention)}
    if not candidates:
        return []
    topic_ids = {m.topic_id for m in matches if m.mention_id in candidates}
    topic_orgs = dict(
        Topic.objects.filter(pk__in=topic_ids)
        .exclude(kind=TopicKind.COMPETITOR)
        .values_list("id", "organisation_id")
    )
    wanted: dict[tuple[int, int], Mention] = {}
    for match in matches:
        org_id = topic_orgs.get(match.topic_id)
        if org_id is not None and match.mention_id in candidates:
            wanted[(org_id, match.mention_id)] = candidates[match.mention_id]
    if not wanted:
        return []
    wanted = _without_own_mentions(wanted)
    existing = _existing_pairs(wanted)
    new = [
        InboxItem(organisation_id=org_id, mention=mention, reason=inbox_reason(mention))
        for (org_id, mention_id), mention in wanted.items()
        if (org_id, mention_id) not in existing
    ]
    InboxItem.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    return new


def _without_own_mentions(
    wanted: dict[tuple[int, int], Mention],
) -> dict[tuple[int, int], Mention]:
    post_ids = {mention.post_id for mention in wanted.values() if mention.post_id}
    if not post_ids:
        return wanted
    authors = dict(Post.objects.filter(pk__in=post_ids).values_list("id", "author_id"))
    own = own_account_ids({org_id for org_id, _ in wanted})
    return {
        (org_id, mention_id): mention
        for (org_id, mention_id), mention in wanted.items()
        if authors.get(mention.post_id) not in own[org_id]
    }


def _existing_pairs(wanted: dict[tuple[int, int], Mention]) -> set[tuple[int, int]]:
    if not wanted:
        return set()
    by_org: dict[int, set[int]] = defaultdict(set)
    for org_id, mention_id in wanted:
        by_org[org_id].add(mention_id)
    condition = Q()
    for org_id, mention_ids in by_org.items():
        condition |= Q(organisation_id=org_id, mention_id__in=mention_ids)
    return set(InboxItem.objects.filter(condition).values_list("organisation_id", "mention_id"))

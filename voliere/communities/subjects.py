"""Communities as the subject of notifications (invitations, join requests, approvals).

A notification about a community shows only while the recipient may see the community
(`visible_communities`): someone removed from a secret community stops seeing the
notifications that name it, in every list and count."""

from __future__ import annotations

from django.db.models import QuerySet

from voliere.accounts.models import Account
from voliere.communities.access import visible_communities
from voliere.communities.models import Community
from voliere.notifications import subjects

NAME = "community"


def _visible_ids(viewer: Account) -> QuerySet:
    return visible_communities(viewer).values("id")


def _describe(ids: list[int]) -> dict[int, subjects.Subject]:
    return {
        c.pk: subjects.Subject(title=c.name, url=c.get_absolute_url())
        for c in Community.objects.filter(pk__in=ids).only("id", "name", "slug")
    }


def register_subject_type() -> None:
    subjects.register(subjects.SubjectType(name=NAME, visible_ids=_visible_ids, describe=_describe))

"""The demo communities: each kind, counters equal to real counts, queues for the logins."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from django.db.models import Count

from voliere.communities.access import visible_communities
from voliere.communities.models import Community, Invitation, JoinRequest, Kind, Membership, Pin
from voliere.demo.activity import write_activity
from voliere.demo.cast import build_cast
from voliere.demo.communities import seed_communities
from voliere.demo.graph import build_follow_graph
from voliere.demo.seed import _insert_activity
from voliere.notifications.models import Notification
from voliere.posts.models import Post

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


def test_demo_communities(db):
    rng = random.Random(7)
    cast = build_cast(rng, NOW, scale=0.04)
    activity = write_activity(rng, cast, build_follow_graph(rng, cast, NOW), NOW, scale=0.04)
    _insert_activity(activity)
    created = seed_communities(rng, cast, activity, NOW, scale=0.04)
    kinds = dict(Community.objects.values_list("kind").annotate(n=Count("id")))
    assert created == sum(kinds.values()) and set(kinds) == set(Kind.values)
    assert Community.objects.filter(name="Acme Family", kind=Kind.MODERATED).exists()
    for c in Community.objects.all():
        live = Post.objects.filter(community=c, deleted_at__isnull=True)
        assert c.posts_count == live.count() > 0
        assert c.members_count == Membership.objects.filter(community=c).count()
        assert c.last_post_at == max(p.created_at for p in live)
        authors = set(live.values_list("author_id", flat=True))
        assert authors <= set(Membership.objects.filter(community=c)
                              .values_list("account_id", flat=True))
        assert Membership.objects.filter(community=c, role="owner").count() == 1
    assert not Post.objects.filter(community__kind=Kind.SECRET, reblogs__isnull=False).exists()
    assert Pin.objects.exists() and JoinRequest.objects.exists()
    employee = cast.logins["employee"]
    assert Membership.objects.filter(account=employee, community__kind=Kind.SECRET).exists()
    assert Invitation.objects.filter(account=employee).exists()
    for secret in Community.objects.filter(kind=Kind.SECRET):
        insiders = set(Membership.objects.filter(community=secret)
                       .values_list("account_id", flat=True))
        outsider = next(a for a in cast.employees if a.pk not in insiders
                        and not Invitation.objects.filter(community=secret, account=a).exists())
        assert secret not in visible_communities(outsider)
    queue_owners = Membership.objects.filter(
        community__join_requests__isnull=False, account__in=cast.logins.values(),
        role__in=("owner", "admin", "moderator"),
    )
    assert queue_owners.exists()
    assert Notification.objects.filter(kind="community_request",
                                       recipient__in=cast.logins.values()).exists()

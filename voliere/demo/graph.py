"""A heavy-tailed follow graph over the demo cast.

Each account gets a popularity drawn from a Pareto law (a few stars, a long tail), and
each person follows a log-normal number of accounts chosen in proportion to popularity,
three times likelier in their own department: the same rich-get-richer shape preferential
attachment gives. On top, the fixed ties of a company: employees follow @acme, affiliates
and @acme follow each other, competitors follow @acme back.
"""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta

from voliere.accounts.models import Account, Follow
from voliere.demo.bulk import insert_rows
from voliere.demo.cast import Cast


def _popularity(rng: random.Random, cast: Cast) -> dict[int, float]:
    weights = {a.id: min(rng.paretovariate(1.3), 40.0) for a in cast.people}
    for account in cast.customers:
        weights[account.id] *= 0.4
    weights[cast.acme.id] = 120.0
    for account in cast.affiliates:
        weights[account.id] = 25.0
    for account in cast.competitors:
        weights[account.id] = 6.0
    for account in cast.logins.values():
        weights[account.id] = max(weights[account.id], 8.0)
    return weights


def _fixed_ties(cast: Cast, rng: random.Random) -> set[tuple[int, int]]:
    ties: set[tuple[int, int]] = set()
    brand = [cast.acme, *cast.affiliates]
    for a in brand:
        ties.update((a.id, b.id) for b in brand if a is not b)
    for competitor in cast.competitors:
        ties.add((cast.acme.id, competitor.id))
        ties.add((competitor.id, cast.acme.id))
    for employee in cast.employees:
        if rng.random() < 0.92:
            ties.add((employee.id, cast.acme.id))
        if rng.random() < 0.4:
            ties.add((employee.id, rng.choice(cast.affiliates).id))
        if rng.random() < 0.3:
            ties.add((cast.acme.id, employee.id))
    for customer in cast.customers:
        ties.add((customer.id, cast.acme.id))
    for member in cast.competitor_staff:
        ties.add((member.id, member.organisation_id))
    manager = cast.logins["manager"]
    ties.update((manager.id, c.id) for c in cast.competitors)
    return ties


Ties = dict[tuple[int, int], datetime]


def build_follow_graph(rng: random.Random, cast: Cast, now: datetime) -> Ties:
    """Insert the follows; returns {(follower_id, followee_id): followed at}."""
    popularity = _popularity(rng, cast)
    everyone = cast.everyone
    ids = [a.id for a in everyone]
    ties = _fixed_ties(cast, rng)
    typical = max(4.0, min(25.0, len(everyone) / 12))
    for follower in cast.people:
        wanted = min(len(ids) - 1, int(rng.lognormvariate(math.log(typical), 0.8)) + 2)
        department = follower.department
        weights = [
            popularity[a.id] * (3.0 if department and a.department == department else 1.0)
            for a in everyone
        ]
        for followee in rng.choices(ids, weights=weights, k=wanted):
            if followee != follower.id:
                ties.add((follower.id, followee))
    dated = {tie: now - timedelta(days=rng.uniform(1, 400)) for tie in sorted(ties)}
    insert_rows(Follow, ["follower_id", "followee_id", "created_at"],
                [(a, b, at) for (a, b), at in dated.items()])
    _count_follows(everyone, ties)
    return dated


def _count_follows(accounts: list[Account], ties: set[tuple[int, int]]) -> None:
    """Set (not save) the follow counters; the seeder saves all counters at once."""
    followers: dict[int, int] = {}
    following: dict[int, int] = {}
    for a, b in ties:
        following[a] = following.get(a, 0) + 1
        followers[b] = followers.get(b, 0) + 1
    for account in accounts:
        account.followers_count = followers.get(account.id, 0)
        account.following_count = following.get(account.id, 0)

"""Demo communities: about twenty of each kind (open, moderated, secret) across
departments, interests and customers ("Acme Family", a customer panel), with members,
roles, posts and replies in them, a few pinned posts, pending join requests and
invitations, so the demo logins find queues to work through.

Like the rest of the seeder, rows are built in memory with their final counters and
inserted in bulk (`voliere.demo.bulk`): a few statements, well under a second. Called by
`voliere.demo.seed` after the main activity is inserted and before account counters are
saved (community posts count in their authors' `posts_count`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils.text import slugify

from voliere.accounts.models import Account
from voliere.communities.models import (
    Community,
    Invitation,
    JoinRequest,
    Kind,
    Membership,
    Pin,
    Role,
)
from voliere.core.ids import new_id
from voliere.demo import texts
from voliere.demo.activity import Activity
from voliere.demo.bulk import insert_objects, insert_rows
from voliere.demo.cast import Cast
from voliere.demo.ids import PastIds
from voliere.notifications.actions import dedup_key
from voliere.notifications.models import Notification, NotificationKind
from voliere.posts.models import Hashtag, Mention, Post, PostHashtag, Visibility
from voliere.posts.rendering import render_post_text

# (name, description, who: "staff" employees, "dept:<Department>", "customers", "all")
OPEN = (
    ("Python at Acme", "Python, Django, packaging and tooling: questions welcome.",
     "dept:Engineering"),
    ("Kubernetes & Cloud", "Clusters, Terraform, observability, on-call tips.", "dept:Engineering"),
    ("Machine learning", "Models, data pipelines and reading group.", "staff"),
    ("Afterwork workshops", "Ateliers après le travail : formations entre collègues.", "staff"),
    ("Nouveaux arrivants", "Bienvenue ! Onboarding, questions pratiques, parrainage.", "staff"),
    ("Running club", "Course à pied le mardi midi et semi-marathons.", "staff"),
    ("Photographie", "Partage de photos, sorties et conseils techniques.", "staff"),
    ("Sustainability", "CSR, carbon footprint and green IT ideas.", "staff"),
    ("Design system", "Components, accessibility, Figma libraries.", "dept:R&D"),
    ("Data & analytics", "Dashboards, SQL and Google Analytics.", "dept:Marketing"),
    ("SEO & content", "Content marketing, copywriting and SEO news.", "dept:Marketing"),
    ("Salesforce users", "CRM tips, reports and Salesforce admin questions.", "dept:Sales"),
    ("Mentoring", "Find a mentor, become one.", "staff"),
    ("Offres d'emploi", "Job offers and internal mobility / mobilité interne.", "dept:HR"),
    ("Support champions", "Tickets, macros and the knowledge base.", "dept:Support"),
    ("Finance questions", "Expenses, budgets, purchase orders.", "dept:Finance"),
    ("Legal corner", "Contracts, GDPR and compliance questions.", "dept:Legal"),
    ("Communication interne", "Intranet, events and newsletters.", "dept:Communication"),
    ("Operations excellence", "Supply chain, quality and lean.", "dept:Operations"),
    ("Acme users forum", "Customers and Acme staff discuss Acme products.", "all"),
)
MODERATED = (
    ("Acme Family", "Panel of families who travel with Acme products: co-design the next "
     "range with us.", "customers"),
    ("Commuters panel", "Users and agents of the commuter line talk improvements.", "customers"),
    ("Beta testers", "Try Acme Cloud features before release.", "all"),
    ("Key accounts", "Account managers and key customers.", "dept:Sales"),
    ("Security champions", "Threat models, reviews, incident drills.", "dept:Engineering"),
    ("Brand ambassadors", "Employees who relay Acme's news: content and conduct charter.",
     "staff"),
    ("Managers' circle", "For people managers: feedback, hiring, reviews.", "staff"),
    ("Product council", "Roadmap discussions between product and sales.", "staff"),
    ("Engineering", "The engineering department's community.", "dept:Engineering"),
    ("Marketing", "The marketing department's community.", "dept:Marketing"),
    ("Sales", "The sales department's community.", "dept:Sales"),
    ("Ressources humaines", "La communauté du département RH.", "dept:HR"),
    ("Operations", "The operations department's community.", "dept:Operations"),
    ("Support", "The support department's community.", "dept:Support"),
    ("Finance", "The finance department's community.", "dept:Finance"),
    ("Legal", "The legal department's community.", "dept:Legal"),
    ("R&D labs", "Research projects and prototypes.", "dept:R&D"),
    ("Communication", "The communication department's community.", "dept:Communication"),
    ("Pricing experts", "Pricing studies and experiments.", "dept:Marketing"),
    ("Trainers network", "Internal trainers share material and schedules.", "staff"),
)
SECRET = (
    ("Project Falcon", "Next-generation product: confidential.", "dept:R&D"),
    ("M&A working group", "Confidential acquisitions work.", "dept:Finance"),
    ("Board preparation", "Board meeting materials.", "staff"),
    ("Reorg 2027", "Organisation changes under preparation.", "dept:HR"),
    ("Incident response", "Security incidents being handled.", "dept:Engineering"),
    ("Pricing committee", "Price changes before announcement.", "dept:Sales"),
    ("Executive committee", "Comex topics.", "staff"),
    ("Salary review", "Compensation review cycle.", "dept:HR"),
    ("Litigation", "Ongoing legal cases.", "dept:Legal"),
    ("Launch war room", "Product launch coordination before the announcement.", "staff"),
    ("Crisis communication", "Drafts for sensitive announcements.", "dept:Communication"),
    ("Key customer escalations", "Escalations with named customers.", "dept:Support"),
    ("Supplier negotiations", "Confidential supplier terms.", "dept:Operations"),
    ("Patent drafts", "Inventions before filing.", "dept:R&D"),
    ("Budget 2027", "Budget preparation.", "dept:Finance"),
    ("Hiring plan", "Headcount planning.", "dept:HR"),
    ("Red team", "Offensive security exercises.", "dept:Engineering"),
    ("Partnership Helios", "Negotiation with Helios Energy.", "dept:Sales"),
    ("Brand refresh", "New brand identity before reveal.", "dept:Marketing"),
    ("Acme Family steering", "Organisers of the Acme Family panel.", "staff"),
)
DAYS = 60


@dataclass
class _Built:
    communities: list[Community] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    tags: list[tuple[int, str]] = field(default_factory=list)
    pins: list[Pin] = field(default_factory=list)
    requests: list[JoinRequest] = field(default_factory=list)
    invitations: list[Invitation] = field(default_factory=list)


class _FreshIds:
    """Past ids that also avoid every id the main activity used."""

    def __init__(self, taken: set[int]) -> None:
        self.ids, self.taken = PastIds(), taken

    def for_time(self, at: datetime) -> int:
        while True:
            candidate = self.ids.for_time(at)
            if candidate not in self.taken:
                self.taken.add(candidate)
                return candidate


def _pool(cast: Cast, who: str) -> list[Account]:
    staff = [a for a in cast.employees if not a.is_suspended]
    if who == "customers":
        return [*cast.customers, *staff[:30]]
    if who == "all":
        return [*staff, *cast.customers]
    if who.startswith("dept:"):
        department = who.removeprefix("dept:")
        return [a for a in staff if a.department == department] or staff
    return staff


def seed_communities(
    rng: random.Random, cast: Cast, activity: Activity, now: datetime, *, scale: float
) -> int:
    """Insert the demo communities; returns how many. `activity` gives the ids already
    used by posts (community posts get others)."""
    per_kind = max(3, round(20 * min(scale, 1.0)))
    posts_each = max(3, round(14 * scale))
    logins = cast.logins
    accounts_by_handle = {a.handle_lower: a for a in cast.everyone if not a.is_suspended}
    ids = _FreshIds({p.id for p in activity.posts})
    built = _Built()
    catalogue = [(Kind.OPEN, OPEN), (Kind.MODERATED, MODERATED), (Kind.SECRET, SECRET)]
    for kind, entries in catalogue:
        for index, (name, description, who) in enumerate(entries[:per_kind]):
            created = now - timedelta(days=rng.randint(DAYS + 10, 400))
            community = Community(
                slug=slugify(name)[:50], name=name, description=description, kind=kind,
                rules="Be kind and constructive.\nNo confidential customer data.\n"
                "Stay on topic.",
                organisation=cast.acme, created_at=created,
            )
            built.communities.append(community)
            members = _members(rng, cast, who, kind, index)
            built.memberships.extend(
                Membership(community=community, account=a, role=role, created_at=created)
                for a, role in members
            )
    Community.objects.bulk_create(built.communities)
    for m in built.memberships:
        m.community_id = m.community.pk
    Membership.objects.bulk_create(built.memberships)
    members_of: dict[int, list[Account]] = {}
    for m in built.memberships:
        members_of.setdefault(m.community_id, []).append(m.account)
    for community in built.communities:
        _write_posts(rng, community, members_of[community.pk], built, ids, now,
                     accounts_by_handle, posts_each)
    _queues(rng, cast, built, members_of, now)
    _insert(built)
    _notify_logins(built, logins, now)
    return len(built.communities)


def _members(
    rng: random.Random, cast: Cast, who: str, kind: str, index: int
) -> list[tuple[Account, str]]:
    """Members with roles: an owner, an admin, moderators, members. The demo logins get
    roles so each sees something to do: the employee owns a few open communities and
    belongs to a secret one, the administrator moderates the moderated ones (with their
    queue), the manager (who manages @acme) owns the customer panels."""
    pool = _pool(cast, who)
    # Never everyone: some colleagues stay outside to ask to join.
    size = max(1, min(round(len(pool) * 0.7), rng.randint(8, 60)))
    chosen = rng.sample(pool, size)
    employee, admin, manager = cast.logins["employee"], cast.logins["admin"], cast.logins["manager"]
    first: Account | None = None
    if kind == Kind.OPEN and index % 4 == 0:
        first = employee
    elif kind == Kind.MODERATED:
        first = manager if who == "customers" else (admin if index % 2 == 0 else None)
    elif kind == Kind.SECRET and index == 0:
        first = employee
    if first is not None:
        chosen = [first, *[a for a in chosen if a.pk != first.pk]]
    roles = [Role.OWNER, Role.ADMIN, Role.MODERATOR, Role.MODERATOR]
    result = [(a, roles[i] if i < len(roles) else Role.MEMBER) for i, a in enumerate(chosen)]
    ids = {a.pk for a, _ in result}
    if kind == Kind.OPEN and employee.pk not in ids and index % 2 == 1:
        result.append((employee, Role.MEMBER))
    return result


def _write_posts(
    rng: random.Random,
    community: Community,
    members: list[Account],
    built: _Built,
    ids: _FreshIds,
    now: datetime,
    accounts_by_handle: dict[str, Account],
    count: int,
) -> None:
    public = community.kind != Kind.SECRET and any(a.organisation_id is None for a in members)
    visibility = Visibility.PUBLIC if public else Visibility.INTERNAL
    originals: list[Post] = []
    for _ in range(rng.randint(count // 2, count)):
        at = now - timedelta(days=rng.uniform(0.05, DAYS))
        author = rng.choice(members)
        language = rng.choice(("fr", "en"))
        mention = rng.choice(members).handle
        text = texts.compose_post(rng, language, mention)
        originals.append(_post(built, ids, community, author, text, visibility, at, language,
                               accounts_by_handle))
    for _ in range(len(originals) // 2):
        parent = rng.choice(originals)
        author = rng.choice(members)
        at = min(parent.created_at + timedelta(hours=rng.uniform(0.1, 48)),
                 now - timedelta(seconds=1))
        text = texts.compose_reply(rng, parent.language, parent_author_handle(parent, members))
        _post(built, ids, community, author, text, visibility, at, parent.language,
              accounts_by_handle, parent=parent)
    if originals and rng.random() < 0.4:
        pinned = sorted(originals, key=lambda p: p.created_at)[-1]
        built.pins.append(Pin(community=community, post=pinned, created_at=now))
    live = [p for p in built.posts if p.community_id == community.pk]
    community.posts_count = len(live)
    community.members_count = len(members)
    community.last_post_at = max((p.created_at for p in live), default=None)


def parent_author_handle(parent: Post, members: list[Account]) -> str:
    for account in members:
        if account.pk == parent.author_id:
            return account.handle
    return members[0].handle


def _post(
    built: _Built,
    ids: _FreshIds,
    community: Community,
    author: Account,
    text: str,
    visibility: str,
    at: datetime,
    language: str,
    accounts_by_handle: dict[str, Account],
    *,
    parent: Post | None = None,
) -> Post:
    rendered = render_post_text(text, accounts_by_handle=accounts_by_handle)
    post_id = ids.for_time(at)
    post = Post(
        id=post_id, author_id=author.pk, text=text, content_html=rendered.html,
        language=language, visibility=visibility, created_at=at, community_id=community.pk,
        in_reply_to_id=parent.id if parent else None,
        in_reply_to_account_id=parent.author_id if parent else None,
        conversation_id=parent.conversation_id if parent else post_id,
    )
    built.posts.append(post)
    built.mentions.extend(Mention(post_id=post_id, account_id=a.id) for a in rendered.mentioned)
    built.tags.extend((post_id, name[:100]) for name in rendered.hashtags)
    author.posts_count += 1
    if parent is not None:
        parent.replies_count += 1
    return post


def _queues(
    rng: random.Random,
    cast: Cast,
    built: _Built,
    members_of: dict[int, list[Account]],
    now: datetime,
) -> None:
    """Pending join requests on moderated communities (from colleagues not in them yet)
    and a couple of invitations to secret communities for the employee login."""
    staff = [a for a in cast.employees if not a.is_suspended]
    for community in built.communities:
        inside = {a.pk for a in members_of[community.pk]}
        outsiders = [a for a in staff if a.pk not in inside]
        if community.kind == Kind.MODERATED:
            for account in rng.sample(outsiders, min(len(outsiders), rng.randint(1, 4))):
                at = now - timedelta(hours=rng.uniform(1, 96))
                built.requests.append(JoinRequest(community=community, account=account,
                                                  message="J'aimerais rejoindre / I'd like to "
                                                  "join.", created_at=at))
    employee = cast.logins["employee"]
    secret = [c for c in built.communities if c.kind == Kind.SECRET]
    for community in secret[1:3]:
        if employee.pk not in {a.pk for a in members_of[community.pk]}:
            owner = members_of[community.pk][0]
            built.invitations.append(Invitation(community=community, account=employee,
                                                invited_by=owner, created_at=now))


def _insert(built: _Built) -> None:
    # Raw inserts apply no defaults: every column is named.
    insert_objects(sorted(built.posts, key=lambda p: p.id), [
        "id", "author", "text", "content_html", "spoiler_text", "language", "visibility",
        "in_reply_to", "in_reply_to_account", "conversation_id", "reblog_of", "quote_of",
        "created_at", "edited_at", "deleted_at", "replies_count", "reblogs_count",
        "likes_count", "community",
    ])
    insert_objects(built.mentions, ["post", "account"])
    names = sorted({name for _post, name in built.tags})
    Hashtag.objects.bulk_create([Hashtag(name=n) for n in names], ignore_conflicts=True)
    tag_ids = dict(Hashtag.objects.filter(name__in=names).values_list("name", "id"))
    insert_rows(PostHashtag, ["post_id", "hashtag_id"],
                sorted((p, tag_ids[n]) for p, n in set(built.tags)))
    Community.objects.bulk_update(
        built.communities, ["members_count", "posts_count", "last_post_at"]
    )
    Pin.objects.bulk_create(built.pins)
    JoinRequest.objects.bulk_create(built.requests)
    Invitation.objects.bulk_create(built.invitations)


def _notify_logins(built: _Built, logins: dict[str, Account], now: datetime) -> None:
    """Unread notifications for the demo logins' queues, with the keys `notify` writes,
    dated when the request or invitation was made."""
    login_ids = {a.pk for a in logins.values()}
    staff = {(m.community_id, m.account_id) for m in built.memberships
             if m.role != Role.MEMBER and m.account_id in login_ids}
    rows = []
    for r in built.requests:
        for community_id, recipient in staff:
            if community_id == r.community.pk:
                rows.append((NotificationKind.COMMUNITY_REQUEST, recipient, r.account.pk,
                             community_id, r.created_at))
    for i in built.invitations:
        rows.append((NotificationKind.COMMUNITY_INVITE, i.account.pk, i.invited_by.pk,
                     i.community.pk, i.created_at))
    Notification.objects.bulk_create([
        Notification(
            # Ids of now: never equal to the past ids the main notifications get.
            id=new_id(), recipient_id=recipient, actor_id=actor, kind=kind,
            subject_type="community", subject_id=community_id, created_at=at,
            dedup_key=dedup_key(
                kind=kind,
                recipient_id=recipient,
                actor_id=actor,
                subject_type="community",
                subject_id=community_id,
            ),
        )
        for kind, recipient, actor, community_id, at in rows
    ])

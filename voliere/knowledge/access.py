"""Who may see and do what with articles and forum threads: the one place these rules live.

Public API (search, expertise finder, own REST API, notifications):

- `visible_articles(viewer) -> QuerySet[Article]` and `visible_threads(viewer) ->
  QuerySet[Thread]`, unordered, usable inside SQL (`pk__in=visible_articles(v).values("pk")`):
  - anonymous visitors: published, `public` items outside secret communities;
  - signed-in members: published `public` and `internal` items; items of a secret
    community only for that community's members (as posts: invitees and former members
    see nothing); items of open and moderated communities like any other;
  - never: items whose author (`created_by` / `author`) is suspended, or blocks the viewer
    or is blocked by the viewer;
  - drafts (articles only): their authors only;
  - an author keeps their own articles (drafts included) except across the secret-community
    rule: once they leave a secret community, what they wrote there is gone for them too.
- `visible_answers(viewer, thread)`: the thread's answers minus those across a block.
- `access_article(viewer, id)` / `access_thread(viewer, id)`: the item or NotFound (missing
  and forbidden alike, so existence never leaks).
- `can_edit_article(viewer, article)`: an author (co-authors included).
- `can_accept_answer(viewer, thread)`: the asker, or a moderator of the thread's community
  (instance moderators for instance-wide threads).
- `is_validator(viewer, item)`: validator of the item's space — instance-wide validators
  (`ValidatorRole` without community, granted by administrators) for items outside
  communities; community moderators and above, or explicit community validators, for items
  of a community.
- `reviewable_filter(viewer)`: a `Q` selecting the items `viewer` may validate.
- `validators_of(item)`: the accounts to tell when the item is submitted.
- `blog_choices(viewer)` / `postable_communities(viewer)`: where the viewer may publish.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from voliere.accounts.models import Account, Block, OrganisationRole
from voliere.communities.access import can_moderate
from voliere.communities.models import Community, Kind, Membership, Role
from voliere.core.exceptions import NotFound
from voliere.knowledge.models import (
    Answer,
    Article,
    ArticleAuthor,
    ArticleStatus,
    KnowledgeVisibility,
    Thread,
    ValidatorRole,
)

if TYPE_CHECKING:
    from voliere.knowledge.models.base import KnowledgeItem

_NOT_SECRET = Q(community__isnull=True) | Q(community__kind__in=(Kind.OPEN, Kind.MODERATED))
_STAFF_ROLES = (Role.OWNER, Role.ADMIN, Role.MODERATOR)


def blocks_between(viewer: Account, author_ref: str) -> Exists:
    return Exists(
        Block.objects.filter(
            Q(blocker=viewer, blocked=OuterRef(author_ref))
            | Q(blocker=OuterRef(author_ref), blocked=viewer)
        )
    )


def _within_reach(viewer: Account) -> Q:
    """Outside secret communities, or in one the viewer is a member of."""
    secret_member = Exists(
        Membership.objects.filter(community=OuterRef("community"), account=viewer)
    )
    return _NOT_SECRET | Q(secret_member)


def _readable(viewer: Account | None, author_field: str) -> Q:
    """Published-item rules shared by articles and threads (see the module docstring)."""
    live = Q(**{f"{author_field}__is_suspended": False})
    if viewer is None:
        return live & _NOT_SECRET & Q(visibility=KnowledgeVisibility.PUBLIC)
    return live & _within_reach(viewer) & ~Q(blocks_between(viewer, author_field))


def visible_articles(viewer: Account | None) -> QuerySet[Article]:
    published = Q(status=ArticleStatus.PUBLISHED) & _readable(viewer, "created_by")
    if viewer is None:
        return Article.objects.filter(published)
    is_author = Exists(ArticleAuthor.objects.filter(article=OuterRef("pk"), account=viewer))
    return Article.objects.filter(published | (Q(is_author) & _within_reach(viewer)))


def visible_threads(viewer: Account | None) -> QuerySet[Thread]:
    return Thread.objects.filter(_readable(viewer, "author"))


def visible_answers(viewer: Account | None, thread: Thread) -> QuerySet[Answer]:
    answers = Answer.objects.filter(thread=thread, author__is_suspended=False)
    if viewer is not None:
        answers = answers.exclude(blocks_between(viewer, "author"))
    return answers


def _pk(raw: int | str, message: str) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise NotFound(message) from None


def access_article(viewer: Account | None, article_id: int | str) -> Article:
    message = _("No such article.")
    article = (
        visible_articles(viewer)
        .select_related("created_by", "blog", "community")
        .filter(pk=_pk(article_id, message))
        .first()
    )
    if article is None:
        raise NotFound(message)
    return article


def access_thread(viewer: Account | None, thread_id: int | str) -> Thread:
    message = _("No such question.")
    thread = (
        visible_threads(viewer)
        .select_related("author", "community")
        .filter(pk=_pk(thread_id, message))
        .first()
    )
    if thread is None:
        raise NotFound(message)
    return thread


def is_article_author(viewer: Account | None, article: Article) -> bool:
    return (
        viewer is not None
        and ArticleAuthor.objects.filter(article=article, account=viewer).exists()
    )


def can_edit_article(viewer: Account | None, article: Article) -> bool:
    return viewer is not None and not viewer.is_suspended and is_article_author(viewer, article)


def _is_instance_moderator(viewer: Account) -> bool:
    user = getattr(viewer, "user", None) if viewer.kind == "person" else None
    return bool(user is not None and user.is_active and user.is_moderator)


def can_accept_answer(viewer: Account | None, thread: Thread) -> bool:
    if viewer is None or viewer.is_suspended:
        return False
    if viewer.id == thread.author_id:
        return True
    if thread.community_id is not None:
        return can_moderate(viewer, thread.community)
    return _is_instance_moderator(viewer)


def is_instance_validator(viewer: Account | None) -> bool:
    return (
        viewer is not None
        and not viewer.is_suspended
        and ValidatorRole.objects.filter(account=viewer, community__isnull=True).exists()
    )


def is_validator(viewer: Account | None, item: KnowledgeItem) -> bool:
    if viewer is None or viewer.is_suspended:
        return False
    if item.community_id is None:
        return is_instance_validator(viewer)
    return (
        can_moderate(viewer, item.community)
        or ValidatorRole.objects.filter(account=viewer, community_id=item.community_id).exists()
    )


def reviewable_filter(viewer: Account) -> Q:
    """Items (of either kind) `viewer` may validate, as a filter on their `community`."""
    staff_of = Membership.objects.filter(account=viewer, role__in=_STAFF_ROLES).values(
        "community_id"
    )
    validator_of = ValidatorRole.objects.filter(account=viewer, community__isnull=False).values(
        "community_id"
    )
    condition = Q(community_id__in=staff_of) | Q(community_id__in=validator_of)
    if is_instance_validator(viewer):
        condition |= Q(community__isnull=True)
    return condition


def validators_of(item: KnowledgeItem) -> QuerySet[Account]:
    if item.community_id is None:
        chosen = Q(validator_roles__community__isnull=True)
    else:
        staff = Membership.objects.filter(
            community_id=item.community_id, role__in=_STAFF_ROLES
        ).values("account_id")
        chosen = Q(pk__in=staff) | Q(validator_roles__community_id=item.community_id)
    return Account.objects.active().filter(chosen).distinct()


def blog_choices(viewer: Account) -> list[Account]:
    """The viewer's own blog, then the organisations whose blogs they may write in (those
    they manage through `OrganisationRole`)."""
    managed: list[Account] = []
    if viewer.kind == "person":
        managed = list(
            Account.objects.active()
            .filter(
                pk__in=OrganisationRole.objects.filter(user__account=viewer).values(
                    "organisation_id"
                )
            )
            .order_by("handle_lower")
        )
    return [viewer, *managed]


def postable_communities(viewer: Account) -> QuerySet[Community]:
    """Communities the viewer may publish in (members not banned), by name."""
    from voliere.communities.models import Ban

    return (
        Community.objects.filter(memberships__account=viewer)
        .exclude(pk__in=Ban.objects.filter(account=viewer).values("community_id"))
        .order_by("name")
    )

"""Every change to communities: create, edit, join, request, invite, approve, leave,
remove, ban, roles, pins.

Each action validates its input (InvalidInput naming the field, Forbidden when the actor
lacks the role, NotFound when the actor may not see the community), changes the database
inside one transaction with the community row locked (so "the last owner" and the member
count stay right when two people act at once), and writes the notifications it causes in
that same transaction: a rolled-back action notifies nobody. Repeating an action (joining
twice, inviting twice) changes nothing.

Powers, by role: moderators approve and reject requests, invite, pin and unpin, remove and
ban people of lower rank; admins also edit the community and name moderators; owners do
everything, including naming admins and other owners. Nobody acts on someone of equal or
higher rank, except owners on owners.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.text import slugify
from django.utils.translation import gettext as _

from voliere.accounts.models import Account
from voliere.communities.access import role_of
from voliere.communities.models import (
    Ban,
    Community,
    Invitation,
    JoinRequest,
    Kind,
    Membership,
    Pin,
    Role,
)
from voliere.communities.models.community import DESCRIPTION_MAX, NAME_MAX, RULES_MAX, SLUG_MAX
from voliere.core.events import emit
from voliere.core.exceptions import Forbidden, InvalidInput, NotFound
from voliere.notifications.actions import notify
from voliere.notifications.models import NotificationKind

if TYPE_CHECKING:
    from voliere.posts.models import Post

SUBJECT = "community"
PINS_MAX = 5
_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


# Validation ---------------------------------------------------------------------------


def _clean_name(name: str) -> str:
    name = " ".join((name or "").replace("\x00", "").split())
    if not name:
        raise InvalidInput(_("A community needs a name."), field="name")
    if len(name) > NAME_MAX:
        raise InvalidInput(
            _("A name has at most %(limit)s characters.") % {"limit": NAME_MAX}, field="name"
        )
    return name


def _clean_slug(slug: str, name: str) -> str:
    slug = (slug or "").strip().lower() or slugify(name)[:SLUG_MAX].strip("-")
    if not slug or len(slug) > SLUG_MAX or not _SLUG_RE.match(slug):
        raise InvalidInput(
            _(
                "The address uses lower-case letters, digits and dashes only "
                "(at most %(limit)s characters)."
            )
            % {"limit": SLUG_MAX},
            field="slug",
        )
    return slug


def _clean_text(value: str, *, limit: int, field: str) -> str:
    value = (value or "").replace("\r\n", "\n").replace("\x00", "").strip()
    if len(value) > limit:
        raise InvalidInput(
            _("This text has at most %(limit)s characters (it has %(count)s).")
            % {"limit": limit, "count": len(value)},
            field=field,
        )
    return value


def _clean_kind(kind: str) -> str:
    if kind not in Kind.values:
        raise InvalidInput(
            _("The kind must be one of: %(choices)s.") % {"choices": ", ".join(Kind.values)},
            field="kind",
        )
    return kind


def _slug_taken() -> InvalidInput:
    return InvalidInput(_("This address is already taken by another community."), field="slug")


# Helpers ------------------------------------------------------------------------------


def _locked(community: Community) -> Community:
    """The community row, locked until the end of the transaction (PostgreSQL; SQLite
    serializes writers anyway)."""
    return Community.objects.select_for_update().get(pk=community.pk)


def _rank(account: Account, community: Community) -> int:
    return Role.rank(role_of(account, community))


def _require_rank(actor: Account, community: Community, role: str) -> int:
    """The actor's rank, if at least `role`'s; Forbidden otherwise (a non-member of a
    secret community gets NotFound instead, so the community's existence does not leak)."""
    rank = _rank(actor, community)
    if rank == 0 and community.is_secret and not _invited(actor, community):
        raise NotFound(_("No such community."))
    if actor.is_suspended or rank < Role.rank(role):
        raise Forbidden(_("You do not have the role needed to do this in this community."))
    return rank


def _require_outranks(actor_rank: int, target: Account, community: Community) -> str | None:
    """The target's role; Forbidden unless the actor outranks them (owners act on owners)."""
    target_role = role_of(target, community)
    target_rank = Role.rank(target_role)
    if target_rank >= actor_rank and actor_rank != Role.rank(Role.OWNER):
        raise Forbidden(_("You can only act on people whose role is below yours."))
    return target_role


def _invited(account: Account, community: Community) -> bool:
    return Invitation.objects.filter(community=community, account=account).exists()


def _banned(account: Account, community: Community) -> bool:
    return Ban.objects.filter(community=community, account=account).exists()


def _add_member(community: Community, account: Account, role: str = Role.MEMBER) -> bool:
    """Make `account` a member (True) or leave an existing membership as it is (False).

    The unique (community, account) constraint settles concurrent joins; the savepoint
    keeps the outer transaction usable when the insert loses the race."""
    try:
        with transaction.atomic():
            Membership.objects.create(community=community, account=account, role=role)
    except IntegrityError:
        return False
    Community.objects.filter(pk=community.pk).update(members_count=F("members_count") + 1)
    JoinRequest.objects.filter(community=community, account=account).delete()
    Invitation.objects.filter(community=community, account=account).delete()
    return True


def _drop_member(community: Community, account: Account) -> bool:
    deleted, _ignored = Membership.objects.filter(community=community, account=account).delete()
    if deleted:
        Community.objects.filter(pk=community.pk, members_count__gt=0).update(
            members_count=F("members_count") - 1
        )
    return bool(deleted)


def _owners_count(community: Community) -> int:
    return Membership.objects.filter(community=community, role=Role.OWNER).count()


def _staff_ids(community: Community) -> list[int]:
    staff = (Role.OWNER, Role.ADMIN, Role.MODERATOR)
    return list(
        Membership.objects.filter(community=community, role__in=staff).values_list(
            "account_id", flat=True
        )
    )


def _notify(recipient_id: int, actor: Account, kind: str, community: Community) -> None:
    notify(
        recipient_id=recipient_id,
        actor_id=actor.pk,
        kind=kind,
        subject_type=SUBJECT,
        subject_id=community.pk,
    )


# Creating and editing -----------------------------------------------------------------


@transaction.atomic
def create_community(
    creator: Account,
    *,
    name: str,
    slug: str = "",
    description: str = "",
    rules: str = "",
    kind: str = Kind.OPEN,
    organisation: Account | None = None,
) -> Community:
    """Create a community whose first owner is `creator`. `slug` defaults to the name's."""
    if creator.is_suspended:
        raise Forbidden(_("A suspended account cannot create communities."))
    name = _clean_name(name)
    slug = _clean_slug(slug, name)
    fields = {
        "name": name,
        "slug": slug,
        "description": _clean_text(description, limit=DESCRIPTION_MAX, field="description"),
        "rules": _clean_text(rules, limit=RULES_MAX, field="rules"),
        "kind": _clean_kind(kind),
        "organisation": organisation,
        "created_by": creator,
    }
    if Community.objects.filter(slug=slug).exists():
        raise _slug_taken()
    try:
        with transaction.atomic():
            community = Community.objects.create(**fields)
    except IntegrityError:
        # Someone took the slug between the check and the insert.
        raise _slug_taken() from None
    _add_member(community, creator, Role.OWNER)
    community.refresh_from_db(fields=["members_count"])
    return community


@transaction.atomic
def update_community(
    actor: Account,
    community: Community,
    *,
    name: str,
    description: str,
    rules: str,
    kind: str,
) -> Community:
    """Admins and owners edit the name, about text, rules and kind. The kind moves between
    open and moderated only: secrecy is decided at creation (see `Kind`)."""
    community = _locked(community)
    _require_rank(actor, community, Role.ADMIN)
    kind = _clean_kind(kind)
    if (kind == Kind.SECRET) != community.is_secret:
        raise InvalidInput(
            _("A community becomes secret, or stops being secret, only by creating a new one."),
            field="kind",
        )
    community.name = _clean_name(name)
    community.description = _clean_text(description, limit=DESCRIPTION_MAX, field="description")
    community.rules = _clean_text(rules, limit=RULES_MAX, field="rules")
    kind_changed = community.kind != kind
    community.kind = kind
    community.save(update_fields=["name", "description", "rules", "kind"])
    if kind_changed:
        emit("community.kind_changed", community_id=community.id)
    return community


# Joining and leaving ------------------------------------------------------------------


class JoinOutcome:
    JOINED = "joined"
    REQUESTED = "requested"


@transaction.atomic
def join_community(account: Account, community: Community, *, message: str = "") -> str:
    """Join an open community, or one the account is invited to (`JoinOutcome.JOINED`);
    ask to join a moderated one (`JoinOutcome.REQUESTED`, its moderators are notified).

    Banned accounts are refused (Forbidden); a secret community without an invitation is
    NotFound. Joining again, or asking again, changes nothing."""
    community = _locked(community)
    invited = _invited(account, community)
    if community.is_secret and not invited and role_of(account, community) is None:
        raise NotFound(_("No such community."))
    if account.is_suspended:
        raise Forbidden(_("A suspended account cannot join communities."))
    if _banned(account, community):
        raise Forbidden(_("You are banned from this community."))
    if role_of(account, community) is not None:
        return JoinOutcome.JOINED
    if community.is_open or invited:
        _add_member(community, account)
        return JoinOutcome.JOINED
    message = _clean_text(message, limit=500, field="message")
    _request, created = JoinRequest.objects.get_or_create(
        community=community, account=account, defaults={"message": message}
    )
    if created:
        for staff_id in _staff_ids(community):
            _notify(staff_id, account, NotificationKind.COMMUNITY_REQUEST, community)
    return JoinOutcome.REQUESTED


@transaction.atomic
def cancel_join_request(account: Account, community: Community) -> bool:
    deleted, _ignored = JoinRequest.objects.filter(community=community, account=account).delete()
    return bool(deleted)


@transaction.atomic
def leave_community(account: Account, community: Community) -> bool:
    """Leave; False if not a member. The last owner must name another owner first."""
    community = _locked(community)
    role = role_of(account, community)
    if role is None:
        return False
    if role == Role.OWNER and _owners_count(community) == 1:
        raise InvalidInput(
            _("You are the last owner: make someone else an owner before leaving."),
            field="role",
        )
    return _drop_member(community, account)


# Requests and invitations -------------------------------------------------------------


def _pending_request(community: Community, account: Account) -> JoinRequest:
    request = JoinRequest.objects.filter(community=community, account=account).first()
    if request is None:
        raise NotFound(_("No such request to join."))
    return request


@transaction.atomic
def approve_join_request(actor: Account, community: Community, account: Account) -> bool:
    """A moderator lets `account` in; they are notified. False if they were already in."""
    community = _locked(community)
    _require_rank(actor, community, Role.MODERATOR)
    _pending_request(community, account)
    if _banned(account, community):
        JoinRequest.objects.filter(community=community, account=account).delete()
        raise InvalidInput(_("This person is banned from the community."), field="account")
    added = _add_member(community, account)
    if added:
        _notify(account.pk, actor, NotificationKind.COMMUNITY_APPROVED, community)
    return added


@transaction.atomic
def reject_join_request(actor: Account, community: Community, account: Account) -> None:
    community = _locked(community)
    _require_rank(actor, community, Role.MODERATOR)
    _pending_request(community, account).delete()


@transaction.atomic
def invite_to_community(actor: Account, community: Community, invitee: Account) -> bool:
    """Invite `invitee` (notified). Moderators invite; in an open community any member
    may. True if a new invitation was made."""
    community = _locked(community)
    _require_rank(actor, community, Role.MEMBER if community.is_open else Role.MODERATOR)
    if invitee.is_suspended:
        raise InvalidInput(_("This account is suspended."), field="account")
    if role_of(invitee, community) is not None:
        raise InvalidInput(_("This person is already a member."), field="account")
    if _banned(invitee, community):
        raise InvalidInput(_("This person is banned from the community."), field="account")
    _invitation, created = Invitation.objects.get_or_create(
        community=community, account=invitee, defaults={"invited_by": actor}
    )
    if created:
        _notify(invitee.pk, actor, NotificationKind.COMMUNITY_INVITE, community)
    return created


@transaction.atomic
def accept_invitation(account: Account, community: Community) -> bool:
    """Become a member through a pending invitation (NotFound without one)."""
    community = _locked(community)
    if not _invited(account, community):
        raise NotFound(_("No such invitation."))
    if _banned(account, community):
        raise Forbidden(_("You are banned from this community."))
    return _add_member(community, account)


@transaction.atomic
def decline_invitation(account: Account, community: Community) -> bool:
    deleted, _ignored = Invitation.objects.filter(community=community, account=account).delete()
    return bool(deleted)


# Moderating members -------------------------------------------------------------------


@transaction.atomic
def remove_member(actor: Account, community: Community, member: Account) -> bool:
    """A moderator removes someone of lower rank; they may join (or ask) again."""
    community = _locked(community)
    actor_rank = _require_rank(actor, community, Role.MODERATOR)
    role = _require_outranks(actor_rank, member, community)
    if role == Role.OWNER and _owners_count(community) == 1:
        raise InvalidInput(_("A community keeps at least one owner."), field="account")
    return _drop_member(community, member)


@transaction.atomic
def ban_member(actor: Account, community: Community, member: Account, *, reason: str = "") -> bool:
    """Ban someone of lower rank (member or not): their membership, request and invitation
    go, and they cannot join, ask, be invited or post until unbanned. True if new."""
    community = _locked(community)
    actor_rank = _require_rank(actor, community, Role.MODERATOR)
    if member.pk == actor.pk:
        raise InvalidInput(_("You cannot ban yourself."), field="account")
    role = _require_outranks(actor_rank, member, community)
    if role == Role.OWNER and _owners_count(community) == 1:
        raise InvalidInput(_("A community keeps at least one owner."), field="account")
    reason = _clean_text(reason, limit=500, field="reason")
    _ban, created = Ban.objects.get_or_create(
        community=community, account=member, defaults={"banned_by": actor, "reason": reason}
    )
    _drop_member(community, member)
    JoinRequest.objects.filter(community=community, account=member).delete()
    Invitation.objects.filter(community=community, account=member).delete()
    return created


@transaction.atomic
def unban_member(actor: Account, community: Community, account: Account) -> bool:
    community = _locked(community)
    _require_rank(actor, community, Role.MODERATOR)
    deleted, _ignored = Ban.objects.filter(community=community, account=account).delete()
    return bool(deleted)


@transaction.atomic
def set_role(actor: Account, community: Community, member: Account, role: str) -> str:
    """Give `member` a role below the actor's own (owners may name owners). The last owner
    stays one until another owner exists. Returns the new role."""
    if role not in Role.values:
        raise InvalidInput(
            _("The role must be one of: %(choices)s.") % {"choices": ", ".join(Role.values)},
            field="role",
        )
    community = _locked(community)
    actor_rank = _require_rank(actor, community, Role.ADMIN)
    if member.pk == actor.pk:
        current = role_of(actor, community)
    else:
        current = _require_outranks(actor_rank, member, community)
    if current is None:
        raise InvalidInput(_("This person is not a member."), field="account")
    if Role.rank(role) >= actor_rank and actor_rank != Role.rank(Role.OWNER):
        raise Forbidden(_("You can only give roles below your own."))
    if current == Role.OWNER and role != Role.OWNER and _owners_count(community) == 1:
        raise InvalidInput(
            _("A community keeps at least one owner: make someone else an owner first."),
            field="role",
        )
    Membership.objects.filter(community=community, account=member).update(role=role)
    return role


# Pins ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PinResult:
    created: bool
    pins: int


@transaction.atomic
def pin_post(actor: Account, community: Community, post: Post) -> PinResult:
    """Pin a live top-level post of this community (at most `PINS_MAX` pins)."""
    community = _locked(community)
    _require_rank(actor, community, Role.MODERATOR)
    if post.community_id != community.pk or post.deleted_at is not None or post.reblog_of_id:
        raise InvalidInput(_("Only posts of this community can be pinned here."), field="post")
    pins = Pin.objects.filter(community=community).count()
    if Pin.objects.filter(community=community, post=post).exists():
        return PinResult(created=False, pins=pins)
    if pins >= PINS_MAX:
        raise InvalidInput(
            _("A community has at most %(limit)s pinned posts: unpin one first.")
            % {"limit": PINS_MAX},
            field="post",
        )
    _pin, created = Pin.objects.get_or_create(
        community=community, post=post, defaults={"pinned_by": actor}
    )
    return PinResult(created=created, pins=pins + int(created))


@transaction.atomic
def unpin_post(actor: Account, community: Community, post: Post) -> bool:
    community = _locked(community)
    _require_rank(actor, community, Role.MODERATOR)
    deleted, _ignored = Pin.objects.filter(community=community, post=post).delete()
    return bool(deleted)

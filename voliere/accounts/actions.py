"""Every change to accounts, profiles, skills and the social graph.

Views, APIs, tasks, the CLI, the demo seeder and tests all call these functions; none of
them saves account objects directly. Side effects (timeline clean-up, notifications)
are announced with `voliere.core.events.emit` and run after commit.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from voliere.accounts.handles import validate_handle
from voliere.accounts.models import (
    Account,
    AccountKind,
    AccountSkill,
    Block,
    Endorsement,
    Follow,
    Invite,
    Mute,
    OrganisationRole,
    Role,
    Skill,
    User,
)
from voliere.core.events import emit
from voliere.core.exceptions import Forbidden, InvalidInput, NotFound


def _check_handle_free(handle: str) -> None:
    if Account.objects.filter(handle_lower=handle.lower()).exists():
        raise InvalidInput(_("This handle is already taken."), field="handle")


def _new_account(*, handle: str, kind: str, display_name: str, **fields: object) -> Account:
    handle = validate_handle(handle)
    _check_handle_free(handle)
    account = Account(
        handle=handle,
        handle_lower=handle.lower(),
        kind=kind,
        display_name=display_name.strip()[:80],
        **fields,
    )
    try:
        with transaction.atomic():
            account.save(force_insert=True)
    except IntegrityError:  # a concurrent sign-up took the handle between check and insert
        raise InvalidInput(_("This handle is already taken."), field="handle") from None
    return account


def email_domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].lower()


@transaction.atomic
def register_person(
    *,
    handle: str,
    email: str,
    password: str,
    display_name: str = "",
    invite_code: str = "",
    role: str = Role.MEMBER,
    enforce_signup_policy: bool = True,
) -> User:
    """Create a person account and its user. Raises InvalidInput naming the faulty field.

    With `enforce_signup_policy` the instance's `VOLIERE_SIGNUP` mode applies (invite
    code or e-mail domain); admins and the CLI create users without it.
    """
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput(_("Enter a valid e-mail address."), field="email") from None
    if User.objects.filter(email__iexact=email).exists():
        raise InvalidInput(_("An account with this e-mail address already exists."), field="email")
    invite = None
    if enforce_signup_policy:
        invite = _check_signup_policy(email, invite_code)
    try:
        validate_password(password)
    except ValidationError as error:
        raise InvalidInput(" ".join(error.messages), field="password") from None
    organisation = instance_organisation()
    verified = bool(organisation and email_domain(email) in settings.SIGNUP_DOMAINS)
    account = _new_account(
        handle=handle,
        kind=AccountKind.PERSON,
        display_name=display_name,
        organisation=organisation if verified else None,
        employment_verified=verified,
    )
    user = User(email=email, account=account, role=role)
    user.set_password(password)
    user.save(force_insert=True)
    if invite is not None:
        Invite.objects.filter(pk=invite.pk).update(uses=F("uses") + 1)
    return user


def _check_signup_policy(email: str, invite_code: str) -> Invite | None:
    if settings.SIGNUP_MODE == "domain" and email_domain(email) not in settings.SIGNUP_DOMAINS:
        raise InvalidInput(
            _("Sign-up is limited to addresses at: %(domains)s.")
            % {"domains": ", ".join(settings.SIGNUP_DOMAINS) or "-"},
            field="email",
        )
    if settings.SIGNUP_MODE == "invite":
        invite = Invite.objects.select_for_update().filter(code=invite_code.strip()).first()
        if invite is None or not invite.is_usable:
            raise InvalidInput(_("This invitation code is not valid."), field="invite_code")
        return invite
    return None


def instance_organisation() -> Account | None:
    """The organisation that runs this instance: the oldest organisation account."""
    return Account.objects.filter(kind=AccountKind.ORGANISATION).order_by("id").first()


@transaction.atomic
def create_organisation(*, handle: str, display_name: str, managers: list[User] = ()) -> Account:
    account = _new_account(handle=handle, kind=AccountKind.ORGANISATION, display_name=display_name)
    for user in managers:
        OrganisationRole.objects.create(user=user, organisation=account)
    return account


@transaction.atomic
def create_affiliated(*, parent: Account, handle: str, display_name: str) -> Account:
    """A division or country account tied to `parent` (an organisation)."""
    if parent.kind != AccountKind.ORGANISATION:
        raise InvalidInput(_("An affiliated account belongs to an organisation."), field="parent")
    return _new_account(
        handle=handle, kind=AccountKind.AFFILIATED, display_name=display_name, organisation=parent
    )


def set_employer(account: Account, organisation: Account | None, *, verified: bool) -> None:
    """Link a person to the organisation they work for (verified by an admin or e-mail domain)."""
    if organisation is not None and organisation.kind != AccountKind.ORGANISATION:
        raise InvalidInput(_("An employer must be an organisation account."), field="organisation")
    account.organisation = organisation
    account.employment_verified = verified and organisation is not None
    account.save(update_fields=["organisation", "employment_verified"])


PROFILE_FIELDS = ("display_name", "bio", "job_title", "department", "location", "languages")


@dataclass(frozen=True, slots=True)
class ProfileLink:
    label: str
    url: str


def update_profile(
    account: Account, *, links: list[ProfileLink] | None = None, **fields: str
) -> None:
    """Change profile text fields and links. Unknown field names are a programming error."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"not profile fields: {sorted(unknown)}")
    limits = {f: Account._meta.get_field(f).max_length for f in PROFILE_FIELDS}
    for name, value in fields.items():
        value = value.replace("\x00", "").strip()
        if limits[name] and len(value) > limits[name]:
            raise InvalidInput(_("At most %(n)s characters.") % {"n": limits[name]}, field=name)
        setattr(account, name, value)
    update = list(fields)
    if links is not None:
        account.links = [_checked_link(link) for link in links[:5]]
        update.append("links")
    if update:
        account.save(update_fields=update)


def _checked_link(link: ProfileLink) -> dict[str, str]:
    try:
        URLValidator(schemes=["http", "https"])(link.url)
    except ValidationError:
        raise InvalidInput(_("Enter a valid web address (http or https)."), field="links") from None
    return {"label": link.label.strip()[:40] or link.url, "url": link.url}


def normalize_skill(name: str) -> tuple[str, str]:
    clean = " ".join(name.split())[:60]
    return clean, clean.casefold()


@transaction.atomic
def set_skills(account: Account, names: list[str]) -> None:
    """Make the account's skills exactly `names` (order kept as given, duplicates dropped)."""
    wanted: dict[str, str] = {}
    for raw in names:
        name, key = normalize_skill(raw)
        if name:
            wanted.setdefault(key, name)
    if len(wanted) > 50:
        raise InvalidInput(_("At most 50 skills."), field="skills")
    existing = {s.key: s for s in Skill.objects.filter(key__in=wanted)}
    missing = [Skill(key=k, name=n) for k, n in wanted.items() if k not in existing]
    Skill.objects.bulk_create(missing, ignore_conflicts=True)
    skills = {s.key: s for s in Skill.objects.filter(key__in=wanted)}
    AccountSkill.objects.filter(account=account).exclude(skill__key__in=wanted).delete()
    AccountSkill.objects.bulk_create(
        [AccountSkill(account=account, skill=skills[k]) for k in wanted],
        ignore_conflicts=True,
    )


@transaction.atomic
def endorse_skill(endorser: Account, account_skill: AccountSkill) -> bool:
    """Endorse a colleague's skill; False if already endorsed. Nobody endorses themselves."""
    if account_skill.account_id == endorser.id:
        raise Forbidden(_("You cannot endorse your own skills."))
    if is_blocked_between(endorser, account_skill.account):
        raise NotFound(_("Not found."))
    _obj, created = Endorsement.objects.get_or_create(
        account_skill=account_skill, endorser=endorser
    )
    if created:
        AccountSkill.objects.filter(pk=account_skill.pk).update(
            endorsements_count=F("endorsements_count") + 1
        )
    return created


@transaction.atomic
def withdraw_endorsement(endorser: Account, account_skill: AccountSkill) -> bool:
    deleted, _ignored = Endorsement.objects.filter(
        account_skill=account_skill, endorser=endorser
    ).delete()
    if deleted:
        AccountSkill.objects.filter(pk=account_skill.pk).update(
            endorsements_count=F("endorsements_count") - 1
        )
    return bool(deleted)


def is_blocked_between(a: Account, b: Account) -> bool:
    return (
        Block.objects.filter(blocker=a, blocked=b).exists()
        or Block.objects.filter(blocker=b, blocked=a).exists()
    )


@transaction.atomic
def follow_account(follower: Account, followee: Account) -> bool:
    """Follow; True if a new follow was made. Blocked in either direction: NotFound."""
    if follower.id == followee.id:
        raise InvalidInput(_("You cannot follow yourself."), field="account")
    if is_blocked_between(follower, followee) or followee.is_suspended:
        raise NotFound(_("Not found."))
    _obj, created = Follow.objects.get_or_create(follower=follower, followee=followee)
    if created:
        Account.objects.filter(pk=follower.pk).update(following_count=F("following_count") + 1)
        Account.objects.filter(pk=followee.pk).update(followers_count=F("followers_count") + 1)
        emit("account.followed", follower_id=follower.id, followee_id=followee.id)
    return created


@transaction.atomic
def unfollow_account(follower: Account, followee: Account) -> bool:
    deleted, _ignored = Follow.objects.filter(follower=follower, followee=followee).delete()
    if deleted:
        Account.objects.filter(pk=follower.pk).update(following_count=F("following_count") - 1)
        Account.objects.filter(pk=followee.pk).update(followers_count=F("followers_count") - 1)
        emit("account.unfollowed", follower_id=follower.id, followee_id=followee.id)
    return bool(deleted)


@transaction.atomic
def block_account(blocker: Account, blocked: Account) -> bool:
    """Block: follows both ways end, and each disappears from the other's timelines."""
    if blocker.id == blocked.id:
        raise InvalidInput(_("You cannot block yourself."), field="account")
    _obj, created = Block.objects.get_or_create(blocker=blocker, blocked=blocked)
    unfollow_account(blocker, blocked)
    unfollow_account(blocked, blocker)
    if created:
        emit("account.blocked", blocker_id=blocker.id, blocked_id=blocked.id)
    return created


def unblock_account(blocker: Account, blocked: Account) -> bool:
    deleted, _ignored = Block.objects.filter(blocker=blocker, blocked=blocked).delete()
    return bool(deleted)


def mute_account(muter: Account, muted: Account) -> bool:
    if muter.id == muted.id:
        raise InvalidInput(_("You cannot mute yourself."), field="account")
    _obj, created = Mute.objects.get_or_create(muter=muter, muted=muted)
    return created


def unmute_account(muter: Account, muted: Account) -> bool:
    deleted, _ignored = Mute.objects.filter(muter=muter, muted=muted).delete()
    return bool(deleted)


def set_role(user: User, role: str) -> None:
    if role not in Role.values:
        raise InvalidInput(_("Unknown role."), field="role")
    user.role = role
    user.is_superuser = role == Role.ADMIN
    user.save(update_fields=["role", "is_superuser"])


def set_language(user: User, language: str) -> None:
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise InvalidInput(_("Unknown language."), field="language")
    user.language = language
    user.save(update_fields=["language"])


def touch_last_seen(user: User) -> None:
    """Record activity at most once an hour (adoption metrics read it)."""
    now = timezone.now()
    if user.last_seen_at is None or (now - user.last_seen_at).total_seconds() > 3600:
        User.objects.filter(pk=user.pk).update(last_seen_at=now)


def _replace_image(account: Account, field: str, encoded: object) -> None:
    """Store a re-encoded profile image and delete the previous file once committed."""
    from secrets import token_hex

    file_field = getattr(account, field)
    old_name = file_field.name
    file_field.save(f"{account.pk}-{token_hex(6)}.{encoded.extension}", encoded.content, save=False)
    account.save(update_fields=[field])
    if old_name:
        storage = file_field.storage
        transaction.on_commit(lambda: storage.delete(old_name), robust=True)


def update_avatar(account: Account, uploaded_file: object) -> None:
    """Validate, crop to 400×400 and re-encode the upload; raises InvalidInput(field="avatar")."""
    from voliere.accounts.images import encode_avatar

    _replace_image(account, "avatar", encode_avatar(uploaded_file))


def update_header(account: Account, uploaded_file: object) -> None:
    """Validate, fit in 1500×500 and re-encode the upload; raises InvalidInput(field="header")."""
    from voliere.accounts.images import encode_header

    _replace_image(account, "header", encode_header(uploaded_file))


def change_password(user: User, password: str) -> None:
    """Set a new password (validated against the instance's password rules)."""
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise InvalidInput(" ".join(error.messages), field="password") from None
    user.set_password(password)
    user.save(update_fields=["password"])


def suspend_account(account: Account) -> None:
    """Hide the account everywhere and stop its users from signing in."""
    account.is_suspended = True
    account.save(update_fields=["is_suspended"])
    emit("account.suspended", account_id=account.id)


def unsuspend_account(account: Account) -> None:
    account.is_suspended = False
    account.save(update_fields=["is_suspended"])


def set_user_active(user: User, active: bool) -> None:
    user.is_active = active
    user.save(update_fields=["is_active"])


def create_invite(
    *, created_by: User | None, max_uses: int = 1, expires_at: object = None
) -> Invite:
    """A new invitation code (random, URL-safe) usable `max_uses` times."""
    from secrets import token_urlsafe

    if max_uses < 1:
        raise InvalidInput(_("An invitation is usable at least once."), field="max_uses")
    return Invite.objects.create(
        code=token_urlsafe(12), created_by=created_by, max_uses=max_uses, expires_at=expires_at
    )


def expire_invite(invite: Invite) -> None:
    """Make an invitation code unusable from now on."""
    invite.expires_at = timezone.now()
    invite.save(update_fields=["expires_at"])

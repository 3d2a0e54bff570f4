"""Organisations with their affiliated accounts, and profiles with skills and endorsements.

Profiles and organisations are public pages on the web, as accounts are in the Mastodon
API: visitors may read them. An account that blocks the caller is not found for them.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router

from voliere.accounts import actions
from voliere.accounts.access import access_account
from voliere.accounts.models import Account, AccountKind, AccountSkill
from voliere.accounts.queries import profile_skills
from voliere.api.operations import operation
from voliere.api.pagination import CursorQuery, page_model, paged
from voliere.api.schemas.accounts import (
    OrganisationOut,
    ProfileOut,
    SkillOut,
    SkillsIn,
    from_organisation,
    from_profile,
    from_skill,
)
from voliere.api.schemas.common import AccountOut, from_account, load_organisations
from voliere.api.schemas.text import Text
from voliere.core.exceptions import NotFound
from voliere.core.pagination import paginate

router = Router(tags=["Organisations and profiles"])

OrganisationPage = page_model(OrganisationOut, "OrganisationPage")
AccountPage = page_model(AccountOut, "AccountPage")

_ACTIVE_MEMBER = Q(members__is_suspended=False)


def _with_family_counts(accounts: QuerySet[Account]) -> QuerySet[Account]:
    """Each organisation with its active affiliated accounts and verified employees
    counted in the same query (the profile page's `organisation_family` numbers)."""
    return accounts.annotate(
        affiliated_count=Count(
            "members", filter=_ACTIVE_MEMBER & Q(members__kind=AccountKind.AFFILIATED)
        ),
        verified_employees_count=Count(
            "members",
            filter=_ACTIVE_MEMBER
            & Q(members__kind=AccountKind.PERSON, members__employment_verified=True),
        ),
    )


def _organisation(request: HttpRequest, handle: Text) -> Account:
    account = access_account(request.auth.viewer, handle)
    if account.kind != AccountKind.ORGANISATION:
        raise NotFound(_("No such organisation."))
    return account


@operation(router, "GET", "/organisations", scopes="read:accounts", anonymous=True,
           response=OrganisationPage, summary="List organisations",
           description="Organisation (official) accounts, newest first.")
def list_organisations(request: HttpRequest, response: HttpResponse,
                       cursor: Query[CursorQuery]) -> dict:
    accounts = Account.objects.active().filter(kind=AccountKind.ORGANISATION)
    page = paginate(_with_family_counts(accounts).select_related("organisation"), cursor.cursor())
    return paged(request, response, [from_organisation(request, a) for a in page.items], page)


@operation(router, "GET", "/organisations/{handle}", scopes="read:accounts", anonymous=True,
           response=OrganisationOut, summary="Get an organisation",
           description="With its numbers of affiliated accounts and verified employees.")
def get_organisation(request: HttpRequest, handle: Text) -> dict:
    account = _organisation(request, handle)
    annotated = _with_family_counts(Account.objects.filter(pk=account.pk)).get()
    return from_organisation(request, annotated)


@operation(router, "GET", "/organisations/{handle}/affiliates", scopes="read:accounts",
           anonymous=True, response=AccountPage, summary="List affiliated accounts",
           description="The organisation's affiliated accounts (brands, teams, products).")
def list_affiliates(request: HttpRequest, response: HttpResponse, handle: Text,
                    cursor: Query[CursorQuery]) -> dict:
    organisation = _organisation(request, handle)
    affiliates = Account.objects.active().filter(
        organisation=organisation, kind=AccountKind.AFFILIATED
    )
    page = paginate(affiliates, cursor.cursor())
    for account in page.items:
        account.organisation = organisation
    return paged(request, response, [from_account(request, a) for a in page.items], page)


def _profile(request: HttpRequest, account: Account) -> dict:
    load_organisations([account])
    return from_profile(request, account, profile_skills(request.auth.viewer, account))


@operation(router, "GET", "/profiles/{handle}", scopes="read:accounts", anonymous=True,
           response=ProfileOut, summary="Get a profile",
           description="A person's or organisation's profile with skills and endorsements.")
def get_profile(request: HttpRequest, handle: Text) -> dict:
    return _profile(request, access_account(request.auth.viewer, handle))


@operation(router, "GET", "/me", scopes=("read:accounts", "profile"), response=ProfileOut,
           summary="Your own profile",
           description="The account the token acts as (yours, or an organisation you manage).")
def get_me(request: HttpRequest) -> dict:
    return _profile(request, request.auth.require_viewer())


@operation(router, "PUT", "/me/skills", scopes="write:accounts", response=list[SkillOut],
           summary="Replace your skills",
           description="Skills you drop lose their endorsements; the others keep theirs.")
def put_my_skills(request: HttpRequest, payload: SkillsIn) -> list[dict]:
    viewer = request.auth.require_viewer()
    actions.set_skills(viewer, payload.skills)
    return [from_skill(row) for row in profile_skills(viewer, viewer)]


def _skill_of(account: Account, skill_id: Text) -> AccountSkill:
    row = None
    if skill_id.isascii() and skill_id.isdigit() and len(skill_id) < 19:
        row = AccountSkill.objects.filter(account=account, skill_id=int(skill_id)).first()
    if row is None:
        raise NotFound(_("This person does not list this skill."))
    return row


def _skill_state(viewer: Account, account: Account, skill_id: Text) -> dict:
    for row in profile_skills(viewer, account):
        if str(row.skill_id) == skill_id:
            return from_skill(row)
    raise NotFound(_("This person does not list this skill."))


@operation(router, "POST", "/profiles/{handle}/skills/{skill_id}/endorse",
           scopes="write:accounts", response=SkillOut, summary="Endorse a skill",
           description="Vouch for a colleague's skill (not your own). Endorsing twice "
           "changes nothing.")
def endorse(request: HttpRequest, handle: Text, skill_id: Text) -> dict:
    viewer = request.auth.require_viewer()
    account = access_account(viewer, handle)
    actions.endorse_skill(viewer, _skill_of(account, skill_id))
    return _skill_state(viewer, account, skill_id)


@operation(router, "POST", "/profiles/{handle}/skills/{skill_id}/unendorse",
           scopes="write:accounts", response=SkillOut, summary="Withdraw an endorsement",
           description="Works even if the person has since blocked you or been suspended.")
def unendorse(request: HttpRequest, handle: Text, skill_id: Text) -> dict:
    viewer = request.auth.require_viewer()
    # Undoing one's own endorsement must work on accounts now hidden from the viewer,
    # as on the web (`accounts.views.graph`).
    account = Account.objects.by_handle(handle.lstrip("@")).first()
    if account is None:
        raise NotFound(_("No such account."))
    actions.withdraw_endorsement(viewer, _skill_of(account, skill_id))
    return _skill_state(viewer, account, skill_id)

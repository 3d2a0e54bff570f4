"""Organisations and profiles (with skills and endorsements)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Schema

from voliere.accounts.models import Account, AccountSkill
from voliere.api.schemas.common import AccountDetailsOut, from_account_details
from voliere.api.schemas.text import Text


class OrganisationOut(AccountDetailsOut):
    affiliated_count: int = Field(description="Active affiliated accounts.")
    verified_employees_count: int = Field(
        description="Active people whose employment by this organisation is verified."
    )


class SkillOut(Schema):
    id: str = Field(description="The skill's id, for endorsing it.")
    name: str
    endorsements: int
    endorsed_by_me: bool = Field(description="The caller endorsed it (false when anonymous).")


class LinkOut(Schema):
    label: str
    url: str


class ProfileOut(AccountDetailsOut):
    links: list[LinkOut]
    skills: list[SkillOut] = Field(description="Most endorsed first.")


class SkillsIn(Schema):
    skills: list[Text] = Field(
        description="The complete new list (order kept, duplicates dropped, at most 50)."
    )


def from_organisation(request: HttpRequest, account: Account) -> dict:
    """`account` carries the `affiliated_count` and `verified_employees_count` annotations."""
    return {
        **from_account_details(request, account),
        "affiliated_count": account.affiliated_count,
        "verified_employees_count": account.verified_employees_count,
    }


def from_skill(row: AccountSkill) -> dict:
    return {
        "id": str(row.skill_id),
        "name": row.skill.name,
        "endorsements": row.endorsements_count,
        "endorsed_by_me": bool(getattr(row, "endorsed_by_viewer", False)),
    }


def _links(account: Account) -> list[dict]:
    return [
        {"label": str(link.get("label", "")), "url": str(link.get("url", ""))}
        for link in account.links or []
        if isinstance(link, dict)
    ]


def from_profile(request: HttpRequest, account: Account, skills: list[AccountSkill]) -> dict:
    return {
        **from_account_details(request, account),
        "links": _links(account),
        "skills": [from_skill(row) for row in skills],
    }

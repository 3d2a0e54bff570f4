"""What several areas share: absolute URLs and the short account reference."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models import prefetch_related_objects
from django.http import HttpRequest
from ninja import Schema

from voliere.accounts.models import Account


def absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


class AccountOut(Schema):
    id: str
    handle: str
    display_name: str
    kind: str
    url: str
    avatar_url: str | None = None
    organisation: str | None = None  # the handle of the employer or parent organisation
    employment_verified: bool


class AccountDetailsOut(AccountOut):
    bio: str
    job_title: str
    department: str
    location: str
    languages: list[str]
    created_at: datetime
    followers_count: int
    following_count: int
    posts_count: int


def load_organisations(objects: Iterable[Any], path: str = "organisation") -> None:
    """Load the organisations of the accounts at `path` of `objects` in one query, so a
    list of N accounts does not cost N more (`from_account` shows the organisation)."""
    objects = list(objects)
    if objects:
        prefetch_related_objects(objects, path)


def from_account(request: HttpRequest, account: Account) -> dict:
    """On lists, call `load_organisations` first."""
    parent = account.organisation if account.organisation_id else None
    return {
        "id": str(account.pk),
        "handle": account.handle,
        "display_name": account.display_name,
        "kind": account.kind,
        "url": absolute(request, account.get_absolute_url()),
        "avatar_url": absolute(request, account.avatar.url) if account.avatar else None,
        "organisation": parent.handle if parent is not None else None,
        "employment_verified": account.employment_verified,
    }


def from_account_details(request: HttpRequest, account: Account) -> dict:
    return {
        **from_account(request, account),
        "bio": account.bio,
        "job_title": account.job_title,
        "department": account.department,
        "location": account.location,
        "languages": account.language_list,
        "created_at": account.created_at,
        "followers_count": account.followers_count,
        "following_count": account.following_count,
        "posts_count": account.posts_count,
    }

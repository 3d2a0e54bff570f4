"""People (and organisation accounts): handle, name, job, department, place and bio.

Suspended accounts and accounts on either side of a block with the viewer are left out
at query time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from voliere.search import text
from voliere.search.documents import Document
from voliere.search.kinds import SearchKind

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from voliere.accounts.models import Account


def _body(account: Any) -> str:
    return "\n".join(
        part
        for part in (account.job_title, account.department, account.location, account.bio)
        if part
    )


def build(account: Any, extra: dict) -> Document:
    body = _body(account)
    languages = [c.strip() for c in account.languages.split(",") if c.strip()]
    language = text.index_language(languages[0] if languages else "", body)
    return Document(
        object_id=account.id,
        title=text.tokens(f"{account.handle} {account.display_name}", language),
        body=text.tokens(body, language),
    )


def visible(viewer: Account | None) -> QuerySet:
    from voliere.accounts.models import Account, Block

    found = Account.objects.active()
    if viewer is None:
        return found
    return found.exclude(pk__in=Block.objects.filter(blocker=viewer).values("blocked")).exclude(
        pk__in=Block.objects.filter(blocked=viewer).values("blocker")
    )


KIND = SearchKind(
    name="people",
    table="account",
    model="accounts.Account",
    fields=(
        "id",
        "handle",
        "display_name",
        "job_title",
        "department",
        "location",
        "bio",
        "languages",
    ),
    build=build,
    visible=visible,
    text_of=lambda account: (account.display_name or account.handle, _body(account)),
    date_of=lambda account: account.created_at,
)

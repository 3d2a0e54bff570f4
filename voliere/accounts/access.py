"""Permission-checked getters: "not found" for missing and forbidden alike."""

from __future__ import annotations

from django.utils.translation import gettext as _

from voliere.accounts.models import Account, Block
from voliere.core.exceptions import NotFound


def access_account(viewer: Account | None, handle: str) -> Account:
    """The active account with this handle, unless it blocks `viewer`."""
    account = Account.objects.active().by_handle(handle.lstrip("@")).first()
    if account is None:
        raise NotFound(_("No such account."))
    if viewer is not None and Block.objects.filter(blocker=account, blocked=viewer).exists():
        raise NotFound(_("No such account."))
    return account


def access_account_by_id(viewer: Account | None, account_id: int) -> Account:
    account = Account.objects.active().filter(pk=account_id).first()
    if account is None or (
        viewer is not None and Block.objects.filter(blocker=account, blocked=viewer).exists()
    ):
        raise NotFound(_("No such account."))
    return account

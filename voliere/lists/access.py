"""Permission-checked getters: a list is only ever visible to its owner."""

from __future__ import annotations

from voliere.accounts.models import Account
from voliere.core.exceptions import InvalidInput, NotFound
from voliere.lists.models import List


def access_list(owner: Account, list_id: int | str) -> List:
    """The owner's list `list_id`; NotFound for a missing list and someone else's alike."""
    text = str(list_id)
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        raise NotFound("list not found")
    lst = List.objects.filter(pk=int(text), owner=owner).first()
    if lst is None:
        raise NotFound("list not found")
    return lst


def parse_account_ids(raw: list[str]) -> list[int]:
    """Account ids from `account_ids[]`; InvalidInput naming the first malformed one."""
    ids = []
    for value in raw:
        text = str(value).strip()
        if not (text.isascii() and text.isdigit()) or len(text) > 19:
            raise InvalidInput(f"account_ids: {value!r} is not an account id", field="account_ids")
        ids.append(int(text))
    return ids

"""Sign in with an e-mail address or a handle (with or without the leading "@")."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from voliere.accounts.models import User


def find_user(identifier: str) -> User | None:
    """The user an identifier names: an e-mail address if it contains "@" past the first
    character, otherwise a handle. Case-insensitive either way."""
    identifier = identifier.strip()
    if not identifier:
        return None
    users = User.objects.select_related("account")
    if "@" in identifier[1:]:
        return users.filter(email__iexact=identifier).first()
    return users.filter(account__handle_lower=identifier.lstrip("@").lower()).first()


class EmailOrHandleBackend(ModelBackend):
    """Django's model backend, looking the user up by e-mail or handle.

    Inactive users and users of suspended accounts cannot sign in. When no user matches,
    a password is still hashed so timing does not reveal which identifiers exist.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        identifier = username if username is not None else kwargs.get(User.USERNAME_FIELD)
        if identifier is None or password is None:
            return None
        user = find_user(identifier)
        if user is None:
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def user_can_authenticate(self, user: Any) -> bool:
        return super().user_can_authenticate(user) and not user.account.is_suspended

    def get_user(self, user_id: int) -> User | None:
        user = User.objects.select_related("account").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

"""`voliere token create --user HANDLE --scopes "read write follow" [--app NAME]`.

Prints the new token alone on standard output (so `TOKEN=$(voliere token create ...)`
works); what was done goes to standard error. The token belongs to an application owned
by the user (created on first use with the requested scopes, shown in their Settings →
Development), so they can see and revoke it like any other.
"""

from __future__ import annotations

import sys

from voliere.server import bootstrap
from voliere.server.errors import CommandFailed

DEFAULT_APP_NAME = "Command line"


def create_token_command(*, handle: str, scopes: str, app_name: str) -> int:
    bootstrap.use_settings(bootstrap.PRODUCTION_SETTINGS)
    bootstrap.setup_django()
    bootstrap.require_migrated()
    from django.db import transaction

    from voliere.accounts.auth import find_user
    from voliere.core.exceptions import InvalidInput
    from voliere.oauth import actions
    from voliere.oauth.models import Application

    user = find_user(handle)
    if user is None or not user.is_active or user.account.is_suspended:
        raise CommandFailed(f"--user: no active member with the handle or e-mail {handle!r}",
                            status=2)
    try:
        with transaction.atomic():
            application = Application.objects.filter(owner=user, name=app_name).first()
            if application is None:
                application = actions.register_application(
                    name=app_name, redirect_uris="urn:ietf:wg:oauth:2.0:oob", scopes=scopes,
                    owner=user,
                )
            issued = actions.create_personal_token(user=user, scopes=scopes,
                                                   application=application)
    except InvalidInput as error:
        option = {"client_name": "--app", "scopes": "--scopes"}.get(error.field or "", "")
        raise CommandFailed(f"{option + ': ' if option else ''}{error.message}",
                            status=2) from None
    print(
        f"Created a token for @{user.account.handle} with scopes "
        f"{issued.token.scopes!r} (application {application.name!r}). It is shown once:",
        file=sys.stderr,
    )
    print(issued.secret)
    return 0

"""Whether to show the "Listening" link: remembered in the session at sign-in.

The link is a convenience (every listening page checks access itself), so a per-session
flag is enough and costs no query per page. It is set for the managers of an organisation
account and for administrators; acting as an organisation shows the link too.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest

from voliere.accounts.models import User
from voliere.listening.access import listening_organisations

SESSION_KEY = "voliere_listens"


def _remember(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = listening_organisations(user).exists()


def connect() -> None:
    user_logged_in.connect(_remember, dispatch_uid="voliere-listening-navigation")

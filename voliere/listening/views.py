"""`/listening/`: straight to the first organisation the user listens for."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from voliere.core.exceptions import NotFound
from voliere.core.views_helpers import domain_errors, signed_in
from voliere.listening.access import listening_organisations


@signed_in
@domain_errors
def listening_home(request: HttpRequest) -> HttpResponse:
    organisation = listening_organisations(request.user).first()
    if organisation is None:
        raise NotFound(_("Listening is for the managers of an organisation's account."))
    return redirect("listening_dashboard", org=organisation.handle)

"""Unknown paths under the Mastodon API prefixes answer in JSON, as Mastodon does.

Routed last (see `voliere/config/urls.py`), after every area's routes: an app calling an
endpoint Volière does not have gets `404 {"error": "Not found"}` rather than an HTML page
it cannot parse.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from voliere.mastodon.plumbing import error_json


@csrf_exempt
def unknown_endpoint(request: HttpRequest, rest: str = "") -> HttpResponse:
    return error_json(404, "Not found")

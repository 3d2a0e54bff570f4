"""Instance routes: instance v1/v2, custom emojis, preferences, nodeinfo, application
registration (see voliere/mastodon/urls.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from voliere.mastodon import instance
from voliere.mastodon.apps_api import create_app, verify_app_credentials
from voliere.mastodon.plumbing import api_json, api_route, api_view

NODEINFO_SCHEMA = "http://nodeinfo.diaspora.software/ns/schema/2.0"


@api_view(auth="optional")
def instance_v1(request: HttpRequest) -> HttpResponse:
    return api_json(instance.instance_v1(request))


@api_view(auth="optional")
def instance_v2(request: HttpRequest) -> HttpResponse:
    return api_json(instance.instance_v2(request))


@api_view(auth="optional")
def custom_emojis(request: HttpRequest) -> HttpResponse:
    return api_json([])


@api_view(scopes="read:accounts")
def preferences(request: HttpRequest) -> HttpResponse:
    return api_json(instance.preferences(request.api_user, request.api_account))


@api_view(auth="optional")
def nodeinfo_links(request: HttpRequest) -> HttpResponse:
    href = request.build_absolute_uri("/nodeinfo/2.0")
    return api_json({"links": [{"rel": NODEINFO_SCHEMA, "href": href}]})


@api_view(auth="optional")
def nodeinfo(request: HttpRequest) -> HttpResponse:
    response = api_json(instance.nodeinfo(request))
    response["Content-Type"] = f'application/json; profile="{NODEINFO_SCHEMA}#"'
    return response


urlpatterns = [
    *api_route("api/v1/instance", instance_v1, name="api_instance_v1"),
    *api_route("api/v2/instance", instance_v2, name="api_instance_v2"),
    *api_route("api/v1/custom_emojis", custom_emojis, name="api_custom_emojis"),
    *api_route("api/v1/preferences", preferences, name="api_preferences"),
    *api_route("api/v1/apps", create_app, name="api_apps"),
    *api_route("api/v1/apps/verify_credentials", verify_app_credentials,
               name="api_apps_verify_credentials"),
    *api_route(".well-known/nodeinfo", nodeinfo_links, name="nodeinfo_links"),
    *api_route("nodeinfo/2.0", nodeinfo, name="nodeinfo"),
]

"""OAuth 2 endpoints, their discovery document and Settings → Development.

OAuth and well-known paths answer with and without a trailing slash (toot opens
`/oauth/authorize/`), without redirecting.
"""

from collections.abc import Callable

from django.urls import URLPattern, path

from voliere.oauth.views import authorize, development, token, wellknown


def _both(route: str, view: Callable, name: str) -> list[URLPattern]:
    return [path(route, view, name=name), path(f"{route}/", view)]


urlpatterns = [
    *_both("oauth/authorize", authorize.authorize, "oauth_authorize"),
    *_both("oauth/token", token.token_endpoint, "oauth_token"),
    *_both("oauth/revoke", token.revoke_endpoint, "oauth_revoke"),
    *_both(".well-known/oauth-authorization-server",
           wellknown.authorization_server_metadata, "oauth_metadata"),
    path("settings/development/", development.development, name="settings_development"),
    path("settings/development/applications/<int:app_id>/", development.application_detail,
         name="settings_development_app"),
    path("settings/development/applications/<int:app_id>/delete/",
         development.delete_application_view, name="settings_development_app_delete"),
    path("settings/development/tokens/<int:token_id>/revoke/", development.revoke_token_view,
         name="settings_development_token_revoke"),
    path("settings/development/authorized/<int:app_id>/revoke/",
         development.revoke_authorization_view, name="settings_development_authorized_revoke"),
]

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from voliere.core.views import healthz
from voliere.mastodon.unknown import unknown_endpoint

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    # Uploaded avatars and headers (re-encoded images, public like the profiles they
    # illustrate). A proxy may serve MEDIA_ROOT/avatars and MEDIA_ROOT/headers directly in
    # front of Volière instead. Nothing else under MEDIA_ROOT is public: article covers
    # are served by their article's view, to its readers only.
    re_path(
        r"^media/(?P<path>(?:avatars|headers)/.*)$", serve, {"document_root": settings.MEDIA_ROOT}
    ),
    # Machine interfaces first: Mastodon client API, OAuth, well-known, streaming, own API.
    path("", include("voliere.oauth.urls")),
    path("", include("voliere.mastodon.urls")),
    path("", include("voliere.lists.urls")),
    path("", include("voliere.streaming.urls")),
    path("", include("voliere.api.urls")),
    path("", include("voliere.accounts.urls")),
    path("", include("voliere.communities.urls")),
    path("", include("voliere.knowledge.urls")),
    path("", include("voliere.search.urls")),
    path("", include("voliere.expertise.urls")),
    path("", include("voliere.listening.urls")),
    path("", include("voliere.media.urls")),
    path("", include("voliere.polls.urls")),
    path("", include("voliere.notifications.urls")),
    path("", include("voliere.posts.urls")),
    path("", include("voliere.timelines.urls")),
    # Last: any other path under the Mastodon API prefixes is a JSON 404.
    re_path(r"^api/v[12]/(?P<rest>.*)$", unknown_endpoint),
]

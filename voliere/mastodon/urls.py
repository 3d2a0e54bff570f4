"""The Mastodon client API (`/api/v1`, `/api/v2`), assembled from one route module per area.

Each area keeps its own module so its routes, views and tests evolve together:
instance and nodeinfo, accounts, statuses (and polls), timelines and the reading surfaces
(notifications, markers, lists, search, trends, suggestions, conversations). Media routes
live in `voliere.media.urls`, OAuth in `voliere.oauth.urls`, streaming in
`voliere.streaming.urls`.
"""

from voliere.mastodon import routes_accounts, routes_instance, routes_statuses, routes_timelines

urlpatterns = [
    *routes_instance.urlpatterns,
    *routes_accounts.urlpatterns,
    *routes_statuses.urlpatterns,
    *routes_timelines.urlpatterns,
]

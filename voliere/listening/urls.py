"""The command center's pages, all under `/listening/<org>/` (see `access.listening_view`)."""

from django.urls import include, path

from voliere.listening.views import listening_home

urlpatterns = [
    path("listening/", listening_home, name="listening_home"),
    path("listening/<str:org>/", include("voliere.listening.dashboard.urls")),
    path("listening/<str:org>/topics/", include("voliere.listening.topics.urls")),
    path("listening/<str:org>/sources/", include("voliere.listening.sources.urls")),
    path("listening/<str:org>/alerts/", include("voliere.listening.alerts.urls")),
    path("listening/<str:org>/inbox/", include("voliere.listening.inbox.urls")),
]

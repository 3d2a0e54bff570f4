from django.contrib import admin
from django.urls import include, path

from voliere.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", include("voliere.accounts.urls")),
    path("", include("voliere.notifications.urls")),
    path("", include("voliere.posts.urls")),
    path("", include("voliere.timelines.urls")),
]

"""Attachment files, and the Mastodon media API (every route with and without a slash)."""

from django.urls import path, re_path

from voliere.media import api, views

urlpatterns = [
    path("attachments/<int:media_id>/thumbnail/", views.media_thumbnail, name="media_thumbnail"),
    path("attachments/<int:media_id>/<path:name>", views.media_file, name="media_file"),
    re_path(r"^api/v2/media/?$", api.create_media_v2, name="api_v2_media"),
    re_path(r"^api/v1/media/?$", api.create_media_v1, name="api_v1_media"),
    re_path(r"^api/v1/media/(?P<media_id>[^/]+)/?$", api.media_detail, name="api_v1_media_detail"),
]

from django.urls import path, re_path

from voliere.streaming import views

# The streams themselves (/api/v1/streaming/<stream>, the WebSocket, /live/) are ASGI
# handlers routed before Django: see voliere.streaming.routing.
urlpatterns = [
    re_path(r"^api/v1/streaming/health/?$", views.health, name="streaming_health"),
    path("live/home/new/", views.new_home_posts, name="live_new_home_posts"),
]

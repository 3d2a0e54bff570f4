"""`/listening/<org>/topics/…` (the `org` argument is consumed by `listening_view`)."""

from django.urls import path

from voliere.listening.topics import views

urlpatterns = [
    path("", views.topic_list, name="listening_topics"),
    path("new/", views.topic_new, name="listening_topic_new"),
    path("preview/", views.topic_preview, name="listening_topic_preview"),
    path("<int:topic_id>/edit/", views.topic_edit, name="listening_topic_edit"),
    path("<int:topic_id>/active/", views.topic_set_active, name="listening_topic_active"),
    path("<int:topic_id>/backfill/", views.topic_backfill, name="listening_topic_backfill"),
    path("<int:topic_id>/delete/", views.topic_delete, name="listening_topic_delete"),
]

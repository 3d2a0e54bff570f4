"""`/listening/<org>/sources/…` (the `org` argument is consumed by `listening_view`)."""

from django.urls import path

from voliere.listening.sources import views

urlpatterns = [
    path("", views.source_list, name="listening_sources"),
    path("new/", views.source_new, name="listening_source_new"),
    path("<int:source_id>/edit/", views.source_edit, name="listening_source_edit"),
    path("<int:source_id>/pause/", views.source_pause, name="listening_source_pause"),
    path("<int:source_id>/resume/", views.source_resume, name="listening_source_resume"),
    path("<int:source_id>/poll/", views.source_poll, name="listening_source_poll"),
    path("<int:source_id>/delete/", views.source_delete, name="listening_source_delete"),
]

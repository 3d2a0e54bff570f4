"""The dashboard's pages, under `/listening/<org>/`."""

from django.urls import path

from voliere.listening.dashboard import views

urlpatterns = [
    path("", views.dashboard, name="listening_dashboard"),
    path("topics/<int:topic_id>/dashboard/", views.topic_dashboard,
         name="listening_topic_dashboard"),
    path("mentions/", views.mentions, name="listening_mentions"),
]

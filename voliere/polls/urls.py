from django.urls import path

from voliere.polls import views

urlpatterns = [
    path("polls/<int:poll_id>/", views.poll_block, name="poll"),
    path("polls/<int:poll_id>/vote/", views.poll_vote, name="poll_vote"),
]

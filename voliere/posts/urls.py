from django.urls import path

from voliere.posts import views

urlpatterns = [
    path("posts/new/", views.compose, name="compose"),
    path("posts/<int:post_id>/", views.post_detail, name="post"),
    path("posts/<int:post_id>/edit/", views.post_edit, name="post_edit"),
    path("posts/<int:post_id>/history/", views.post_history, name="post_history"),
    path("posts/<int:post_id>/delete/", views.post_delete, name="post_delete"),
    path("posts/<int:post_id>/like/", views.post_like, name="post_like"),
    path("posts/<int:post_id>/unlike/", views.post_unlike, name="post_unlike"),
    path("posts/<int:post_id>/repost/", views.post_repost, name="post_repost"),
    path("posts/<int:post_id>/unrepost/", views.post_unrepost, name="post_unrepost"),
    path("posts/<int:post_id>/bookmark/", views.post_bookmark, name="post_bookmark"),
    path("posts/<int:post_id>/unbookmark/", views.post_unbookmark, name="post_unbookmark"),
]

from django.urls import path

from voliere.timelines import views

urlpatterns = [
    path("", views.home, name="home"),
    path("organisation/", views.organisation, name="organisation"),
    path("tags/<str:name>/", views.hashtag, name="hashtag"),
    path("@<str:handle>/", views.profile, name="profile"),
    path("@<str:handle>/replies/", views.profile_replies, name="profile_replies"),
    path("@<str:handle>/media/", views.profile_media, name="profile_media"),
    path("bookmarks/", views.bookmarks, name="bookmarks"),
    path("likes/", views.likes, name="likes"),
    path("sidebar/", views.sidebar, name="sidebar"),
]

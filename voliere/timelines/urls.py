from django.http import HttpResponse
from django.urls import path

_todo = lambda request, **kw: HttpResponse("")  # noqa: E731 — replaced by real views

urlpatterns = [
    path("", _todo, name="home"),
    path("organisation/", _todo, name="organisation"),
    path("tags/<str:name>/", _todo, name="hashtag"),
    path("@<str:handle>/", _todo, name="profile"),
    path("@<str:handle>/replies/", _todo, name="profile_replies"),
    path("@<str:handle>/media/", _todo, name="profile_media"),
    path("bookmarks/", _todo, name="bookmarks"),
    path("likes/", _todo, name="likes"),
]

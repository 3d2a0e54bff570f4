from django.http import HttpResponse
from django.urls import path

_todo = lambda request, **kw: HttpResponse("")  # noqa: E731 — replaced by real views

urlpatterns = [
    path("posts/<int:post_id>/", _todo, name="post"),
]

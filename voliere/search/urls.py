from django.urls import path

from voliere.search import views

urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("search/live/", views.search_live, name="search_live"),
]

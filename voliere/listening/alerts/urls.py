from django.urls import path  # noqa: F401 — filled by this part's views

urlpatterns: list = []

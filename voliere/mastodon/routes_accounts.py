"""Mastodon client API routes (see voliere/mastodon/urls.py)."""

urlpatterns: list = []

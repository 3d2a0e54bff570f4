"""Notifications in the Django admin: read-only, for troubleshooting delivery."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from voliere.accounts.admin import AdminRoleOnly
from voliere.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(AdminRoleOnly, admin.ModelAdmin):
    list_display = ("id", "recipient", "kind", "actor", "post_id", "created_at", "read_at")
    list_filter = ("kind",)
    search_fields = ("recipient__handle", "actor__handle")
    list_select_related = ("recipient", "actor")
    ordering = ("-id",)
    fields = ("recipient", "actor", "kind", "post", "created_at", "read_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

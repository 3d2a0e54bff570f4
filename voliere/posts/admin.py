"""Posts in the Django admin: browse and search; the only change is a moderator deletion
through `delete_post` (a tombstone, like any deletion)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from voliere.accounts.admin import AdminRoleOnly
from voliere.posts.actions import delete_post
from voliere.posts.models import Post


@admin.register(Post)
class PostAdmin(AdminRoleOnly, admin.ModelAdmin):
    list_display = ("id", "author", "visibility", "short_text", "created_at", "deleted_at")
    list_filter = ("visibility", ("deleted_at", admin.EmptyFieldListFilter))
    search_fields = ("text", "author__handle")
    list_select_related = ("author",)
    ordering = ("-id",)
    fields = ("id", "author", "visibility", "text", "spoiler_text", "language", "in_reply_to",
              "reblog_of", "quote_of", "created_at", "edited_at", "deleted_at")
    readonly_fields = fields
    raw_id_fields = ("in_reply_to", "reblog_of", "quote_of")
    actions = ("delete_as_moderator",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("text"))
    def short_text(self, post: Post) -> str:
        return post.text[:80]

    @admin.action(description=_("Delete (moderation)"))
    def delete_as_moderator(self, request: HttpRequest, queryset: QuerySet[Post]) -> None:
        for post in queryset:
            delete_post(request.user.account, post, as_moderator=True)
        self.message_user(request, gettext("Posts deleted."), messages.SUCCESS)

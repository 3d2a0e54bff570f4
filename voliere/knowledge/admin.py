"""Administrators grant instance-wide validator roles here (Knowledge → Validator roles)."""

from django.contrib import admin

from voliere.knowledge.models import Article, Thread, ValidatorRole


@admin.register(ValidatorRole)
class ValidatorRoleAdmin(admin.ModelAdmin):
    list_display = ("account", "community", "granted_by", "created_at")
    raw_id_fields = ("account", "community", "granted_by")


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "status", "review_state", "visibility", "created_at")
    list_filter = ("status", "review_state", "visibility")
    raw_id_fields = ("created_by", "blog", "community")
    search_fields = ("title",)
    readonly_fields = ("body_html", "excerpt", "revision")


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ("title", "review_state", "answers_count", "created_at")
    list_filter = ("review_state", "visibility")
    raw_id_fields = ("author", "community", "accepted_answer")
    search_fields = ("title",)
    readonly_fields = ("body_html", "excerpt", "revision")

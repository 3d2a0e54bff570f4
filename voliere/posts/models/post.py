"""Posts, their edit history and mentions."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from voliere.core.ids import new_id
from voliere.posts.queries import PostQuerySet


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal (members only)")
    FOLLOWERS = "followers", _("Followers only")
    DIRECT = "direct", _("Direct (mentioned people only)")


class Post(models.Model):
    """A post, a reply (`in_reply_to`), a repost (`reblog_of`, no text of its own) or a quote.

    `id` is a time-ordered snowflake (see `voliere.core.ids`). A deleted post stays as a
    tombstone (`deleted_at` set, text cleared) so the replies under it keep their thread.
    `content_html` is rendered from `text` by `voliere.posts.rendering` at write time.
    """

    id = models.BigIntegerField(primary_key=True, default=new_id, editable=False)
    author = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="posts")
    text = models.TextField(blank=True)
    content_html = models.TextField(blank=True)
    spoiler_text = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=8, blank=True)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    in_reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    in_reply_to_account = models.ForeignKey(
        "accounts.Account", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Id of the first post of the thread (itself for a top-level post).
    conversation_id = models.BigIntegerField(db_index=True)
    reblog_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="reblogs"
    )
    quote_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="quotes"
    )
    # The community the post was published in (replies inherit it). CASCADE: a deleted
    # secret community must not leave its posts behind as orphans anyone could see.
    community = models.ForeignKey(
        "communities.Community",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="posts",
    )
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    replies_count = models.PositiveIntegerField(default=0)
    reblogs_count = models.PositiveIntegerField(default=0)
    likes_count = models.PositiveIntegerField(default=0)

    objects = PostQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["author", "-id"], name="post_author_id_idx"),
            models.Index(fields=["visibility", "-id"], name="post_visibility_id_idx"),
            models.Index(fields=["reblog_of", "author"], name="post_reblog_author_idx"),
            models.Index(fields=["community", "-id"], name="post_community_id_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.author_id}:{self.id}"

    def get_absolute_url(self) -> str:
        return reverse("post", args=[self.id])

    @property
    def is_reblog(self) -> bool:
        return self.reblog_of_id is not None

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class PostRevision(models.Model):
    """The text of a post before an edit; the current text lives on the post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    text = models.TextField()
    spoiler_text = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at"]


class Mention(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="mentions")
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "account"], name="mention_unique")]
        indexes = [models.Index(fields=["account", "post"], name="mention_account_post_idx")]

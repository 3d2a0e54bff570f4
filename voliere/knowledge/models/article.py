"""Articles: long-form Markdown published in a blog (a person's or an organisation's) or in
a community, written by one or more authors."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from voliere.core.ids import new_id
from voliere.knowledge.models.base import KnowledgeItem


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Article(KnowledgeItem):
    """An article. `id` is a time-ordered snowflake (lists paginate on it).

    - `blog`: the person or organisation account whose blog it appears in; None when it
      is published in `community` (exactly one of the two is set).
    - `created_by`: who started it; `authors` (through `ArticleAuthor`) are everyone who
      may edit it, `created_by` included. A draft is visible to its authors only.
    - `cover`: re-encoded image (EXIF stripped) from `voliere.accounts.images`.
    """

    id = models.BigIntegerField(primary_key=True, default=new_id, editable=False)
    created_by = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    blog = models.ForeignKey(
        "accounts.Account", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    authors = models.ManyToManyField("accounts.Account", through="ArticleAuthor", related_name="+")
    status = models.CharField(
        max_length=10, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    published_at = models.DateTimeField(null=True, blank=True)
    cover = models.FileField(upload_to="knowledge/covers/", blank=True)
    cover_alt = models.CharField(_("cover description"), max_length=300, blank=True)
    comments_count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["status", "-id"], name="article_status_id_idx"),
            models.Index(fields=["blog", "-id"], name="article_blog_id_idx"),
            models.Index(fields=["community", "-id"], name="article_community_id_idx"),
            models.Index(fields=["review_state", "-id"], name="article_review_id_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(blog__isnull=True, community__isnull=False)
                | Q(blog__isnull=False, community__isnull=True),
                name="article_in_blog_xor_community",
            )
        ]

    def get_absolute_url(self) -> str:
        return reverse("knowledge_article", args=[self.id])

    @property
    def is_draft(self) -> bool:
        return self.status == ArticleStatus.DRAFT


class ArticleAuthor(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="author_links")
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "account"], name="article_author_unique")
        ]
        indexes = [models.Index(fields=["account", "article"], name="article_author_acct_idx")]


class Comment(models.Model):
    """A plain-text comment under an article (escaped on display, never Markdown)."""

    id = models.BigIntegerField(primary_key=True, default=new_id, editable=False)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    body = models.TextField(max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["article", "id"], name="comment_article_id_idx")]

from __future__ import annotations

from django.db import models
from django.urls import reverse


class Hashtag(models.Model):
    name = models.CharField(max_length=100, unique=True)  # case-folded

    def __str__(self) -> str:
        return f"#{self.name}"

    def get_absolute_url(self) -> str:
        return reverse("hashtag", args=[self.name])


class PostHashtag(models.Model):
    """A post carrying a hashtag. `post_id` is time-ordered: hashtag pages paginate on it."""

    hashtag = models.ForeignKey(Hashtag, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey("posts.Post", on_delete=models.CASCADE, related_name="hashtag_links")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["hashtag", "post"], name="post_hashtag_unique")
        ]

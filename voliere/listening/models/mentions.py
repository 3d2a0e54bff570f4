"""Collected posts, their topic matches and the hourly counts built from them."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Sentiment(models.TextChoices):
    NEGATIVE = "negative", _("Negative")
    NEUTRAL = "neutral", _("Neutral")
    POSITIVE = "positive", _("Positive")


class Mention(models.Model):
    """One post from any source, stored once however many topics match it.

    `network` + `external_id` is the dedup key: "x" for tweets (whichever importer or
    connector brought them), "bluesky" (at:// URI), "mastodon:<host>" (status id),
    "rss:<feed url hash>" (entry id), "internal" (post id), "csv:<name>" (the mapped id).
    Internal mentions exist only for posts readable by everyone (public, no secret or
    moderated community) and are deleted with their post.
    """

    network = models.CharField(max_length=80)
    external_id = models.CharField(max_length=255)
    source = models.ForeignKey(
        "listening.Source", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="mentions",
    )
    post = models.OneToOneField(
        "posts.Post", null=True, blank=True, on_delete=models.CASCADE,
        related_name="listening_mention",
    )
    url = models.URLField(max_length=500, blank=True)
    author_handle = models.CharField(max_length=255, blank=True)
    author_name = models.CharField(max_length=255, blank=True)
    author_followers = models.PositiveIntegerField(default=0)
    author_url = models.URLField(max_length=500, blank=True)
    text = models.TextField()
    hashtags = models.JSONField(default=list, blank=True)  # lower-cased, without "#"
    lang = models.CharField(max_length=8, blank=True)  # ISO 639-1; "" when undetermined
    sentiment = models.CharField(max_length=8, choices=Sentiment.choices,
                                 default=Sentiment.NEUTRAL)
    sentiment_score = models.FloatField(default=0.0)  # confidence of `sentiment`, 0..1
    sentiment_model = models.CharField(max_length=40, blank=True)  # "" = language unsupported
    entities = models.JSONField(default=list, blank=True)  # [{"text", "label"}]
    is_question = models.BooleanField(default=False)
    is_reply = models.BooleanField(default=False)
    published_at = models.DateTimeField(db_index=True)
    collected_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["network", "external_id"], name="mention_dedup")
        ]

    def __str__(self) -> str:
        return f"{self.network}:{self.external_id}"


class TopicMatch(models.Model):
    """A mention matched by a topic. Denormalized copies (time, sentiment, language,
    network, reach) let dashboards filter and aggregate without joining `Mention`."""

    topic = models.ForeignKey("listening.Topic", on_delete=models.CASCADE,
                              related_name="matches")
    mention = models.ForeignKey(Mention, on_delete=models.CASCADE, related_name="matches")
    published_at = models.DateTimeField()
    sentiment = models.CharField(max_length=8, choices=Sentiment.choices)
    lang = models.CharField(max_length=8, blank=True)
    network = models.CharField(max_length=80)
    author_followers = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["topic", "mention"], name="topic_match_unique")
        ]
        indexes = [models.Index(fields=["topic", "published_at"])]


class TopicHourStat(models.Model):
    """Matches per topic, hour (UTC, truncated), sentiment: kept by the ingestion in the
    same transaction as the matches (incremented once per new match), read by charts and
    by alert baselines (hour-of-day / day-of-week)."""

    topic = models.ForeignKey("listening.Topic", on_delete=models.CASCADE,
                              related_name="hour_stats")
    hour = models.DateTimeField()
    sentiment = models.CharField(max_length=8, choices=Sentiment.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["topic", "hour", "sentiment"],
                                    name="topic_hour_stat_unique")
        ]

"""The internal network as a listening source.

Only posts readable by everyone are ever collected: public visibility, a live (not
deleted) post by an author who is not suspended, outside any community or in an OPEN one,
and not a repost (the original is collected, once). Followers-only, direct, secret- and
moderated-community posts never reach listening, whatever topic would match them: a
private post shown on a dashboard or in an inbox would be the worst leak of the feature.
`listenable_posts()` is that rule, applied again whenever a post changes (edit, delete).

Each organisation has its own internal `Source` (created on first use): the stored mention
is shared (dedup on `("internal", post id)`), the matches are per organisation.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext

from voliere.accounts.models import Account
from voliere.listening.ingest import INTERNAL_NETWORK, extract_hashtags, ingest, match_mentions
from voliere.listening.matches import hour_of, refresh_hour_stats
from voliere.listening.models import Mention, Source, SourceKind, Topic, TopicMatch
from voliere.listening.records import IncomingPost
from voliere.posts.models import Post

PUBLIC = "public"
OPEN_COMMUNITY = "open"


def listenable_posts() -> QuerySet[Post]:
    """Posts listening may collect (see the module docstring)."""
    return Post.objects.filter(
        Q(community__isnull=True) | Q(community__kind=OPEN_COMMUNITY),
        visibility=PUBLIC, deleted_at__isnull=True, author__is_suspended=False,
        reblog_of__isnull=True,
    ).select_related("author")


def internal_source(organisation: Account) -> Source:
    """The organisation's internal-network source, created on first use."""
    source = Source.objects.filter(organisation=organisation, kind=SourceKind.INTERNAL).first()
    if source is None:
        source = Source.objects.create(organisation=organisation, kind=SourceKind.INTERNAL,
                                       name=gettext("This network"))
    return source


def listening_organisations() -> QuerySet[Account]:
    """Organisations with at least one active topic: the only ones a post may concern."""
    return Account.objects.filter(
        pk__in=Topic.objects.filter(is_active=True).values("organisation_id")
    ).order_by("pk")


def incoming_from_post(post: Post) -> IncomingPost:
    """The post as every source hands posts over; reach = the author's followers."""
    text = f"{post.spoiler_text}\n{post.text}".strip() if post.spoiler_text else post.text
    return IncomingPost(
        network=INTERNAL_NETWORK, external_id=str(post.pk), text=text,
        published_at=post.created_at, url=reverse("post", args=[post.pk]),
        author_handle=post.author.handle, author_name=post.author.display_name,
        author_followers=post.author.followers_count,
        author_url=reverse("profile", args=[post.author.handle]),
        lang=post.language, is_reply=post.in_reply_to_id is not None,
        hashtags=extract_hashtags(text),
    )


def collect_post(post_id: int) -> int:
    """Collect a just-published post for every organisation with topics; returns how
    many organisations it was offered to (0 when the post is not listenable)."""
    post = listenable_posts().filter(pk=post_id).first()
    if post is None:
        return 0
    incoming = incoming_from_post(post)
    organisations = list(listening_organisations())
    for organisation in organisations:
        ingest([incoming], source=internal_source(organisation))
    return len(organisations)


@transaction.atomic
def recollect_post(post_id: int) -> None:
    """After an edit: re-enrich and re-match the post's mention (or forget it if the post
    is no longer listenable; collect it if it was never collected)."""
    post = listenable_posts().filter(pk=post_id).first()
    mention = Mention.objects.select_for_update().filter(post_id=post_id).first()
    if post is None:
        forget_post(post_id)
        return
    if mention is None:
        collect_post(post_id)
        return
    from voliere.listening.pipeline.enrich import enrich

    incoming = incoming_from_post(post)
    found = enrich([incoming.text], [incoming.lang])[0]
    mention.text = incoming.text
    mention.hashtags = list(incoming.hashtags)
    mention.lang = (found.lang or incoming.lang)[:8]
    mention.sentiment, mention.sentiment_score = found.sentiment, found.score
    mention.sentiment_model = found.model[:40]
    mention.entities, mention.is_question = found.entities, found.is_question
    mention.author_followers = incoming.author_followers
    mention.save(update_fields=["text", "hashtags", "lang", "sentiment", "sentiment_score",
                                "sentiment_model", "entities", "is_question",
                                "author_followers"])
    # Old matches are dropped and the counters of their hours recounted; the mention is
    # then matched afresh by every organisation (its sentiment or topics may have changed).
    # Inbox items stay: an item already being handled must not vanish under its assignee.
    _drop_matches(Mention.objects.filter(pk=mention.pk))
    for organisation in listening_organisations():
        internal_source(organisation)
        match_mentions([mention], organisation_id=organisation.pk)


@transaction.atomic
def forget_post(post_id: int) -> None:
    """A deleted (or no longer public) post: its mention, matches and inbox items go, and
    the hour counters they were part of are recounted."""
    mentions = Mention.objects.filter(post_id=post_id)
    _drop_matches(mentions)
    mentions.delete()


def forget_unlistenable() -> int:
    """Forget every internal mention whose post may no longer be collected (its author was
    suspended, its community stopped being open…): run when such a change happens, since
    those changes touch many posts at once. Returns how many mentions went."""
    stale = Mention.objects.filter(post__isnull=False).exclude(
        post__in=listenable_posts().values("id"))
    _drop_matches(stale)
    deleted, _ = stale.delete()
    return deleted


def _drop_matches(mentions: QuerySet[Mention]) -> None:
    matches = TopicMatch.objects.filter(mention__in=mentions)
    keys = {(topic_id, hour_of(published_at))
            for topic_id, published_at in matches.values_list("topic_id", "published_at")}
    if not keys:
        return
    matches.delete()
    refresh_hour_stats(keys)

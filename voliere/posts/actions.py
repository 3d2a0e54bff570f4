"""Every change to posts: publish, reply, repost, quote, like, bookmark, edit, delete.

Each function validates its input (raising InvalidInput naming the field, or NotFound
when the actor may not see the target), changes the database inside one transaction,
and announces what happened with `emit` so timelines and notifications follow after
commit. Likes, bookmarks and reposts are idempotent: doing one twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from voliere.accounts.models import Account
from voliere.communities import counters as community_counters
from voliere.communities.access import can_post as can_post_in
from voliere.communities.models import Community
from voliere.core.events import emit
from voliere.core.exceptions import Forbidden, InvalidInput, NotFound
from voliere.core.ids import new_id
from voliere.media.attach import attach_media, delete_media_of
from voliere.media.validation import PreparedMedia
from voliere.posts.access import access_post
from voliere.posts.models import (
    Bookmark,
    Hashtag,
    Like,
    Mention,
    Post,
    PostHashtag,
    PostRevision,
    Visibility,
)
from voliere.posts.rendering import RenderedText, render_post_text

REBLOGGABLE = (Visibility.PUBLIC, Visibility.INTERNAL)
# Reply counts are shown to everyone who sees the parent: they count only replies that
# are open to all members, so a followers-only or direct reply reveals nothing.
COUNTED_REPLIES = (Visibility.PUBLIC, Visibility.INTERNAL)


def _clean_text(text: str, *, field: str = "text") -> str:
    text = (text or "").replace("\r\n", "\n").replace("\x00", "").strip()
    if not text:
        raise InvalidInput(_("A post cannot be empty."), field=field)
    if len(text) > settings.POST_MAX_CHARS:
        raise InvalidInput(
            _("A post has at most %(limit)s characters (this one has %(count)s).")
            % {"limit": settings.POST_MAX_CHARS, "count": len(text)},
            field=field,
        )
    return text


SPOILER_MAX_CHARS = 200


def _clean_spoiler(spoiler_text: str) -> str:
    spoiler_text = (spoiler_text or "").replace("\x00", "").strip()
    if len(spoiler_text) > SPOILER_MAX_CHARS:
        raise InvalidInput(
            _("A content warning has at most %(limit)s characters.") % {"limit": SPOILER_MAX_CHARS},
            field="spoiler_text",
        )
    return spoiler_text


def _clean_visibility(visibility: str) -> str:
    if visibility not in Visibility.values:
        raise InvalidInput(
            _("Visibility must be one of: %(choices)s.")
            % {"choices": ", ".join(Visibility.values)},
            field="visibility",
        )
    return visibility


def _clean_language(language: str) -> str:
    language = (language or "").strip().lower()
    if language and (len(language) > 8 or not language.replace("-", "").isalpha()):
        raise InvalidInput(_("Language must be a code such as fr or en."), field="language")
    return language


def _link_hashtags_and_mentions(post: Post, rendered: RenderedText) -> list[int]:
    """(Re)write the post's hashtag and mention rows; returns newly mentioned account ids."""
    PostHashtag.objects.filter(post=post).delete()
    if rendered.hashtags:
        Hashtag.objects.bulk_create(
            [Hashtag(name=name[:100]) for name in rendered.hashtags], ignore_conflicts=True
        )
        tags = Hashtag.objects.filter(name__in=[n[:100] for n in rendered.hashtags])
        PostHashtag.objects.bulk_create([PostHashtag(post=post, hashtag=t) for t in tags])
    before = set(Mention.objects.filter(post=post).values_list("account_id", flat=True))
    wanted = {a.id for a in rendered.mentioned}
    Mention.objects.filter(post=post).exclude(account_id__in=wanted).delete()
    Mention.objects.bulk_create(
        [Mention(post=post, account_id=aid) for aid in wanted - before], ignore_conflicts=True
    )
    return sorted(wanted - before)


def _check_community(author: Account, community: Community, *, field: str) -> None:
    """Only members may post (or reply) in a community; banned people never."""
    if not can_post_in(author, community):
        raise InvalidInput(
            _("Only members of %(name)s can post there: join it first.") % {"name": community.name},
            field=field,
        )


def _check_not_secret(post: Post, *, field: str) -> None:
    """Reposts and quotes must not carry a secret community's post out of it."""
    if post.community_id is not None and post.community.is_secret:
        raise InvalidInput(
            _("Posts of a secret community cannot be reposted or quoted."), field=field
        )


@transaction.atomic
def publish_post(
    author: Account,
    text: str,
    *,
    visibility: str = Visibility.PUBLIC,
    in_reply_to: Post | None = None,
    quote_of: Post | None = None,
    spoiler_text: str = "",
    language: str = "",
    community: Community | None = None,
    media_ids: Sequence[object] = (),
    media: Sequence[PreparedMedia] = (),
) -> Post:
    """Publish a post, a reply (`in_reply_to`) or a quote (`quote_of`).

    Attachments: `media_ids` (the author's own unattached uploads, e.g. from the Mastodon
    API) and `media` (files validated by `voliere.media`, stored here); at most 4, a video
    alone (`voliere.media.attach.check_composition`). A post with media may have no text.

    The parent and the quoted post must be visible to the author (else NotFound); only
    public and internal posts outside secret communities can be quoted. A post goes into
    `community` (a reply into its parent's community, whatever `community` says) only if
    the author may post there (`voliere.communities.access.can_post`).
    """
    has_media = bool(media_ids or media)
    text = _clean_text(text) if (text or "").strip() or not has_media else ""
    visibility = _clean_visibility(visibility)
    spoiler_text = _clean_spoiler(spoiler_text)
    if in_reply_to is not None:
        in_reply_to = access_post(author, in_reply_to.pk)
        if in_reply_to.is_reblog:
            in_reply_to = in_reply_to.reblog_of
    if quote_of is not None:
        quote_of = access_post(author, quote_of.pk)
        if quote_of.is_reblog:
            quote_of = quote_of.reblog_of
        if quote_of.visibility not in REBLOGGABLE:
            raise InvalidInput(_("Only public and internal posts can be quoted."), field="quote_of")
        _check_not_secret(quote_of, field="quote_of")
    if in_reply_to is not None:
        community = in_reply_to.community
    if community is not None:
        _check_community(author, community, field="in_reply_to" if in_reply_to else "community")
    rendered = render_post_text(text)
    post_id = new_id()
    post = Post.objects.create(
        id=post_id,
        author=author,
        text=text,
        content_html=rendered.html,
        spoiler_text=spoiler_text,
        language=_clean_language(language),
        visibility=visibility,
        in_reply_to=in_reply_to,
        in_reply_to_account_id=in_reply_to.author_id if in_reply_to else None,
        conversation_id=in_reply_to.conversation_id if in_reply_to else post_id,
        quote_of=quote_of,
        community=community,
    )
    mentioned = _link_hashtags_and_mentions(post, rendered)
    Account.objects.filter(pk=author.pk).update(posts_count=F("posts_count") + 1)
    if community is not None:
        community_counters.post_added(community.pk, post.created_at)
    if in_reply_to is not None and visibility in COUNTED_REPLIES:
        Post.objects.filter(pk=in_reply_to.pk).update(replies_count=F("replies_count") + 1)
    if has_media:
        # Last: if it refuses an id, the files it wrote are gone and the post rolls back.
        attach_media(author, post, media_ids=media_ids, prepared=media)
    emit("post.published", post_id=post.id, mentioned_ids=mentioned)
    return post


@transaction.atomic
def repost(account: Account, post: Post) -> Post:
    """Repost (boost) a public or internal post; reposting twice returns the first repost."""
    post = access_post(account, post.pk)
    if post.is_reblog:
        post = post.reblog_of
    if post.visibility not in REBLOGGABLE:
        raise InvalidInput(_("Only public and internal posts can be reposted."), field="post")
    _check_not_secret(post, field="post")
    existing = Post.objects.filter(author=account, reblog_of=post, deleted_at__isnull=True).first()
    if existing is not None:
        return existing
    reblog_id = new_id()
    reblog = Post.objects.create(
        id=reblog_id,
        author=account,
        reblog_of=post,
        visibility=post.visibility,
        conversation_id=reblog_id,
    )
    Post.objects.filter(pk=post.pk).update(reblogs_count=F("reblogs_count") + 1)
    Account.objects.filter(pk=account.pk).update(posts_count=F("posts_count") + 1)
    emit("post.published", post_id=reblog.id, mentioned_ids=[])
    return reblog


@transaction.atomic
def undo_repost(account: Account, post: Post) -> bool:
    original_id = post.reblog_of_id or post.pk
    reblogs = list(Post.objects.filter(author=account, reblog_of_id=original_id))
    if not reblogs:
        return False
    for reblog in reblogs:
        emit("post.deleted", post_id=reblog.id)
    Post.objects.filter(pk__in=[r.pk for r in reblogs]).delete()
    Post.objects.filter(pk=original_id).update(reblogs_count=F("reblogs_count") - len(reblogs))
    Account.objects.filter(pk=account.pk).update(posts_count=F("posts_count") - len(reblogs))
    return True


def _target(account: Account, post: Post) -> Post:
    post = access_post(account, post.pk)
    return post.reblog_of if post.is_reblog else post


@transaction.atomic
def like_post(account: Account, post: Post) -> bool:
    post = _target(account, post)
    try:
        with transaction.atomic():
            Like.objects.create(account=account, post=post)
    except IntegrityError:
        return False
    Post.objects.filter(pk=post.pk).update(likes_count=F("likes_count") + 1)
    emit("post.liked", post_id=post.id, account_id=account.id)
    return True


@transaction.atomic
def unlike_post(account: Account, post: Post) -> bool:
    target = post.reblog_of_id or post.pk
    deleted, _ignored = Like.objects.filter(account=account, post_id=target).delete()
    if deleted:
        Post.objects.filter(pk=target).update(likes_count=F("likes_count") - 1)
    return bool(deleted)


def bookmark_post(account: Account, post: Post) -> bool:
    post = _target(account, post)
    _, created = Bookmark.objects.get_or_create(account=account, post=post)
    return created


def unbookmark_post(account: Account, post: Post) -> bool:
    target = post.reblog_of_id or post.pk
    deleted, _ignored = Bookmark.objects.filter(account=account, post_id=target).delete()
    return bool(deleted)


@transaction.atomic
def edit_post(
    account: Account,
    post: Post,
    text: str,
    *,
    spoiler_text: str | None = None,
    language: str | None = None,
) -> Post:
    """Edit one's own post; the previous text is kept as a revision. `spoiler_text` and
    `language` stay as they are when None."""
    post = Post.objects.select_for_update().filter(pk=post.pk, deleted_at__isnull=True).first()
    if post is None or post.author_id != account.id:
        raise NotFound(_("No such post."))
    if post.is_reblog:
        raise InvalidInput(_("A repost cannot be edited."), field="post")
    text = _clean_text(text)
    new_spoiler = post.spoiler_text if spoiler_text is None else _clean_spoiler(spoiler_text)
    new_language = post.language if language is None else _clean_language(language)
    if text == post.text and new_spoiler == post.spoiler_text and new_language == post.language:
        return post
    PostRevision.objects.create(
        post=post,
        text=post.text,
        spoiler_text=post.spoiler_text,
        created_at=post.edited_at or post.created_at,
    )
    rendered = render_post_text(text)
    post.text = text
    post.spoiler_text = new_spoiler
    post.content_html = rendered.html
    post.language = new_language
    post.edited_at = timezone.now()
    post.save(update_fields=["text", "spoiler_text", "content_html", "language", "edited_at"])
    mentioned = _link_hashtags_and_mentions(post, rendered)
    emit("post.edited", post_id=post.id, mentioned_ids=mentioned)
    return post


@transaction.atomic
def delete_post(actor: Account, post: Post, *, as_moderator: bool = False) -> None:
    """Delete: the author, or a moderator. A post becomes a tombstone; its replies remain.

    Reposts of it disappear with it. Deleting twice is harmless.
    """
    post = Post.objects.select_for_update().filter(pk=post.pk).first()
    if post is None or post.deleted_at is not None:
        return
    if post.author_id != actor.id and not as_moderator:
        raise Forbidden(_("Only the author or a moderator can delete this post."))
    if post.is_reblog:
        undo_repost(post.author, post)
        return
    reblogs = list(Post.objects.filter(reblog_of=post).values_list("id", "author_id"))
    for reblog_id, _author in reblogs:
        emit("post.deleted", post_id=reblog_id)
    Post.objects.filter(reblog_of=post).delete()
    for _id, author_id in reblogs:
        Account.objects.filter(pk=author_id).update(posts_count=F("posts_count") - 1)
    PostHashtag.objects.filter(post=post).delete()
    Bookmark.objects.filter(post=post).delete()
    PostRevision.objects.filter(post=post).delete()
    delete_media_of(post)
    post.deleted_at = timezone.now()
    post.text = ""
    post.content_html = ""
    post.spoiler_text = ""
    post.save(update_fields=["deleted_at", "text", "content_html", "spoiler_text"])
    Account.objects.filter(pk=post.author_id).update(posts_count=F("posts_count") - 1)
    if post.community_id is not None:
        community_counters.post_removed(post.community_id)
    if post.in_reply_to_id and post.visibility in COUNTED_REPLIES:
        Post.objects.filter(pk=post.in_reply_to_id).update(replies_count=F("replies_count") - 1)
    emit("post.deleted", post_id=post.id)

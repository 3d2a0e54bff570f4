"""Writing articles: create, edit (a new revision), publish, co-authors, cover, comments.

Every function checks its input (InvalidInput naming the field; NotFound when the actor may
not see the target; Forbidden when they may see it but not change it), writes inside one
transaction and announces the change after commit with `emit`:

- `knowledge.article_saved(article_id)`: created, edited, published (search indexing);
- `knowledge.comment_posted(comment_id)`: a new comment (notifies the authors).

Attachments (`media`: files already checked by `voliere.media`, see
`voliere.media.attach`) are attached last in the transaction, so a refused file or any
earlier error leaves neither rows nor files behind; deleting an article deletes them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from voliere.accounts.images import encode_header
from voliere.accounts.models import Account
from voliere.communities.access import can_post
from voliere.communities.models import Community
from voliere.core.events import emit
from voliere.core.exceptions import Forbidden, InvalidInput
from voliere.knowledge.access import access_article, blog_choices, can_edit_article
from voliere.knowledge.actions import _common
from voliere.knowledge.actions.review import revision_changed
from voliere.knowledge.models import Article, ArticleAuthor, ArticleStatus, Comment
from voliere.media.attach import attach_media, delete_media_of
from voliere.media.validation import PreparedMedia

COMMENT_MAX = 5000
COVER_ALT_MAX = 300
MAX_AUTHORS = 10


@dataclass(frozen=True, slots=True)
class Destination:
    """Where an article is published: exactly one of a blog owner or a community."""

    blog: Account | None = None
    community: Community | None = None


def resolve_destination(viewer: Account, raw: str) -> Destination:
    """`blog:<account id>` or `community:<community id>` (the editor's choice) checked
    against what the viewer may publish in. Raises InvalidInput naming `destination`."""
    kind, _sep, value = (raw or "").partition(":")
    if not value.isascii() or not value.isdigit():
        raise InvalidInput(_("Choose where to publish this article."), field="destination")
    if kind == "blog":
        for account in blog_choices(viewer):
            if account.pk == int(value):
                return Destination(blog=account)
        raise InvalidInput(_("You cannot publish in that blog."), field="destination")
    if kind == "community":
        community = Community.objects.filter(pk=int(value)).first()
        if community is None or not can_post(viewer, community):
            # Same message for unknown and not-a-member: a secret community's existence
            # must not leak through the error.
            raise InvalidInput(
                _("No such community, or you are not a member of it."), field="destination"
            )
        return Destination(community=community)
    raise InvalidInput(_("Choose where to publish this article."), field="destination")


def _check_coauthors(viewer: Account, coauthors: list[Account]) -> list[Account]:
    distinct = {a.pk: a for a in coauthors if a.pk != viewer.pk and not a.is_suspended}
    if len(distinct) + 1 > MAX_AUTHORS:
        raise InvalidInput(
            _("An article has at most %(max)s authors.") % {"max": MAX_AUTHORS},
            field="coauthors",
        )
    return list(distinct.values())


def _clean_cover_alt(cover_alt: str) -> str:
    cover_alt = " ".join((cover_alt or "").split())
    if len(cover_alt) > COVER_ALT_MAX:
        raise InvalidInput(
            _("The cover description has at most %(max)s characters.") % {"max": COVER_ALT_MAX},
            field="cover_alt",
        )
    return cover_alt


def _store_cover(article: Article, upload: UploadedFile) -> None:
    """Re-encode (EXIF stripped) and attach; the file is written, the row saved by the
    caller inside its transaction (a failure before that leaves an orphan file at worst)."""
    encoded = encode_header(upload, field="cover")
    article.cover.save(f"{article.pk}.{encoded.extension}", encoded.content, save=False)


@transaction.atomic
def create_article(
    viewer: Account,
    *,
    title: str,
    body: str,
    destination: Destination,
    tags: str | list[str] = "",
    visibility: str = "internal",
    coauthors: list[Account] | None = None,
    publish: bool = False,
    cover: UploadedFile | None = None,
    cover_alt: str = "",
    media: Sequence[PreparedMedia] = (),
) -> Article:
    """A new article (a draft unless `publish`), revision 1 stored.

    Authors: the viewer, the co-authors, and the organisation when written in an
    organisation's blog by one of its managers (so every manager acting as the
    organisation can edit it).
    """
    if (destination.blog is None) == (destination.community is None):
        raise InvalidInput(_("Choose where to publish this article."), field="destination")
    article = Article(
        created_by=viewer,
        blog=destination.blog,
        community=destination.community,
        visibility=_common.clean_visibility(visibility),
        cover_alt=_clean_cover_alt(cover_alt),
    )
    _common.set_text(article, title=_common.clean_title(title), body=_common.clean_body(body))
    others = _check_coauthors(viewer, coauthors or [])
    if publish:
        article.status = ArticleStatus.PUBLISHED
        article.published_at = timezone.now()
    if cover is not None:
        _store_cover(article, cover)
    article.save(force_insert=True)
    owners = [viewer, *others]
    if destination.blog is not None and destination.blog.pk != viewer.pk:
        owners.append(destination.blog)
    ArticleAuthor.objects.bulk_create(
        [ArticleAuthor(article=article, account=a) for a in owners], ignore_conflicts=True
    )
    names = _common.set_tags(article, tags)
    _common.write_revision(article, editor=viewer, tags=names)
    if media:
        attach_media(viewer, article, prepared=media, field="media_1")
    emit("knowledge.article_saved", article_id=article.pk)
    return article


def _editable(viewer: Account, article: Article) -> Article:
    article = access_article(viewer, article.pk)
    if not can_edit_article(viewer, article):
        raise Forbidden(_("Only the authors of this article may change it."))
    return article


@transaction.atomic
def edit_article(
    viewer: Account,
    article: Article,
    *,
    title: str,
    body: str,
    tags: str | list[str] = "",
    visibility: str | None = None,
    cover: UploadedFile | None = None,
    cover_alt: str | None = None,
    remove_cover: bool = False,
    media: Sequence[PreparedMedia] = (),
) -> Article:
    """Change an article. A change of title, text or tags makes a new revision, and a
    submitted or validated article goes back to review (see `revision_changed`). New
    `media` go after the attachments it already has (at most four in all)."""
    article = _editable(viewer, article)
    article = Article.objects.select_for_update().get(pk=article.pk)
    title, body = _common.clean_title(title), _common.clean_body(body)
    before = (article.title, article.body, _common.tag_names(article))
    if visibility is not None:
        article.visibility = _common.clean_visibility(visibility)
    if cover_alt is not None:
        article.cover_alt = _clean_cover_alt(cover_alt)
    if remove_cover:
        article.cover = ""
    if cover is not None:
        _store_cover(article, cover)
    _common.set_text(article, title=title, body=body)
    names = _common.set_tags(article, tags)
    changed = before != (article.title, article.body, names)
    if changed:
        article.revision += 1
        _common.write_revision(article, editor=viewer, tags=names)
    article.updated_at = timezone.now()
    article.save()
    if changed:
        revision_changed(viewer, article)
    if media:
        attach_media(viewer, article, prepared=media, field="media_1")
    emit("knowledge.article_saved", article_id=article.pk)
    return article


@transaction.atomic
def publish_article(viewer: Account, article: Article) -> Article:
    article = _editable(viewer, article)
    if article.status != ArticleStatus.PUBLISHED:
        article.status = ArticleStatus.PUBLISHED
        article.published_at = timezone.now()
        article.save(update_fields=["status", "published_at"])
        emit("knowledge.article_saved", article_id=article.pk)
    return article


@transaction.atomic
def add_coauthor(viewer: Account, article: Article, account: Account) -> bool:
    """True if `account` became an author (False if already one)."""
    article = _editable(viewer, article)
    if account.is_suspended:
        raise InvalidInput(_("This account cannot be added."), field="coauthor")
    if ArticleAuthor.objects.filter(article=article).count() >= MAX_AUTHORS:
        raise InvalidInput(
            _("An article has at most %(max)s authors.") % {"max": MAX_AUTHORS},
            field="coauthor",
        )
    _link, created = ArticleAuthor.objects.get_or_create(article=article, account=account)
    return created


@transaction.atomic
def remove_coauthor(viewer: Account, article: Article, account: Account) -> bool:
    """An author removes a co-author (or themselves); the last author cannot leave."""
    article = _editable(viewer, article)
    links = ArticleAuthor.objects.select_for_update().filter(article=article)
    if links.count() <= 1:
        raise InvalidInput(_("An article keeps at least one author."), field="coauthor")
    deleted, _ignored = links.filter(account=account).delete()
    return bool(deleted)


@transaction.atomic
def delete_article(viewer: Account, article: Article) -> None:
    article = _editable(viewer, article)
    delete_media_of(article)
    article.delete()
    emit("knowledge.article_deleted", article_id=article.pk)


@transaction.atomic
def comment_on_article(viewer: Account, article: Article, body: str) -> Comment:
    """Signed-in readers of a published article comment in plain text."""
    article = access_article(viewer, article.pk)
    if article.is_draft:
        raise InvalidInput(_("Drafts cannot be commented on."), field="body")
    body = _common.clean_body(body, limit=COMMENT_MAX)
    comment = Comment.objects.create(article=article, author=viewer, body=body)
    Article.objects.filter(pk=article.pk).update(comments_count=F("comments_count") + 1)
    emit("knowledge.comment_posted", comment_id=comment.pk)
    return comment


@transaction.atomic
def delete_comment(viewer: Account, comment: Comment) -> None:
    """The commenter or an author of the article deletes a comment."""
    article = access_article(viewer, comment.article_id)
    if comment.author_id != viewer.pk and not can_edit_article(viewer, article):
        raise Forbidden(_("You cannot delete this comment."))
    if Comment.objects.filter(pk=comment.pk).delete()[0]:
        Article.objects.filter(pk=article.pk).update(comments_count=F("comments_count") - 1)

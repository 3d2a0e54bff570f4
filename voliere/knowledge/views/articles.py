"""Article pages: read, write, edit, publish, co-authors, comments, delete."""

from __future__ import annotations

import mimetypes
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from voliere.accounts.models import Account
from voliere.core.exceptions import InvalidInput, NotFound
from voliere.core.views_helpers import domain_errors, viewer_of
from voliere.knowledge import access
from voliere.knowledge.actions import articles as actions
from voliere.knowledge.actions._common import tag_names
from voliere.knowledge.forms import ArticleForm, CommentForm, ReviewForm, read_handles
from voliere.knowledge.models import Article, ArticleAuthor, Comment, ValidationEvent
from voliere.media.attach import media_for
from voliere.posts.forms import attach_error


def _authors(article: Article) -> list[Account]:
    links = ArticleAuthor.objects.filter(article=article).select_related("account")
    return [link.account for link in links.order_by("added_at", "id")]


@domain_errors
def article_detail(request: HttpRequest, article_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    article = access.access_article(viewer, article_id)
    media_for([article])
    comments = (
        Comment.objects.filter(article=article)
        .exclude(author__is_suspended=True)
        .select_related("author")
        .order_by("id")
    )
    if viewer is not None:
        comments = comments.exclude(access.blocks_between(viewer, "author"))
    context: dict[str, Any] = {
        "article": article,
        "authors": _authors(article),
        "tags": tag_names(article),
        "comments": list(comments),
        "comment_form": CommentForm() if viewer is not None and not article.is_draft else None,
        "can_edit": access.can_edit_article(viewer, article),
        "is_author": access.can_edit_article(viewer, article),
        "is_validator": access.is_validator(viewer, article),
        "review_form": ReviewForm(),
        "events": ValidationEvent.objects.filter(article=article).select_related("actor"),
        "kind": "article",
        "item": article,
        "nav": "knowledge",
    }
    return render(request, "knowledge/article.html", context)


@require_safe
@domain_errors
def article_cover(request: HttpRequest, article_id: int) -> HttpResponse:
    """The cover image, to the article's readers only: a draft's or a secret community's
    cover is no public file (MEDIA_ROOT is not served beyond avatars and headers)."""
    article = access.access_article(viewer_of(request), article_id)
    if not article.cover:
        raise NotFound(_("This article has no cover."))
    content_type = mimetypes.guess_type(article.cover.name)[0] or "application/octet-stream"
    response = FileResponse(article.cover.open("rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _render_editor(
    request: HttpRequest, form: ArticleForm, article: Article | None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "knowledge/article_form.html",
        {"form": form, "article": article, "nav": "knowledge"},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def article_new(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    if request.method == "GET":
        initial = {"destination": request.GET.get("destination", f"blog:{viewer.pk}")}
        return _render_editor(request, ArticleForm(viewer=viewer, initial=initial), None)
    form = ArticleForm(request.POST, request.FILES, viewer=viewer)
    form.is_valid()
    data = form.cleaned_data
    try:
        article = actions.create_article(
            viewer,
            title=data.get("title", ""),
            body=data.get("body", ""),
            tags=data.get("tags", ""),
            visibility=data.get("visibility", ""),
            destination=actions.resolve_destination(viewer, data.get("destination", "")),
            coauthors=read_handles(data.get("coauthors", "")),
            publish="publish" in request.POST,
            cover=request.FILES.get("cover"),
            cover_alt=data.get("cover_alt", ""),
            media=form.prepared_media(request),
        )
    except InvalidInput as error:
        attach_error(form, error)
        return _render_editor(request, form, None, status=400)
    return redirect(article)


def _editable(viewer: Account, article_id: int) -> Article:
    article = access.access_article(viewer, article_id)
    if not access.can_edit_article(viewer, article):
        raise NotFound(_("No such article."))
    return article


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def article_edit(request: HttpRequest, article_id: int) -> HttpResponse:
    """Authors only; others get 404 as for an article they cannot see."""
    viewer = viewer_of(request)
    article = _editable(viewer, article_id)
    media_for([article])
    if request.method == "GET":
        initial = {
            "title": article.title,
            "body": article.body,
            "tags": ", ".join(tag_names(article)),
            "visibility": article.visibility,
            "cover_alt": article.cover_alt,
        }
        form = ArticleForm(viewer=viewer, editing=True, initial=initial)
        return _render_editor(request, form, article)
    form = ArticleForm(request.POST, request.FILES, viewer=viewer, editing=True)
    form.is_valid()
    data = form.cleaned_data
    try:
        actions.edit_article(
            viewer,
            article,
            title=data.get("title", ""),
            body=data.get("body", ""),
            tags=data.get("tags", ""),
            visibility=data.get("visibility", ""),
            cover=request.FILES.get("cover"),
            cover_alt=data.get("cover_alt", ""),
            remove_cover=bool(data.get("remove_cover")),
            media=form.prepared_media(request),
        )
        if "publish" in request.POST:
            actions.publish_article(viewer, article)
    except InvalidInput as error:
        attach_error(form, error)
        return _render_editor(request, form, article, status=400)
    return redirect(article)


@login_required
@require_POST
@domain_errors
def article_publish(request: HttpRequest, article_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    article = actions.publish_article(viewer, _editable(viewer, article_id))
    return redirect(article)


@login_required
@require_POST
@domain_errors
def article_delete(request: HttpRequest, article_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    actions.delete_article(viewer, _editable(viewer, article_id))
    return redirect("knowledge")


@login_required
@require_POST
@domain_errors
def article_authors(request: HttpRequest, article_id: int) -> HttpResponse:
    """Add (`add=@handle`) or remove (`remove=<account id>`) a co-author."""
    viewer = viewer_of(request)
    article = _editable(viewer, article_id)
    if request.POST.get("remove"):
        account = Account.objects.filter(pk=request.POST["remove"]).first()
        if account is None:
            raise InvalidInput(_("No such account."), field="coauthor")
        actions.remove_coauthor(viewer, article, account)
    else:
        accounts = read_handles(request.POST.get("add", ""), field="coauthor")
        if not accounts:
            raise InvalidInput(_("Give the handle of the co-author to add."), field="coauthor")
        for account in accounts:
            actions.add_coauthor(viewer, article, account)
    return redirect(article)


@login_required
@require_POST
@domain_errors
def article_comment(request: HttpRequest, article_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    article = access.access_article(viewer, article_id)
    actions.comment_on_article(viewer, article, request.POST.get("body", ""))
    return redirect(f"{article.get_absolute_url()}#comments")


@login_required
@require_POST
@domain_errors
def comment_delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    comment = Comment.objects.filter(pk=comment_id).first()
    if comment is None:
        raise NotFound(_("No such comment."))
    actions.delete_comment(viewer, comment)
    return redirect(reverse("knowledge_article", args=[comment.article_id]) + "#comments")

"""Pages for one post: the thread, writing, editing, history, and the in-place actions.

Every post is fetched through `access_post` (404 for missing and forbidden alike) and
every change goes through `voliere.posts.actions`. Actions answer HTMX requests with the
updated fragment and every other request with a redirect, so pages work without JS.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from voliere.accounts.models import Account
from voliere.core.exceptions import InvalidInput, NotFound
from voliere.core.views_helpers import domain_errors, is_htmx, safe_next, signed_in, viewer_of
from voliere.posts import actions
from voliere.posts.access import access_post
from voliere.posts.forms import EditForm, PostForm, attach_error
from voliere.posts.models import Post, PostRevision
from voliere.posts.presentation import decorate_for_viewer
from voliere.posts.threads import thread_for


def reply_form(viewer: Account | None, parent: Post) -> PostForm | None:
    """The reply box under a post: mentions its author and keeps its visibility."""
    if viewer is None:
        return None
    text = "" if parent.author_id == viewer.id else f"@{parent.author.handle} "
    return PostForm(
        initial={"text": text, "visibility": parent.visibility, "in_reply_to": parent.id},
        prefix_id="reply",
    )


@domain_errors
def post_detail(request: HttpRequest, post_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    post = access_post(viewer, post_id)
    if post.is_reblog:
        return redirect(post.reblog_of)
    thread = thread_for(viewer, post)
    return render(
        request,
        "posts/thread.html",
        {"thread": thread, "post": post, "form": reply_form(viewer, post)},
    )


def _compose_context(
    viewer: Account, form: PostForm, *, parent: Post | None = None, quoted: Post | None = None
) -> dict[str, Any]:
    """The form, with the post replied to or quoted shown above it."""
    shown = decorate_for_viewer([p for p in (parent, quoted) if p is not None], viewer)
    return {
        "form": form,
        "parent": shown[0] if parent is not None else None,
        "quoted": shown[-1] if quoted is not None else None,
    }


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def compose(request: HttpRequest) -> HttpResponse:
    """GET: a page with the form (`?quote_of=` / `?in_reply_to=` prefill). POST: publish.

    Bad input answers 400 with the message next to the field and the text kept; a parent
    or quoted post the author may not see answers 404. Nothing is saved in either case.
    """
    viewer = viewer_of(request)
    if request.method == "GET":
        parent = quoted = None
        if request.GET.get("in_reply_to"):
            parent = access_post(viewer, request.GET["in_reply_to"])
            form = reply_form(viewer, parent)
        else:
            form = PostForm()
        if request.GET.get("quote_of"):
            quoted = access_post(viewer, request.GET["quote_of"])
            form.initial["quote_of"] = quoted.id
        context = _compose_context(viewer, form, parent=parent, quoted=quoted)
        return render(request, "posts/compose.html", context)
    form = PostForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "posts/compose.html", _compose_context(viewer, form), status=400)
    data = form.cleaned_data
    in_reply_to = access_post(viewer, data["in_reply_to"]) if data["in_reply_to"] else None
    quote_of = access_post(viewer, data["quote_of"]) if data["quote_of"] else None
    try:
        post = actions.publish_post(
            viewer,
            data["text"],
            visibility=data["visibility"],
            spoiler_text=data["spoiler_text"],
            language=data["language"],
            in_reply_to=in_reply_to,
            quote_of=quote_of,
            media=form.prepared_media(request),
        )
    except InvalidInput as error:
        attach_error(form, error)
        context = _compose_context(viewer, form, parent=in_reply_to, quoted=quote_of)
        return render(request, "posts/compose.html", context, status=400)
    fallback = in_reply_to if in_reply_to is not None else post
    return redirect(safe_next(request, fallback.get_absolute_url()))


def _own_post(viewer: Account, post_id: int) -> Post:
    post = access_post(viewer, post_id)
    if post.author_id != viewer.id or post.is_reblog:
        raise NotFound(gettext("No such post."))
    return post


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def post_edit(request: HttpRequest, post_id: int) -> HttpResponse:
    """Only the author edits; others get 404 like for a post they cannot see."""
    viewer = viewer_of(request)
    post = _own_post(viewer, post_id)
    if request.method == "GET":
        form = EditForm(initial={"text": post.text, "spoiler_text": post.spoiler_text})
        return render(request, "posts/edit.html", {"form": form, "post": post})
    form = EditForm(request.POST)
    form.is_valid()
    try:
        actions.edit_post(
            viewer, post, form.cleaned_data["text"], spoiler_text=form.cleaned_data["spoiler_text"]
        )
    except InvalidInput as error:
        attach_error(form, error)
        return render(request, "posts/edit.html", {"form": form, "post": post}, status=400)
    return redirect(post)


@domain_errors
def post_history(request: HttpRequest, post_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    post = access_post(viewer, post_id)
    if post.is_reblog:
        return redirect("post_history", post_id=post.reblog_of_id)
    revisions = list(PostRevision.objects.filter(post=post).order_by("-created_at"))
    return render(request, "posts/history.html", {"post": post, "revisions": revisions})


@login_required
@require_POST
@domain_errors
def post_delete(request: HttpRequest, post_id: int) -> HttpResponse:
    """The author, or a moderator, deletes; others get 403 for a post they can see."""
    viewer = viewer_of(request)
    post = access_post(viewer, post_id)
    actions.delete_post(viewer, post, as_moderator=request.user.is_moderator)
    if is_htmx(request):
        post.refresh_from_db()
        return render(request, "posts/_post.html", {"post": decorate_for_viewer([post], viewer)[0]})
    if safe_next(request, "") == post.get_absolute_url():
        return redirect("home")
    return redirect(safe_next(request, reverse("home")))


def _interaction(action: Callable[[Account, Post], Any]) -> Callable[..., HttpResponse]:
    """A POST view that applies `action` to a post the viewer can see, then answers HTMX
    with the refreshed action bar and anything else with a redirect to `next`."""

    @signed_in
    @require_POST
    @domain_errors
    def view(request: HttpRequest, post_id: int) -> HttpResponse:
        viewer = viewer_of(request)
        post = access_post(viewer, post_id)
        action(viewer, post)
        if not is_htmx(request):
            return redirect(safe_next(request, post.get_absolute_url()))
        post = decorate_for_viewer([access_post(viewer, post.pk)], viewer)[0]
        return render(
            request,
            "posts/_actions.html",
            {"p": post.shown, "next": safe_next(request, post.get_absolute_url())},
        )

    view.__name__ = f"post_{action.__name__}"
    return view


post_like = _interaction(actions.like_post)
post_unlike = _interaction(actions.unlike_post)
post_repost = _interaction(actions.repost)
post_unrepost = _interaction(actions.undo_repost)
post_bookmark = _interaction(actions.bookmark_post)
post_unbookmark = _interaction(actions.unbookmark_post)

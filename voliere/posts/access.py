"""Permission-checked getters for posts."""

from __future__ import annotations

from django.utils.translation import gettext as _

from voliere.accounts.models import Account
from voliere.core.exceptions import NotFound
from voliere.posts.models import Post


def access_post(viewer: Account | None, post_id: int | str) -> Post:
    """The post if `viewer` may see it; NotFound otherwise (missing or forbidden alike)."""
    try:
        pk = int(post_id)
    except (TypeError, ValueError):
        raise NotFound(_("No such post.")) from None
    post = Post.objects.visible_to(viewer).for_display().filter(pk=pk).first()
    if post is None:
        raise NotFound(_("No such post."))
    return post


def can_see(viewer: Account | None, post: Post) -> bool:
    return Post.objects.visible_to(viewer).filter(pk=post.pk).exists()

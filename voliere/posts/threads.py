"""The conversation view around one post."""

from __future__ import annotations

from dataclasses import dataclass

from voliere.accounts.models import Account
from voliere.posts.models import Post
from voliere.posts.presentation import decorate_for_viewer

MAX_ANCESTORS = 40
MAX_DESCENDANTS = 200


@dataclass(frozen=True, slots=True)
class Thread:
    ancestors: list[Post]  # oldest first; deleted ones appear as tombstones
    focus: Post
    descendants: list[Post]  # depth-first, each with a `depth` attribute


def thread_for(viewer: Account | None, focus: Post) -> Thread:
    """Ancestors and replies of `focus` that `viewer` may see; deleted parents show as
    tombstones so the replies under them keep their place. Three queries plus decoration."""
    conversation = list(
        Post.objects.filter(conversation_id=focus.conversation_id, reblog_of__isnull=True)
        .order_by("id")
        .values_list("id", "in_reply_to_id", "deleted_at", "visibility")[: MAX_DESCENDANTS * 5]
    )
    parent_of = {pid: parent for pid, parent, _d, _v in conversation}
    # A tombstone only stands where the deleted post was one the viewer could have seen
    # by its visibility alone: a deleted direct or followers-only post leaves no trace.
    open_to_viewer = ("public",) if viewer is None else ("public", "internal")
    deleted = {pid for pid, _p, d, vis in conversation if d is not None and vis in open_to_viewer}
    visible = set(
        Post.objects.visible_to(viewer)
        .filter(conversation_id=focus.conversation_id)
        .values_list("id", flat=True)
    )
    ancestor_ids: list[int] = []
    current = parent_of.get(focus.id, focus.in_reply_to_id)
    while current is not None and len(ancestor_ids) < MAX_ANCESTORS:
        if current in visible or current in deleted:
            ancestor_ids.append(current)
        current = parent_of.get(current)
    ancestor_ids.reverse()
    children: dict[int, list[int]] = {}
    for pid, parent, _d, _v in conversation:
        if parent is not None:
            children.setdefault(parent, []).append(pid)
    ordered: list[tuple[int, int]] = []

    def walk(pid: int, depth: int) -> None:
        for child in children.get(pid, []):
            if len(ordered) >= MAX_DESCENDANTS:
                return
            if child in visible or (child in deleted and children.get(child)):
                ordered.append((child, depth))
            walk(child, depth + 1)

    walk(focus.id, 1)
    wanted = set(ancestor_ids) | {pid for pid, _depth in ordered}
    posts = {p.id: p for p in Post.objects.for_display().filter(pk__in=wanted)}
    decorate_for_viewer([focus, *posts.values()], viewer)
    descendants = []
    for pid, depth in ordered:
        post = posts[pid]
        post.depth = min(depth, 6)
        descendants.append(post)
    return Thread(
        ancestors=[posts[pid] for pid in ancestor_ids if pid in posts],
        focus=focus,
        descendants=descendants,
    )

"""Communities: the directory, a community, its members and posts, joining and leaving.

Every community is fetched through `voliere.communities.access` (a secret community is
"not found" for whoever may not see it) and every change goes through
`voliere.communities.actions`. Members are listed to whoever may see the community, as on
its web page; posts through `Post.visible_to`, as on its timeline.
"""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from voliere.api.operations import operation
from voliere.api.pagination import CursorQuery, page_model, paged
from voliere.api.schemas.common import load_organisations
from voliere.api.schemas.communities import (
    CommunityOut,
    DirectoryOut,
    JoinIn,
    JoinOut,
    MemberOut,
    from_community,
    from_membership,
)
from voliere.api.schemas.posts import PostOut, from_post
from voliere.api.schemas.text import Text
from voliere.communities import actions, queries
from voliere.communities.access import access_community
from voliere.communities.models import Community

router = Router(tags=["Communities"])

MemberPage = page_model(MemberOut, "MemberPage")
PostPage = page_model(PostOut, "PostPage")
READ = "read"
JOIN = "write:follows"  # joining a community is following it; `follow` grants it too


class DirectoryQuery(Schema):
    q: Text = Field("", max_length=queries.QUERY_MAX, description="Words in name or description.")
    sort: Literal["activity", "members", "name"] = "activity"
    page: int = Field(1, ge=1, le=queries.MAX_PAGE)


def _community_out(request: HttpRequest, community: Community) -> dict:
    queries.attach_viewer_roles(request.auth.viewer, [community])
    return from_community(request, community)


def _visible(request: HttpRequest, slug: Text) -> Community:
    return access_community(request.auth.viewer, slug)


@operation(router, "GET", "/communities", scopes=READ, anonymous=True, response=DirectoryOut,
           summary="The community directory",
           description="Communities you may see (secret ones only to their members and "
           "invitees), searched and sorted as on the directory page. Pages by `page`.")
def directory(request: HttpRequest, params: Query[DirectoryQuery]) -> dict:
    query, sort, number = queries.read_directory_params(params.dict())
    found = queries.directory(request.auth.viewer, query=query, sort=sort, number=number)
    load_organisations(found.communities)
    return {
        "items": [from_community(request, c) for c in found.communities],
        "next_page": number + 1 if found.has_next and number < queries.MAX_PAGE else None,
    }


@operation(router, "GET", "/communities/{slug}", scopes=READ, anonymous=True,
           response=CommunityOut, summary="Get a community")
def get_community(request: HttpRequest, slug: Text) -> dict:
    return _community_out(request, _visible(request, slug))


@operation(router, "GET", "/communities/{slug}/members", scopes=READ, anonymous=True,
           response=MemberPage, summary="List members", description="Latest to join first.")
def list_members(request: HttpRequest, response: HttpResponse, slug: Text,
                 cursor: Query[CursorQuery]) -> dict:
    page = queries.members_page(_visible(request, slug), cursor.cursor())
    load_organisations(page.items, "account__organisation")
    return paged(request, response, [from_membership(request, m) for m in page.items], page)


@operation(router, "GET", "/communities/{slug}/posts", scopes=("read:statuses",),
           anonymous=True, response=PostPage, summary="A community's posts",
           description="Its top-level posts you may see, newest first (replies are in "
           "their threads, through the Mastodon API's `/api/v1/statuses/:id/context`).")
def list_posts(request: HttpRequest, response: HttpResponse, slug: Text,
               cursor: Query[CursorQuery]) -> dict:
    community = _visible(request, slug)
    page = queries.community_timeline(request.auth.viewer, community, cursor.cursor())
    load_organisations(page.items, "author__organisation")
    return paged(request, response, [from_post(request, p) for p in page.items], page)


@operation(router, "POST", "/communities/{slug}/join", scopes=JOIN, response=JoinOut,
           summary="Join, or ask to join",
           description="Joins an open community, or one you are invited to; asks the "
           "moderators of a moderated one (`outcome`: `requested`).")
def join(request: HttpRequest, slug: Text, payload: JoinIn | None = None) -> dict:
    viewer = request.auth.require_viewer()
    community = _visible(request, slug)
    message = payload.message if payload is not None else ""
    outcome = actions.join_community(viewer, community, message=message)
    community.refresh_from_db()
    return {"outcome": outcome, "community": _community_out(request, community)}


@operation(router, "POST", "/communities/{slug}/leave", scopes=JOIN, response=CommunityOut,
           summary="Leave a community",
           description="The last owner must make someone else an owner first (422).")
def leave(request: HttpRequest, slug: Text) -> dict:
    viewer = request.auth.require_viewer()
    community = _visible(request, slug)
    actions.leave_community(viewer, community)
    community.refresh_from_db()
    return _community_out(request, community)


@operation(router, "POST", "/communities/{slug}/cancel_request", scopes=JOIN,
           response=CommunityOut, summary="Withdraw a request to join")
def cancel_request(request: HttpRequest, slug: Text) -> dict:
    viewer = request.auth.require_viewer()
    community = _visible(request, slug)
    actions.cancel_join_request(viewer, community)
    return _community_out(request, community)

from django.urls import path

from voliere.communities.views import directory, membership, pages

urlpatterns = [
    path("communities/", directory.directory, name="communities"),
    path("communities/new/", directory.create, name="community_new"),
    path("communities/invitations/", directory.my_invitations, name="my_community_invitations"),
    path("communities/of/<str:handle>/", directory.memberships, name="communities_of"),
    path("c/<slug:slug>/", pages.community, name="community"),
    path("c/<slug:slug>/post/", pages.publish, name="community_post"),
    path("c/<slug:slug>/members/", pages.members, name="community_members"),
    path("c/<slug:slug>/settings/", pages.settings, name="community_settings"),
    path("c/<slug:slug>/requests/", pages.requests, name="community_requests"),
    path("c/<slug:slug>/invitations/", pages.invitations, name="community_invitations"),
    path("c/<slug:slug>/bans/", pages.bans, name="community_bans"),
    path("c/<slug:slug>/join/", membership.join, name="community_join"),
    path("c/<slug:slug>/cancel-request/", membership.cancel_request, name="community_cancel"),
    path("c/<slug:slug>/leave/", membership.leave, name="community_leave"),
    path("c/<slug:slug>/accept/", membership.accept_invitation, name="community_accept"),
    path("c/<slug:slug>/decline/", membership.decline_invitation, name="community_decline"),
    path(
        "c/<slug:slug>/requests/<str:handle>/approve/", membership.approve, name="community_approve"
    ),
    path("c/<slug:slug>/requests/<str:handle>/reject/", membership.reject, name="community_reject"),
    path("c/<slug:slug>/members/<str:handle>/remove/", membership.remove, name="community_remove"),
    path("c/<slug:slug>/members/<str:handle>/ban/", membership.ban, name="community_ban"),
    path("c/<slug:slug>/members/<str:handle>/role/", membership.set_role, name="community_role"),
    path("c/<slug:slug>/bans/<str:handle>/unban/", membership.unban, name="community_unban"),
    path("c/<slug:slug>/pins/<int:post_id>/pin/", membership.pin, name="community_pin"),
    path("c/<slug:slug>/pins/<int:post_id>/unpin/", membership.unpin, name="community_unpin"),
]

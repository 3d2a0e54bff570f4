"""Routes of accounts (https://docs.joinmastodon.org/methods/accounts/)."""

from voliere.mastodon import accounts as a
from voliere.mastodon.plumbing import api_route

_ID = "api/v1/accounts/<str:account_id>"

urlpatterns = [
    *api_route("api/v1/accounts/verify_credentials", a.verify_credentials,
               "api_verify_credentials"),
    *api_route("api/v1/accounts/update_credentials", a.update_credentials,
               "api_update_credentials"),
    *api_route("api/v1/accounts/relationships", a.relationships, "api_relationships"),
    *api_route("api/v1/accounts/lookup", a.lookup, "api_account_lookup"),
    *api_route("api/v1/accounts/search", a.search, "api_account_search"),
    *api_route(_ID, a.detail, "api_account"),
    *api_route(f"{_ID}/statuses", a.statuses, "api_account_statuses"),
    *api_route(f"{_ID}/followers", a.followers, "api_account_followers"),
    *api_route(f"{_ID}/following", a.following, "api_account_following"),
    *api_route(f"{_ID}/follow", a.follow, "api_account_follow"),
    *api_route(f"{_ID}/unfollow", a.unfollow, "api_account_unfollow"),
    *api_route(f"{_ID}/block", a.block, "api_account_block"),
    *api_route(f"{_ID}/unblock", a.unblock, "api_account_unblock"),
    *api_route(f"{_ID}/mute", a.mute, "api_account_mute"),
    *api_route(f"{_ID}/unmute", a.unmute, "api_account_unmute"),
]

"""Routes of statuses and polls (https://docs.joinmastodon.org/methods/statuses/)."""

from voliere.mastodon import statuses as s
from voliere.mastodon.plumbing import api_route
from voliere.polls import api as polls

_ID = "api/v1/statuses/<str:status_id>"

urlpatterns = [
    *api_route("api/v1/statuses", s.collection, "api_statuses"),
    *api_route(_ID, s.detail, "api_status"),
    *api_route(f"{_ID}/context", s.context, "api_status_context"),
    *api_route(f"{_ID}/history", s.history, "api_status_history"),
    *api_route(f"{_ID}/source", s.source, "api_status_source"),
    *api_route(f"{_ID}/reblog", s.reblog, "api_status_reblog"),
    *api_route(f"{_ID}/unreblog", s.unreblog, "api_status_unreblog"),
    *api_route(f"{_ID}/favourite", s.favourite, "api_status_favourite"),
    *api_route(f"{_ID}/unfavourite", s.unfavourite, "api_status_unfavourite"),
    *api_route(f"{_ID}/bookmark", s.bookmark, "api_status_bookmark"),
    *api_route(f"{_ID}/unbookmark", s.unbookmark, "api_status_unbookmark"),
    *api_route(f"{_ID}/pin", s.pin, "api_status_pin"),
    *api_route(f"{_ID}/unpin", s.unpin, "api_status_unpin"),
    *api_route(f"{_ID}/favourited_by", s.favourited_by, "api_status_favourited_by"),
    *api_route(f"{_ID}/reblogged_by", s.reblogged_by, "api_status_reblogged_by"),
    *api_route("api/v1/polls/<str:poll_id>", polls.detail, "api_poll"),
    *api_route("api/v1/polls/<str:poll_id>/votes", polls.votes, "api_poll_votes"),
]

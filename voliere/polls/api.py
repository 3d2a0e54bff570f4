"""`GET /api/v1/polls/:id` and `POST /api/v1/polls/:id/votes`
(https://docs.joinmastodon.org/methods/polls/). A poll is exactly as visible as its post:
a hidden one answers 404 like a missing one."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from voliere.mastodon.plumbing import api_json, api_view
from voliere.polls.actions import access_poll, vote
from voliere.polls.entities import polls_json


def _poll_response(request: HttpRequest, poll_id: int) -> HttpResponse:
    poll = access_poll(request.api_account, poll_id)
    return api_json(polls_json([poll.post], request.api_account)[poll.post_id])


@api_view(scopes="read:statuses", auth="optional")
def detail(request: HttpRequest, poll_id: str) -> HttpResponse:
    return _poll_response(request, poll_id)


@api_view(scopes="write:statuses", methods=("POST",))
def votes(request: HttpRequest, poll_id: str) -> HttpResponse:
    poll = vote(request.api_account, poll_id, request.api_params.get_list("choices"))
    return _poll_response(request, poll.pk)

"""Mastodon's media endpoints (https://docs.joinmastodon.org/methods/media/).

`POST /api/v2/media` and `POST /api/v1/media` upload a file (`file`, with optional
`description` and `focus` "x,y"; `thumbnail` is not supported and ignored). Processing
is synchronous for every kind (images are re-encoded during the request; videos are not
transcoded), so both answer 200 with a complete entity, never v2's 202 "still
processing". `GET /api/v1/media/:id` shows one's own upload; `PUT /api/v1/media/:id`
changes its description and focal point while it is not attached yet, as on Mastodon.
All need a user token with `write:media` (or `write`); bad files answer 422 with the
reason, a file over the size limit 422 too, and someone else's media 404.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from voliere.core.exceptions import NotFound
from voliere.mastodon.plumbing import ApiError, api_json, api_view
from voliere.media import actions
from voliere.media.access import access_own_media
from voliere.media.entities import media_attachment_json
from voliere.media.uploads import oversized_fields
from voliere.media.validation import too_large_message

WRITE_MEDIA = ("write:media",)


def _create(request: HttpRequest) -> HttpResponse:
    dropped = oversized_fields(request)
    if "file" in dropped:
        raise too_large_message(dropped["file"], field="file")
    upload = request.FILES.get("file")
    if upload is None:
        raise ApiError(
            422, _("Validation failed: file is missing (send it as multipart form data)")
        )
    params = request.api_params
    media = actions.upload_media(
        request.api_account,
        upload,
        description=params.get_str("description") or "",
        focus=params.get_str("focus"),
    )
    return api_json(media_attachment_json(media, request))


@api_view(scopes=WRITE_MEDIA, methods=("POST",))
def create_media_v2(request: HttpRequest) -> HttpResponse:
    return _create(request)


@api_view(scopes=WRITE_MEDIA, methods=("POST",))
def create_media_v1(request: HttpRequest) -> HttpResponse:
    return _create(request)


@api_view(scopes=WRITE_MEDIA, methods=("GET", "PUT"))
def media_detail(request: HttpRequest, media_id: str) -> HttpResponse:
    media = access_own_media(request.api_account, media_id)
    if request.method == "PUT":
        if media.is_attached:
            # Mastodon finds only unattached media here: attached media is "not found".
            raise NotFound(_("No such media."))
        params = request.api_params
        media = actions.update_media(
            request.api_account,
            media,
            description=params.get_str("description"),
            focus=params.get_str("focus"),
        )
    return api_json(media_attachment_json(media, request))

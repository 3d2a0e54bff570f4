"""Serving attachments to the people allowed to see them.

`/attachments/<id>/<name>` is the file, `/attachments/<id>/thumbnail/` the preview of an
image. Both go through `access_media` (the subject's own visibility rule; the owner alone
for an unattached upload) and answer 404 for missing and forbidden alike.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from voliere.core.exceptions import NotFound
from voliere.core.views_helpers import viewer_of
from voliere.media.access import access_media
from voliere.media.models import MediaKind
from voliere.media.serving import send_stored_file


def _media_or_404(request: HttpRequest, media_id: int):
    try:
        return access_media(viewer_of(request), media_id)
    except NotFound as error:
        raise Http404(error.message) from None


@require_safe
def media_file(request: HttpRequest, media_id: int, name: str = "") -> HttpResponse:
    media = _media_or_404(request, media_id)
    inline = media.kind in (MediaKind.IMAGE, MediaKind.VIDEO)
    return send_stored_file(
        request,
        media.file_name,
        content_type=media.content_type,
        disposition="inline" if inline else "attachment",
        filename=media.original_name or f"{media.id}",
    )


@require_safe
def media_thumbnail(request: HttpRequest, media_id: int) -> HttpResponse:
    media = _media_or_404(request, media_id)
    if not media.thumbnail_name:
        raise Http404
    extension = media.thumbnail_name.rsplit(".", 1)[-1]
    content_type = {"webp": "image/webp", "png": "image/png"}.get(extension, "image/jpeg")
    return send_stored_file(
        request,
        media.thumbnail_name,
        content_type=content_type,
        disposition="inline",
        filename=f"{media.id}-small.{extension}",
    )

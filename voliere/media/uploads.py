"""Counting uploads while they stream in, so an oversized one is never kept whole.

Django reads a multipart body before any view runs (the CSRF middleware reads
`request.POST`), writing each file to memory or a temporary file. `SizeLimitUploadHandler`
runs first among `FILE_UPLOAD_HANDLERS`: once a file passes the largest per-kind limit it
drops the rest of that file (`SkipFile`: Django reads and discards the remaining bytes
without storing them) and records the field, so the view can say which file was too big
instead of acting as if nothing had been sent. The exact per-kind limit is checked later,
once the content is sniffed (`voliere.media.validation`).
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest


def largest_upload() -> int:
    """The largest upload of any kind, in bytes."""
    return max(
        settings.MEDIA_IMAGE_MAX_BYTES,
        settings.MEDIA_VIDEO_MAX_BYTES,
        settings.MEDIA_FILE_MAX_BYTES,
    )


class SizeLimitUploadHandler(FileUploadHandler):
    """Drops a file as soon as it passes `largest_upload()` bytes; see the module docstring."""

    def new_file(self, field_name: str, *args, **kwargs) -> None:
        super().new_file(field_name, *args, **kwargs)
        self.received = 0
        self.limit = largest_upload()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            oversized = getattr(self.request, "oversized_uploads", None)
            if oversized is None:
                oversized = self.request.oversized_uploads = {}
            oversized[self.field_name] = self.file_name or ""
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def oversized_fields(request: HttpRequest) -> dict[str, str]:
    """`{field: file name}` for the files of `request` dropped for being too large."""
    return dict(getattr(request, "oversized_uploads", {}))

"""Sending a stored attachment file with safe headers, and byte ranges for video seeking.

Every response carries the *sniffed* content type, `X-Content-Type-Options: nosniff`, a
sandboxing `Content-Security-Policy` (even if a browser rendered a file, it could run
nothing), and a `Content-Disposition`: `inline` for images and videos, `attachment` for
every other file (PDF, office documents, 3D models), so nothing but re-encoded images and
sniffed videos is ever displayed by the browser. Responses are `private`: they depend on
who asks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import quote

from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse

from voliere.media.storage import attachment_storage

CHUNK = 64 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def content_disposition(disposition: str, filename: str) -> str:
    """RFC 6266 header with an ASCII fallback and the UTF-8 name."""
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "").replace("?", "_")
    ascii_name = ascii_name.replace("\\", "_")
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def _secure(response: HttpResponse, *, content_type: str, disposition: str, name: str) -> None:
    response["Content-Type"] = content_type
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Content-Disposition"] = content_disposition(disposition, name)
    response["Cache-Control"] = "private, max-age=3600"
    response["Accept-Ranges"] = "bytes"
    response["Cross-Origin-Resource-Policy"] = "same-origin"


def _ranged(handle, start: int, end: int) -> Iterator[bytes]:
    try:
        handle.seek(start)
        left = end - start + 1
        while left > 0:
            chunk = handle.read(min(CHUNK, left))
            if not chunk:
                break
            left -= len(chunk)
            yield chunk
    finally:
        handle.close()


def send_stored_file(
    request: HttpRequest, name: str, *, content_type: str, disposition: str, filename: str
) -> HttpResponse:
    """The stored file `name`, whole or the single byte range asked for."""
    storage = attachment_storage()
    size = storage.size(name)
    match = _RANGE.match(request.headers.get("Range", "").strip())
    if match and (match.group(1) or match.group(2)):
        first, last = match.groups()
        if first:
            start, end = int(first), min(int(last), size - 1) if last else size - 1
        else:
            start, end = max(size - int(last), 0), size - 1
        if start > end or start >= size:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        response = StreamingHttpResponse(_ranged(storage.open(name, "rb"), start, end), status=206)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
    else:
        response = FileResponse(storage.open(name, "rb"))
        response["Content-Length"] = str(size)
    _secure(response, content_type=content_type, disposition=disposition, name=filename)
    return response

"""Links collected from other networks, made harmless before anyone can click them.

A feed, a Mastodon instance, a CSV file or a 4CAT export decides what it calls the URL of a
post or of its author: `javascript:alert(1)` rendered as an `href` runs in the manager's
session (stored XSS). Sources and importers keep only http(s) addresses (`http_url`), and
templates filter again at display time (`{% load listening_links %}{{ url|http_url }}`), so
rows stored before this rule, or written by a future importer, are harmless too.
"""

from __future__ import annotations

from urllib.parse import urlsplit

MAX_URL = 500


def http_url(url: object, *, limit: int = MAX_URL) -> str:
    """`url` when it is an absolute http(s) address of at most `limit` characters (or a
    site-relative path like the internal network's `/posts/1`), else ""."""
    if not isinstance(url, str):
        return ""
    url = url.strip()
    if not url or len(url) > limit or any(ord(char) < 0x21 for char in url):
        return ""
    if url.startswith("/") and not url.startswith(("//", "/\\")):
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return ""
    return url

"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from voliere.core.views_helpers import viewer_of


def instance(request: HttpRequest) -> dict[str, Any]:
    return {
        "instance_name": settings.INSTANCE_NAME,
        "post_max_chars": settings.POST_MAX_CHARS,
        "viewer": viewer_of(request),
    }

"""ASGI entry point used by `voliere serve` (uvicorn).

Streaming (WebSocket and server-sent events, `voliere.streaming.routing`) is served by
plain ASGI handlers; Mastodon API requests go through Django's middleware and views on
persistent threads (`voliere.mastodon.asgi`); every other request goes to Django.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "voliere.config.settings.prod")
django_application = get_asgi_application()

from voliere.mastodon.asgi import with_api_threads  # noqa: E402 — needs Django set up
from voliere.streaming.routing import with_streaming  # noqa: E402 — needs Django set up

application = with_streaming(with_api_threads(django_application))

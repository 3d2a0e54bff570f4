"""Which ASGI scopes the streaming handlers take, before Django sees them.

Django serves neither WebSockets nor responses that outlive a request comfortably (each
would hold a request thread); the long-lived paths are plain ASGI handlers instead:
WebSocket upgrades to `/api/v1/streaming`, the SSE streams under `/api/v1/streaming/`
(except `health`, a normal Django view) and the web page's `/live/`. Everything else
goes to Django unchanged.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from voliere.streaming import sse, websocket

ASGIApp = Callable[[dict, Callable, Callable], Awaitable[None]]
WEB_STREAM_PATH = "/live/"
HEALTH_PATHS = ("/api/v1/streaming/health", "/api/v1/streaming/health/")


def with_streaming(django_app: ASGIApp) -> ASGIApp:
    async def application(scope: dict, receive: Callable, send: Callable) -> None:
        kind, path = scope["type"], scope.get("path", "")
        if kind == "websocket":
            await websocket.mastodon_websocket(scope, receive, send)
        elif kind == "http" and path == WEB_STREAM_PATH:
            await sse.web_stream(scope, receive, send)
        elif kind == "http" and path.startswith(sse.PREFIX) and path not in HEALTH_PATHS:
            await sse.mastodon_stream(scope, receive, send)
        else:
            await django_app(scope, receive, send)

    return application

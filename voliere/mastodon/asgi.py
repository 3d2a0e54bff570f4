"""Mastodon API requests served on a few persistent threads (wrapped around Django's ASGI
application in `voliere.config.asgi`).

Why: Django's ASGI handler runs each request's synchronous code in a thread of its own
(asgiref's `ThreadSensitiveContext`), and database connections belong to threads: every
request opened a new SQLite connection (≈ 2 ms with Django's set-up, and a cold page
cache), then hopped threads again for each synchronous middleware. An API client sends
many small requests, so `/api/v1/` and `/api/v2/` requests run instead, whole, on a
fixed pool of threads whose connections persist (`CONN_MAX_AGE`), like a WSGI server's.

Nothing else changes: the request is built by Django's own `ASGIHandler.create_request`
(host validation, body size limits), it goes through the same middleware list, loaded
in synchronous mode, and the same views (token checks, scopes, rate-limit headers);
`request_started` and `request_finished` are sent in the thread that ran the request,
so Django's connection housekeeping (`close_old_connections`) applies to its connection.
The streaming paths are taken before (voliere.streaming.routing); the web pages keep
Django's handler.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.core.handlers.base import BaseHandler
from django.urls import set_script_prefix

API_PREFIXES = ("/api/v1/", "/api/v2/")
# Enough to overlap database waits; the work itself is bound by the GIL and the cores.
THREADS = 8

ASGIApp = Callable[[dict, Callable, Callable], Awaitable[None]]


def _encoded_headers(response: Any) -> list[tuple[bytes, bytes]]:
    """The response's headers and cookies as ASGI wants them (as Django's handler does)."""
    headers = [
        (name.encode("ascii") if isinstance(name, str) else bytes(name),
         value.encode("latin1") if isinstance(value, str) else bytes(value))
        for name, value in response.items()
    ]
    headers.extend(
        (b"Set-Cookie", cookie.output(header="").encode("ascii").strip())
        for cookie in response.cookies.values()
    )
    return headers


class ApiThreads:
    """`/api/v1/…` and `/api/v2/…` on persistent threads; anything else to `django_app`."""

    def __init__(self, django_app: ASGIHandler) -> None:
        self.django = django_app
        self.handler = BaseHandler()
        self.handler.load_middleware(is_async=False)
        self.executor = ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="api")

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http" or not scope.get("path", "").startswith(API_PREFIXES):
            await self.django(scope, receive, send)
            return
        try:
            body_file = await self.django.read_body(receive)
        except RequestAborted:
            return
        loop = asyncio.get_running_loop()
        status, headers, body = await loop.run_in_executor(
            self.executor, self._respond, scope, body_file
        )
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    def _respond(self, scope: dict, body_file: Any) -> tuple[int, list, bytes]:
        """Build, run and close one request in this thread; the answer as plain values."""
        set_script_prefix(get_script_prefix(scope))
        signals.request_started.send(sender=ASGIHandler, scope=scope)
        response = None
        try:
            request, response = self.django.create_request(scope, body_file)
            if request is not None:
                response = self.handler.get_response(request)
            # The Mastodon API answers with whole bodies; a streamed one is read here.
            body = b"".join(response) if response.streaming else response.content
            return response.status_code, _encoded_headers(response), body
        finally:
            body_file.close()
            if response is not None:
                response.close()  # sends request_finished in this thread
            else:
                signals.request_finished.send(sender=ASGIHandler)


def with_api_threads(django_app: ASGIHandler) -> ASGIApp:
    return ApiThreads(django_app)


__all__ = ["API_PREFIXES", "ApiThreads", "with_api_threads"]

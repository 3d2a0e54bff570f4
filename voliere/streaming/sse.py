"""Server-sent events: the Mastodon SSE endpoints and the web page's live stream.

`GET /api/v1/streaming/<stream>` (token auth) and `GET /live/` (session auth) answer
`text/event-stream`, then one `event:`/`data:` block per event, a `:thump` comment every
`HEARTBEAT` seconds so proxies and clients know the stream is alive, and end when the
client goes away, the connection is closed as too slow, or the server stops.
Errors before the stream starts are Mastodon-shaped JSON: 400 (bad stream or tag),
401 (no or bad token), 403 (scope), 404 (no such stream), 429 (too many streams).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

from django.utils.translation import gettext as _

from voliere.core.exceptions import InvalidInput
from voliere.streaming import auth
from voliere.streaming.delivery import Message
from voliere.streaming.hub import Connection, TooManyConnections, get_hub
from voliere.streaming.streams import (
    SSE_PATHS,
    WEB,
    Subscription,
    missing_scope,
    parse_subscription,
)

PREFIX = "/api/v1/streaming/"
HEARTBEAT = 15.0
_STREAM_HEADERS = [
    (b"content-type", b"text/event-stream; charset=utf-8"),
    (b"cache-control", b"no-store"),
    (b"x-accel-buffering", b"no"),  # nginx: do not buffer the stream
]


async def send_json_error(send: Callable, status: int, message: str) -> None:
    body = json.dumps({"error": message}).encode()
    await send({
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode())],
    })
    await send({"type": "http.response.body", "body": body})


def sse_frame(message: Message) -> bytes:
    """One event block. Payloads are JSON (no raw newline) or a bare id."""
    return f"event: {message.event}\ndata: {message.payload}\n\n".encode()


async def mastodon_stream(scope: dict, receive: Callable, send: Callable) -> None:
    """`/api/v1/streaming/<stream>` for Mastodon clients."""
    if scope["method"] not in ("GET", "HEAD"):
        await send_json_error(send, 405, _("Streams are read with GET."))
        return
    stream = SSE_PATHS.get(scope["path"][len(PREFIX):].strip("/"))
    if stream is None:
        await send_json_error(send, 404, _("No such stream."))
        return
    hub = get_hub()
    offered = auth.offered_token(scope)
    credentials = await hub.db(auth.authenticate_token, offered.token) if offered else None
    if credentials is None:
        await send_json_error(send, 401, _("The access token is invalid or missing."))
        return
    try:
        subscription = parse_subscription(stream, auth.query_params(scope).get("tag"))
    except InvalidInput as error:
        await send_json_error(send, 400, error.message)
        return
    needed = missing_scope(subscription, credentials.scopes)
    if needed:
        await send_json_error(
            send, 403, _("This stream needs the %(scope)s scope.") % {"scope": needed}
        )
        return
    await _serve(scope, credentials, subscription, receive, send, sse_frame)


async def web_stream(scope: dict, receive: Callable, send: Callable) -> None:
    """`/live/`: the signed-in page's hints (new home posts, deletes, unread count)."""
    hub = get_hub()
    credentials = await hub.db(auth.authenticate_session, scope)
    if credentials is None:
        await send_json_error(send, 401, _("Sign in to receive live updates."))
        return
    await _serve(scope, credentials, Subscription(WEB), receive, send, sse_frame)


async def _serve(
    scope: dict,
    credentials: auth.Credentials,
    subscription: Subscription,
    receive: Callable,
    send: Callable,
    frame: Callable[[Message], bytes],
) -> None:
    hub = get_hub()
    conn = Connection(
        viewer_id=credentials.account_id,
        limit_key=credentials.limit_key,
        subscriptions={subscription},
        origin=auth.origin(scope),
    )
    try:
        await hub.connect(conn)
    except TooManyConnections:
        await send_json_error(send, 429, _("Too many open streams for this access token."))
        return
    try:
        await send({"type": "http.response.start", "status": 200, "headers": _STREAM_HEADERS})
        await send({"type": "http.response.body", "body": b":)\n\n", "more_body": True})
        await pump(conn, receive, send, frame)
        await send({"type": "http.response.body", "body": b"", "more_body": False})
    except OSError:
        pass  # the client went away while we wrote
    finally:
        hub.disconnect(conn)


async def pump(
    conn: Connection, receive: Callable, send: Callable, frame: Callable[[Message], bytes]
) -> None:
    """Write queued messages and heartbeats until the client leaves or `conn` is closed."""
    disconnected = asyncio.ensure_future(_until_disconnect(receive))
    closed = asyncio.ensure_future(conn.closed.wait())
    try:
        while True:
            getter = asyncio.ensure_future(conn.queue.get())
            done, _pending = await asyncio.wait(
                {getter, disconnected, closed}, timeout=HEARTBEAT,
                return_when=asyncio.FIRST_COMPLETED,
            )
            if getter in done:
                await send({"type": "http.response.body", "body": frame(getter.result()),
                            "more_body": True})
                continue
            getter.cancel()
            if disconnected in done or closed in done:
                return
            await send({"type": "http.response.body", "body": b":thump\n\n", "more_body": True})
    finally:
        disconnected.cancel()
        closed.cancel()


async def _until_disconnect(receive: Callable) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass

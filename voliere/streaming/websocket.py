"""The Mastodon WebSocket endpoint: `GET /api/v1/streaming` (upgrade).

The token comes from `Authorization: Bearer`, `?access_token=` or the
`Sec-WebSocket-Protocol` header (then echoed as the accepted subprotocol). `?stream=`
(and `&tag=`) subscribe at once; afterwards the client sends
`{"type": "subscribe", "stream": "hashtag", "tag": "x"}` or `"unsubscribe"`. Each event
is one text message `{"stream": [...], "event": "update", "payload": "<JSON string>"}`;
a bad request message is answered `{"error": "...", "status": 400}` and the connection
stays open. Refusals before the upgrade are HTTP errors (401, 400, 403, 429) when the
server supports ASGI's WebSocket denial responses, else a close.
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
from voliere.streaming.streams import Subscription, missing_scope, parse_subscription

PATHS = ("/api/v1/streaming", "/api/v1/streaming/")
ERROR = "__error__"
CLOSE_TOO_SLOW = 1013  # "try again later"
CLOSE_GOING_AWAY = 1001


async def _deny(scope: dict, send: Callable, status: int, message: str) -> None:
    if "websocket.http.response" in scope.get("extensions", {}):
        body = json.dumps({"error": message}).encode()
        await send({"type": "websocket.http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json")]})
        await send({"type": "websocket.http.response.body", "body": body})
    else:
        await send({"type": "websocket.close", "code": 1008})


async def mastodon_websocket(scope: dict, receive: Callable, send: Callable) -> None:
    if (await receive())["type"] != "websocket.connect":
        return
    if scope["path"] not in PATHS:
        await _deny(scope, send, 404, _("No such stream."))
        return
    hub = get_hub()
    offered = auth.offered_token(scope)
    credentials = await hub.db(auth.authenticate_token, offered.token) if offered else None
    if credentials is None:
        await _deny(scope, send, 401, _("The access token is invalid or missing."))
        return
    initial: set[Subscription] = set()
    params = auth.query_params(scope)
    if params.get("stream"):
        try:
            subscription = parse_subscription(params["stream"], params.get("tag"))
        except InvalidInput as error:
            await _deny(scope, send, 400, error.message)
            return
        needed = missing_scope(subscription, credentials.scopes)
        if needed:
            await _deny(scope, send, 403, _("This stream needs the %(scope)s scope.")
                        % {"scope": needed})
            return
        initial.add(subscription)
    conn = Connection(viewer_id=credentials.account_id, limit_key=credentials.limit_key,
                      subscriptions=initial, origin=auth.origin(scope))
    try:
        await hub.connect(conn)
    except TooManyConnections:
        await _deny(scope, send, 429, _("Too many open streams for this access token."))
        return
    try:
        await send({"type": "websocket.accept", "subprotocol": offered.subprotocol})
        await _converse(conn, credentials, receive, send)
    except OSError:
        pass  # the client went away while we wrote
    finally:
        hub.disconnect(conn)


async def _converse(
    conn: Connection, credentials: auth.Credentials, receive: Callable, send: Callable
) -> None:
    """Read subscription requests and write events until either side closes."""
    reader = asyncio.ensure_future(_read(conn, credentials, receive))
    closed = asyncio.ensure_future(conn.closed.wait())
    try:
        while True:
            getter = asyncio.ensure_future(conn.queue.get())
            done, _pending = await asyncio.wait(
                {getter, reader, closed}, return_when=asyncio.FIRST_COMPLETED
            )
            if getter in done:
                await send({"type": "websocket.send", "text": _encode(getter.result())})
                continue
            getter.cancel()
            if reader in done:
                return  # the client disconnected
            code = CLOSE_TOO_SLOW if conn.close_reason == "slow consumer" else CLOSE_GOING_AWAY
            await send({"type": "websocket.close", "code": code})
            return
    finally:
        reader.cancel()
        closed.cancel()


def _encode(message: Message) -> str:
    if message.event == ERROR:
        return message.payload
    return json.dumps(
        {"stream": list(message.stream), "event": message.event, "payload": message.payload}
    )


def _error(message: str, status: int = 400) -> Message:
    return Message(ERROR, json.dumps({"error": message, "status": status}))


async def _read(conn: Connection, credentials: auth.Credentials, receive: Callable) -> None:
    while True:
        message = await receive()
        if message["type"] == "websocket.disconnect":
            return
        if message["type"] == "websocket.receive":
            reply = _handle_request(conn, credentials, message.get("text") or "")
            if reply is not None:
                conn.offer(reply)


def _handle_request(
    conn: Connection, credentials: auth.Credentials, text: str
) -> Message | None:
    """Apply one subscribe/unsubscribe request. Mastodon acknowledges nothing: the reply
    is an error message, or None. Requests are handled in order, so a client that needs
    to know a subscription is in place can follow it with a request it knows is wrong
    and wait for that error."""
    try:
        request = json.loads(text)
    except ValueError:
        return _error(_("Messages must be JSON objects."))
    if not isinstance(request, dict) or request.get("type") not in ("subscribe", "unsubscribe"):
        return _error(_('"type" must be "subscribe" or "unsubscribe".'))
    try:
        subscription = parse_subscription(request.get("stream"), request.get("tag"))
    except InvalidInput as error:
        return _error(error.message)
    if request["type"] == "unsubscribe":
        conn.subscriptions.discard(subscription)
        return None
    needed = missing_scope(subscription, credentials.scopes)
    if needed:
        return _error(_("This stream needs the %(scope)s scope.") % {"scope": needed}, 403)
    conn.subscriptions.add(subscription)
    return None

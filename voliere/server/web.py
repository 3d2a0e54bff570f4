"""The ASGI web server (uvicorn) as a child process, and waiting for it to answer."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request

from voliere.server.processes import python_module

APPLICATION = "voliere.config.asgi:application"


def listening_socket(host: str, port: int) -> socket.socket:
    """The server's listening socket, bound here with TCP_NODELAY and handed to uvicorn.

    With `--workers N` uvicorn binds a socket whose protocol number is 0, so asyncio never
    sets TCP_NODELAY on the connections it accepts; every keep-alive response (headers,
    then body, two writes) then waits for the client's delayed ACK, about 40 ms per
    request (measured with `bench/api.py`: 46 ms → 2.9 ms per sequential request). Linux
    accepted sockets inherit the listener's TCP_NODELAY. Raises OSError if the address is
    taken, which the caller reports.
    """
    family, kind, proto, _, address = socket.getaddrinfo(
        host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    listener = socket.socket(family, kind, proto or socket.IPPROTO_TCP)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        listener.bind(address)
        listener.listen(2048)
    except OSError:
        listener.close()
        raise
    listener.set_inheritable(True)
    return listener


def uvicorn_argv(
    *, host: str, port: int, workers: int, access_log: bool, fd: int | None = None
) -> list[str]:
    """uvicorn's command line; with `fd`, it serves that already-bound socket."""
    where = ["--fd", str(fd)] if fd is not None else ["--host", host, "--port", str(port)]
    # Django's ASGI handler does not speak the lifespan protocol: turn it off rather than
    # have uvicorn log that it is unsupported at every start.
    return python_module(
        "uvicorn", APPLICATION, *where, "--workers", str(workers),
        "--lifespan", "off", "--log-level", "info" if access_log else "warning",
        "--access-log" if access_log else "--no-access-log",
        "--timeout-graceful-shutdown", "8",
    )


def base_url(host: str, port: int) -> str:
    # A wildcard address is reached through loopback, for the health check and the banner.
    shown = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1"}.get(host, host)  # noqa: S104
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


def is_healthy(url: str) -> bool:
    """True once `/healthz` answers 200 with status ok."""
    try:
        with urllib.request.urlopen(url + "healthz", timeout=2) as response:  # noqa: S310
            return response.status == 200 and json.load(response).get("status") == "ok"
    except (OSError, urllib.error.URLError, ValueError):
        return False

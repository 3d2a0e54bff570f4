"""Safe outgoing HTTP for everything that fetches a URL a user typed (feeds, instances, webhooks).

A URL given by an organisation manager must not become a way into the server's own network
(server-side request forgery): `safe_request` accepts only http(s), resolves the host once,
refuses loopback, private, link-local, multicast, reserved and other non-global addresses
(unless the host is listed in `settings.LISTENING_ALLOWED_PRIVATE_HOSTS`), then connects to
the very address it vetted — the URL is rewritten to the IP, with the original `Host` header
and TLS server name — so a DNS answer that changes between the check and the connection
(DNS rebinding) cannot redirect the request. Redirects are followed by hand, each hop checked
the same way, at most `MAX_REDIRECTS`. Bodies are capped at `max_bytes` (decoded size), and
every request has a connect/read timeout plus an overall deadline, enforced even while the
answer's headers trickle in a byte at a time (a watchdog shuts the socket down at the
deadline: a per-read timeout alone lets a slow server hold a worker for hours).

Errors: `FetchRefused` (an `InvalidInput`: the URL or the answer breaks the rules above; the
message says which) and `FetchFailed` (the network failed: timeout, refused connection, TLS
error). HTTP error statuses are not exceptions: callers read `response.status_code`.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Mapping

import httpx
from django.conf import settings
from django.utils.translation import gettext as _

from voliere.core.exceptions import InvalidInput, VoliereError

MAX_REDIRECTS = 5
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
USER_AGENT = "Voliere-Listening/1.0 (+https://github.com/voliere)"
_REDIRECT_STATUSES = {301, 302, 303, 307, 308}
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# IPv6 unicast on the Internet is 2000::/3; the NAT64 prefix carries an IPv4 address in its
# last 32 bits (a DNS64 resolver answers it for IPv4-only hosts).
_GLOBAL_UNICAST = ipaddress.IPv6Network("2000::/3")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class FetchRefused(InvalidInput):
    """The URL, one of its redirects or the response breaks the outgoing-request rules."""


class FetchFailed(VoliereError):
    """The request could not be completed (DNS, connection, TLS, timeout): worth retrying."""

    status = 502


def is_public_address(address: IPAddress) -> bool:
    """True for addresses on the public Internet. An IPv6 address that carries an IPv4 one
    (IPv4-mapped, 6to4, NAT64) is judged by that IPv4 address; any other IPv6 address must
    be global unicast (2000::/3): `is_global` alone (Python 3.11) lets through site-local
    fec0::/10, IPv4-compatible ::a.b.c.d and IPv4-translated ::ffff:0:a.b.c.d forms."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return is_public_address(embedded)
        if address not in _GLOBAL_UNICAST:
            return False
    return address.is_global and not address.is_multicast and not address.is_reserved


def allowed_private_hosts() -> set[str]:
    return {host.lower() for host in settings.LISTENING_ALLOWED_PRIVATE_HOSTS}


def vet_url(url: httpx.URL) -> str:
    """Check `url`'s scheme and resolve its host; return the IP to connect to.

    Every resolved address must be public (one private answer among public ones is refused:
    the connection could land on any of them), unless the host name is explicitly allowed.
    """
    if url.scheme not in ("http", "https"):
        raise FetchRefused(_("Only http and https addresses can be fetched, not “%(scheme)s”.")
                           % {"scheme": url.scheme or "?"}, field="url")
    host = url.host
    if not host:
        raise FetchRefused(_("The address has no host name."), field="url")
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchFailed(_("Cannot resolve %(host)s: %(error)s")
                          % {"host": host, "error": error}, field="url") from error
    addresses = [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos]
    if not addresses:
        raise FetchFailed(_("Cannot resolve %(host)s.") % {"host": host}, field="url")
    if host.lower() not in allowed_private_hosts():
        for address in addresses:
            if not is_public_address(address):
                raise FetchRefused(
                    _("%(host)s resolves to %(address)s, a private or reserved address: "
                      "refused.") % {"host": host, "address": address}, field="url")
    return str(addresses[0])


def safe_request(
    method: str,
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    content: bytes | str | None = None,
    timeout: float = 10.0,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> httpx.Response:
    """Send one request under the rules of this module; the returned response is fully
    read (`response.content`), its `request.url` is the last URL actually fetched (with the
    host name, not the IP)."""
    try:
        current = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as error:
        raise FetchRefused(_("Not a valid address: %(error)s") % {"error": error},
                           field="url") from error
    deadline = time.monotonic() + timeout * 3
    sent_headers = {"User-Agent": USER_AGENT, **(headers or {})}
    body = content.encode() if isinstance(content, str) else content
    with httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=False,
                      trust_env=False) as client:
        for _hop in range(MAX_REDIRECTS + 1):
            response = _send_once(client, method, current, headers=sent_headers, content=body,
                                  max_bytes=max_bytes, deadline=deadline)
            location = response.headers.get("location")
            if response.status_code not in _REDIRECT_STATUSES or not location:
                return response
            target = current.join(location)
            if target.scheme in ("http", "https") and (
                    target.host, target.port) != (current.host, current.port):
                # Credentials are for the host they were given for, not wherever it points.
                sent_headers = {k: v for k, v in sent_headers.items()
                                if k.lower() not in ("authorization", "cookie")}
            if response.status_code == 303 or (
                    response.status_code in (301, 302) and method.upper() == "POST"):
                method, body = "GET", None
            current = target
    raise FetchRefused(_("More than %(count)d redirects.") % {"count": MAX_REDIRECTS},
                       field="url")


def _send_once(
    client: httpx.Client,
    method: str,
    url: httpx.URL,
    *,
    headers: Mapping[str, str],
    content: bytes | None,
    max_bytes: int,
    deadline: float,
) -> httpx.Response:
    address = vet_url(url)
    request = client.build_request(method, url.copy_with(host=address), headers=headers,
                                   content=content)
    request.headers["Host"] = url.netloc.decode("ascii")
    if url.scheme == "https":
        request.extensions["sni_hostname"] = url.host
    watchdog = _Watchdog(deadline)
    request.extensions["trace"] = watchdog.trace
    try:
        return _exchange(client, request, url, max_bytes=max_bytes, deadline=deadline)
    except FetchFailed:
        if watchdog.fired:
            raise _too_slow(url) from None
        raise
    finally:
        watchdog.cancel()


class _Watchdog:
    """Shuts the request's socket down at `deadline`, which makes a blocked read fail at
    once. The socket is learnt from httpcore's documented `trace` extension."""

    def __init__(self, deadline: float) -> None:
        self.fired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(0.0, deadline - time.monotonic()), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def trace(self, event: str, info: dict) -> None:
        if event == "connection.connect_tcp.complete":
            sock = info["return_value"].get_extra_info("socket")
            with self._lock:
                if sock is not None:
                    self._sockets.append(sock)
                if self.fired:
                    self._shut(sock)

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            for sock in self._sockets:
                self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket | None) -> None:
        if sock is None:
            return
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # already closed

    def cancel(self) -> None:
        self._timer.cancel()


def _exchange(client: httpx.Client, request: httpx.Request, url: httpx.URL, *,
              max_bytes: int, deadline: float) -> httpx.Response:
    try:
        response = client.send(request, stream=True)
    except httpx.HTTPError as error:
        raise FetchFailed(_("Request to %(host)s failed: %(error)s")
                          % {"host": url.host, "error": error or type(error).__name__}) from error
    try:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise _too_large(url, max_bytes)
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > max_bytes:
                raise _too_large(url, max_bytes)
            if time.monotonic() > deadline:
                raise _too_slow(url)
            chunks.append(chunk)
    except httpx.HTTPError as error:
        raise FetchFailed(_("Reading the answer of %(host)s failed: %(error)s")
                          % {"host": url.host, "error": error or type(error).__name__}) from error
    finally:
        response.close()
    # The body is already decoded: drop the headers that describe its encoded form.
    kept = [(k, v) for k, v in response.headers.multi_items()
            if k.lower() not in ("content-encoding", "content-length", "transfer-encoding")]
    return httpx.Response(
        response.status_code, headers=kept, content=b"".join(chunks),
        request=httpx.Request(request.method, url, headers=request.headers),
    )


def _too_slow(url: httpx.URL) -> FetchFailed:
    return FetchFailed(_("%(host)s is too slow to answer.") % {"host": url.host})


def _too_large(url: httpx.URL, max_bytes: int) -> FetchRefused:
    return FetchRefused(_("The answer of %(host)s is larger than %(size)d bytes.")
                        % {"host": url.host, "size": max_bytes}, field="url")

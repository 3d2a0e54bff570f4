"""safe_request: what a user-typed URL may reach, and what is refused (SSRF rules)."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from ipaddress import ip_address

import pytest

from voliere.listening.sources.fetch import (
    FetchFailed,
    FetchRefused,
    is_public_address,
    safe_request,
)
from voliere.listening.tests.sources_server import Canned, CannedServer, canned_server

__all__ = ["canned_server"]


@pytest.mark.parametrize("url", [
    "ftp://example.com/feed", "file:///etc/passwd", "gopher://example.com/", "javascript:alert(1)",
])
def test_non_http_schemes_are_refused(url: str) -> None:
    with pytest.raises(FetchRefused, match="Only http and https"):
        safe_request("GET", url)


@pytest.mark.parametrize("host", [
    "10.0.0.1", "192.168.1.1", "172.16.5.4", "169.254.169.254", "127.0.0.2", "0.0.0.0",  # noqa: S104
    "[::1]", "[::ffff:127.0.0.1]", "[fe80::1]", "[fd00::1]", "224.0.0.1", "100.64.0.1",
    "240.0.0.1", "[::127.0.0.1]", "[::ffff:0:7f00:1]", "[64:ff9b::7f00:1]", "[64:ff9b::a00:1]",
    "[2002:7f00:1::]", "[2002:a9fe:a9fe::1]", "[fec0::1]", "[2001::1]", "[64:ff9b:1::a00:1]",
])
def test_private_and_reserved_addresses_are_refused(host: str) -> None:
    with pytest.raises(FetchRefused, match="private or reserved"):
        safe_request("GET", f"http://{host}/feed")


def test_a_name_resolving_to_a_private_address_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_dns(monkeypatch, {"intranet.example": ["93.184.216.34", "10.1.2.3"]})
    with pytest.raises(FetchRefused, match="intranet.example resolves to 10.1.2.3"):
        safe_request("GET", "https://intranet.example/feed")


def test_loopback_is_refused_unless_allowed(canned_server: CannedServer, settings) -> None:
    canned_server.route("/feed", Canned(200, "hello"))
    assert safe_request("GET", canned_server.url("/feed")).text == "hello"
    settings.LISTENING_ALLOWED_PRIVATE_HOSTS = []
    with pytest.raises(FetchRefused, match="127.0.0.1 resolves to 127.0.0.1"):
        safe_request("GET", canned_server.url("/feed"))


def test_connects_to_the_vetted_address_not_a_second_resolution(
    canned_server: CannedServer, monkeypatch: pytest.MonkeyPatch, settings
) -> None:
    """DNS rebinding: the first answer is checked and used; a later, different answer
    (here an unroutable private address) is never consulted."""
    settings.LISTENING_ALLOWED_PRIVATE_HOSTS = ["rebind.test"]
    answers = iter([["127.0.0.1"]] + [["10.255.255.1"]] * 5)
    real = socket.getaddrinfo

    def rebinding(host, port, *args, **kwargs):
        if host == "rebind.test":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))
                    for ip in next(answers)]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    canned_server.route("/x", Canned(200, "ok"))
    port = canned_server.base_url.rsplit(":", 1)[1]
    response = safe_request("GET", f"http://rebind.test:{port}/x", timeout=2)
    assert response.text == "ok"
    assert canned_server.to("/x")[0].headers["host"] == f"rebind.test:{port}"
    assert str(response.request.url) == f"http://rebind.test:{port}/x"


def test_redirect_to_a_private_host_is_refused(canned_server: CannedServer) -> None:
    port = canned_server.base_url.rsplit(":", 1)[1]
    canned_server.route("/feed", Canned(302, headers={"Location": f"http://127.0.0.2:{port}/"}))
    with pytest.raises(FetchRefused, match="127.0.0.2"):
        safe_request("GET", canned_server.url("/feed"))
    canned_server.route("/meta", Canned(301, headers={
        "Location": "http://169.254.169.254/latest/meta-data/"}))
    with pytest.raises(FetchRefused, match="169.254.169.254"):
        safe_request("GET", canned_server.url("/meta"))


def test_redirects_are_followed_and_credentials_stay_with_their_host(
    canned_server: CannedServer,
) -> None:
    port = canned_server.base_url.rsplit(":", 1)[1]
    canned_server.route("/a", Canned(301, headers={"Location": "/b"}))
    canned_server.route("/b", Canned(302, headers={"Location": f"http://localhost:{port}/c"}))
    canned_server.route("/c", Canned(200, "arrived"))
    response = safe_request("GET", canned_server.url("/a"),
                            headers={"Authorization": "Bearer secret"})
    assert response.text == "arrived"
    assert str(response.request.url) == f"http://localhost:{port}/c"
    assert canned_server.to("/b")[0].headers["authorization"] == "Bearer secret"
    assert "authorization" not in canned_server.to("/c")[0].headers


def test_too_many_redirects_are_refused(canned_server: CannedServer) -> None:
    canned_server.route("/loop", Canned(302, headers={"Location": "/loop"}))
    with pytest.raises(FetchRefused, match="More than 5 redirects"):
        safe_request("GET", canned_server.url("/loop"))
    assert len(canned_server.to("/loop")) == 6


def test_answers_larger_than_the_cap_are_refused(canned_server: CannedServer) -> None:
    canned_server.route("/big", Canned(200, b"x" * 5000))
    assert len(safe_request("GET", canned_server.url("/big"), max_bytes=5000).content) == 5000
    with pytest.raises(FetchRefused, match="larger than 4999 bytes"):
        safe_request("GET", canned_server.url("/big"), max_bytes=4999)


def test_a_closed_port_is_a_failure_not_a_crash() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchFailed, match="Request to 127.0.0.1 failed"):
        safe_request("GET", f"http://127.0.0.1:{port}/", timeout=2)


def test_post_bodies_and_statuses_pass_through(canned_server: CannedServer) -> None:
    canned_server.route("/hook", lambda r: Canned(503, r.body))
    response = safe_request("POST", canned_server.url("/hook"), content='{"a": 1}',
                            headers={"Content-Type": "application/json"})
    assert response.status_code == 503
    assert response.json() == {"a": 1}


def fake_dns(monkeypatch: pytest.MonkeyPatch, table: dict[str, list[str]]) -> Callable:
    real = socket.getaddrinfo

    def resolve(host, port, *args, **kwargs):
        if host in table:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port)) for ip in table[host]]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    return resolve


@pytest.mark.parametrize("address", [
    "93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "64:ff9b::5db8:d822",
    "2002:5db8:d822::1",
])
def test_public_addresses_pass_even_when_they_embed_ipv4(address: str) -> None:
    assert is_public_address(ip_address(address))


@pytest.fixture
def trickling_server() -> Iterator[str]:
    """Answers with headers that arrive one byte every 0.2 s, for ever: each read succeeds
    well within any read timeout, only an overall deadline can end the request."""
    import threading
    import time as clock

    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            with conn:
                conn.recv(65536)
                try:
                    conn.sendall(b"HTTP/1.1 200 OK\r\n")
                    while not stop.is_set():
                        conn.sendall(b"X")
                        clock.sleep(0.2)
                except OSError:
                    continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/feed"
    stop.set()
    thread.join(timeout=2)
    listener.close()


def test_headers_trickling_in_hit_the_overall_deadline(trickling_server: str) -> None:
    import time as clock

    started = clock.monotonic()
    with pytest.raises(FetchFailed, match="too slow"):
        safe_request("GET", trickling_server, timeout=0.5)
    assert clock.monotonic() - started < 3  # the deadline is 3 x timeout = 1.5 s

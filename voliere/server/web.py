"""The ASGI web server (uvicorn) as a child process, and waiting for it to answer."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from voliere.server.processes import python_module

APPLICATION = "voliere.config.asgi:application"


def uvicorn_argv(*, host: str, port: int, workers: int, access_log: bool) -> list[str]:
    # Django's ASGI handler does not speak the lifespan protocol: turn it off rather than
    # have uvicorn log that it is unsupported at every start.
    return python_module(
        "uvicorn", APPLICATION, "--host", host, "--port", str(port), "--workers", str(workers),
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

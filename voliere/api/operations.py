"""`operation(...)`: how every endpoint of the own API is declared, so that each one
documents its scopes, whether visitors may call it, and every answer it can give.

    @operation(router, "GET", "/communities/{slug}", scopes="read", anonymous=True,
               response=CommunityOut, summary="A community")
    def get_community(request, slug: str): ...

The description written into the OpenAPI document ends with the scopes (any one suffices;
broader ones such as `read` include `read:accounts`) and the anonymous rule; the scopes
are also listed as the `x-scopes` extension for tools. Error answers (400, 401, 403, 404,
422, 429) all share `ErrorOut`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ninja import Router

from voliere.api.auth import TokenAuth
from voliere.api.errors import ERROR_CODES, ErrorOut


def _access_note(scopes: tuple[str, ...], anonymous: bool) -> str:
    listed = " or ".join(f"`{scope}`" for scope in scopes)
    who = (
        "Anonymous callers and application-only tokens are served public data only."
        if anonymous
        else "Needs a person's token (an application-only token gets 422)."
    )
    return f"**Scopes**: {listed} (or a broader scope). {who}"


def operation(
    router: Router,
    method: str,
    path: str,
    *,
    scopes: str | tuple[str, ...],
    summary: str,
    response: Any,
    anonymous: bool = False,
    description: str = "",
    status: int = 200,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    scopes = (scopes,) if isinstance(scopes, str) else tuple(scopes)
    note = _access_note(scopes, anonymous)
    extra: dict[str, Any] = {"x-scopes": list(scopes)}
    if anonymous:
        extra["security"] = [{"TokenAuth": []}, {}]  # the token is optional

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        return router.api_operation(
            [method],
            path,
            auth=TokenAuth(scopes, anonymous=anonymous),
            response={status: response, ERROR_CODES: ErrorOut},
            summary=summary,
            description=f"{description}\n\n{note}".strip(),
            operation_id=view.__name__,
            openapi_extra=extra,
        )(view)

    return decorate

"""Errors of Volière's own API: one JSON shape for every failure.

    {"error": "what went wrong, in one sentence", "detail": [{"field": ..., "message": ...}]}

`detail` lists the fields at fault for 400 and 422 answers and is null otherwise. Status
codes: 400 unreadable body, 401 missing or bad token, 403 out of scope or not allowed,
404 missing AND hidden alike (a secret community or a draft never answers 403, which
would confirm it exists), 422 invalid input, 429 too many calls.

Domain errors raised by the actions (`voliere.core.exceptions`) map here, so the API never
re-implements a rule: InvalidInput → 422 naming its field, Forbidden → 403, NotFound → 404.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from voliere.core.exceptions import Forbidden, InvalidInput, NotFound

ERROR_CODES = frozenset({400, 401, 403, 404, 422, 429})
NOT_FOUND = "Record not found"


class FieldError(Schema):
    field: str | None = None
    message: str


class ErrorOut(Schema):
    error: str
    detail: list[FieldError] | None = None


class ApiError(Exception):
    """Answer `status` with `message` (and the fields at fault, if any)."""

    def __init__(self, status: int, message: str, *, fields: list[dict] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.fields = fields
        self.headers = headers or {}


def error_response(api: NinjaAPI, request: HttpRequest, status: int, message: str,
                   fields: list[dict] | None = None) -> HttpResponse:
    return api.create_response(request, {"error": message, "detail": fields}, status=status)


def _field_name(location: list[Any]) -> str:
    """`["body", "payload", "title"]` → "title"; `["query", "limit"]` → "limit"."""
    parts = [str(part) for part in location[1:]]
    if len(parts) > 1 and parts[0] in {"payload", "data", "filters", "cursor", "params"}:
        parts = parts[1:]
    return ".".join(parts) or str(location[0])


def _validation_fields(errors: list[dict]) -> list[dict]:
    return [
        {"field": _field_name(list(error.get("loc", ["body"]))), "message": error.get("msg", "")}
        for error in errors
    ]


def install_handlers(api: NinjaAPI) -> None:
    """Replace Ninja's default error answers with the shape above."""

    def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        response = error_response(api, request, exc.status, exc.message, exc.fields)
        for name, value in exc.headers.items():
            response[name] = value
        return response

    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        fields = _validation_fields(exc.errors)
        summary = "; ".join(f"{f['field']}: {f['message']}" for f in fields)
        return error_response(api, request, 422, f"Validation failed: {summary}", fields)

    def on_invalid(request: HttpRequest, exc: InvalidInput) -> HttpResponse:
        fields = [{"field": exc.field, "message": exc.message}]
        return error_response(api, request, 422, f"Validation failed: {exc.message}", fields)

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        status = exc.status_code if exc.status_code in ERROR_CODES else 400
        return error_response(api, request, status, exc.message)

    api.add_exception_handler(ApiError, on_api_error)
    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(InvalidInput, on_invalid)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(
        AuthenticationError,
        lambda request, exc: error_response(api, request, 401, "The access token is invalid"),
    )
    api.add_exception_handler(
        Forbidden, lambda request, exc: error_response(api, request, 403, exc.message)
    )
    api.add_exception_handler(
        NotFound, lambda request, exc: error_response(api, request, 404, exc.message)
    )
    api.add_exception_handler(
        Http404, lambda request, exc: error_response(api, request, 404, NOT_FOUND)
    )

"""Domain errors that every surface (page, API, CLI) turns into a clear message."""

from __future__ import annotations


class VoliereError(Exception):
    """Base class. `field` names the input at fault, when there is one."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(VoliereError):
    status = 400


class Forbidden(VoliereError):
    status = 403


class NotFound(VoliereError):
    """Missing and forbidden alike: callers must not learn that a hidden thing exists."""

    status = 404

"""OAuth 2 errors (RFC 6749 §5.2): `{"error": code, "error_description": text}`."""

from __future__ import annotations


class OAuthError(Exception):
    """`error` is one of RFC 6749's codes (invalid_request, invalid_client, invalid_grant,
    unauthorized_client, unsupported_grant_type, invalid_scope, access_denied...)."""

    def __init__(self, error: str, description: str, *, status: int = 400) -> None:
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description
        self.status = status

    def as_json(self) -> dict[str, str]:
        return {"error": self.error, "error_description": self.description}

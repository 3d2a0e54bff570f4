"""What an application was granted: short-lived authorization codes and access tokens.

Both are stored as SHA-256 digests of the secret handed to the client: a leaked database
does not leak usable tokens, and a token is shown once, when it is created.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class GrantType(models.TextChoices):
    AUTHORIZATION_CODE = "authorization_code", _("Authorized in the browser")
    PASSWORD = "password", _("Signed in with a password")
    CLIENT_CREDENTIALS = "client_credentials", _("Application only")
    PERSONAL = "personal", _("Created in Development settings or on the command line")


class AuthorizationCode(models.Model):
    """Issued by the consent page, exchanged once (and within minutes) for a token."""

    application = models.ForeignKey(
        "oauth.Application", on_delete=models.CASCADE, related_name="codes"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64, unique=True)
    redirect_uri = models.CharField(max_length=2000)
    scopes = models.CharField(max_length=1000)
    code_challenge = models.CharField(max_length=128, blank=True)
    code_challenge_method = models.CharField(max_length=8, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)


class AccessToken(models.Model):
    """A bearer token. `user` is None for application-only tokens (client_credentials);
    `account` is the account the token acts as: the user's own, or an organisation they
    manage (checked again on every request)."""

    application = models.ForeignKey(
        "oauth.Application", on_delete=models.CASCADE, related_name="tokens"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="oauth_tokens",
    )
    account = models.ForeignKey(
        "accounts.Account", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    # The first characters of the token, shown in lists so people can tell tokens apart.
    prefix = models.CharField(max_length=8)
    scopes = models.CharField(max_length=1000)
    grant_type = models.CharField(max_length=24, choices=GrantType.choices)
    # A keyed digest of the user's password hash when the token was issued: changing the
    # password changes it, which ends every token issued before (see tokens.py).
    password_stamp = models.CharField(max_length=64, blank=True)
    # The authorization code this token was exchanged for (a replayed code revokes it).
    code = models.OneToOneField(
        "oauth.AuthorizationCode",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="token",
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.application_id})"

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()

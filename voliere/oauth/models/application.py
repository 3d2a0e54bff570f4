"""A client application registered with the instance (a Mastodon app, a script)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

OOB_REDIRECT_URI = "urn:ietf:wg:oauth:2.0:oob"


class Application(models.Model):
    """Registered through `POST /api/v1/apps` (no owner), Settings → Development or
    `voliere token create` (owned by that user, who may see its secret and delete it).

    The client secret is kept readable, as on Mastodon: the Development page shows it to
    the owner. Access tokens, which act for people, are only stored hashed.
    """

    name = models.CharField(_("application name"), max_length=100)
    website = models.URLField(_("website"), max_length=500, blank=True)
    # One URI per line, compared exactly with the redirect_uri of authorization requests.
    redirect_uris = models.TextField(_("redirect URIs"), default=OOB_REDIRECT_URI)
    scopes = models.CharField(_("scopes"), max_length=1000, default="read")
    client_id = models.CharField(max_length=64, unique=True)
    client_secret = models.CharField(max_length=64)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="oauth_applications",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["owner", "-id"])]

    def __str__(self) -> str:
        return self.name

    @property
    def redirect_uri_list(self) -> list[str]:
        return [uri.strip() for uri in self.redirect_uris.splitlines() if uri.strip()]

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()

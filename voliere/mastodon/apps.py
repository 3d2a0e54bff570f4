from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MastodonConfig(AppConfig):
    name = "voliere.mastodon"
    label = "mastodon"
    verbose_name = _("Mastodon API")

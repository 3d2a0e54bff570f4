from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ListeningConfig(AppConfig):
    name = "voliere.listening"
    label = "listening"
    verbose_name = _("Listening")

    def ready(self) -> None:
        from voliere.listening import subscriptions

        subscriptions.connect()

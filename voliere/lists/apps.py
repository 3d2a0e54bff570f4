from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ListsConfig(AppConfig):
    name = "voliere.lists"
    label = "lists"
    verbose_name = _("Lists")

    def ready(self) -> None:
        from voliere.lists import subscriptions

        subscriptions.connect()

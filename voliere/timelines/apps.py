from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TimelinesConfig(AppConfig):
    name = "voliere.timelines"
    label = "timelines"
    verbose_name = _("Timelines")

    def ready(self) -> None:
        from voliere.timelines import subscriptions

        subscriptions.connect()

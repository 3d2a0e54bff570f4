from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertiseConfig(AppConfig):
    name = "voliere.expertise"
    label = "expertise"
    verbose_name = _("Expertise")

    def ready(self) -> None:
        from voliere.expertise import subscriptions

        subscriptions.connect()

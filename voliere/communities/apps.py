from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "voliere.communities"
    label = "communities"
    verbose_name = _("Communities")

    def ready(self) -> None:
        from voliere.communities import subjects

        subjects.register_subject_type()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ListeningConfig(AppConfig):
    name = "voliere.listening"
    label = "listening"
    verbose_name = _("Listening")

    def ready(self) -> None:
        from voliere.listening import navigation, subscriptions
        from voliere.listening.alerts.subjects import register_subject_type

        subscriptions.connect()
        navigation.connect()
        register_subject_type()  # alert notifications render in every process

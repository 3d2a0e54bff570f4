from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StreamingConfig(AppConfig):
    name = "voliere.streaming"
    label = "streaming"
    verbose_name = _("Streaming")

    def ready(self) -> None:
        from voliere.streaming import recording

        recording.connect()

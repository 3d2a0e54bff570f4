from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "voliere.knowledge"
    label = "knowledge"
    verbose_name = _("Knowledge")

    def ready(self) -> None:
        from voliere.knowledge import attachments, subjects, subscriptions

        subjects.register_subjects()
        subscriptions.connect()
        attachments.register_attachment_visibility()

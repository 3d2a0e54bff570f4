from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "voliere.core"
    label = "core"

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "voliere.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from voliere.search import indexing
        from voliere.search.kinds import builtin

        builtin.register_all()
        indexing.connect_signals()

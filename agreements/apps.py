from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Zielvereinbarungen")

    def ready(self):
        # The overview is warmed in the background after an import.
        from . import jobs  # noqa: F401

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("Kennzahlen und Monatswerte")

    def ready(self):
        # Large imports, their dry runs and the reminders run as jobs.
        from . import jobs  # noqa: F401

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("Kennzahlen und Monatswerte")

    def ready(self):
        # Large imports, their dry runs and the reminders run as jobs.
        from simple_history.signals import post_create_historical_record

        from . import jobs  # noqa: F401
        from .commits import history_written

        # Every transaction that writes history is counted after its commit.
        post_create_historical_record.connect(
            history_written, dispatch_uid="zs-count-history"
        )

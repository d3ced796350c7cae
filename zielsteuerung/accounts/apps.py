from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "zielsteuerung.accounts"
    label = "accounts"
    verbose_name = _("Organisationen und Benutzer")

    def ready(self):
        # Sign-in events go to the security log (receivers in security_log).
        from django.contrib.auth.signals import user_logged_in

        from . import security_log  # noqa: F401
        from .middleware import start_session_clock

        # The session clocks of the idle and absolute timeouts start at sign-in.
        user_logged_in.connect(start_session_clock, dispatch_uid="session_clock")

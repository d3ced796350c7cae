from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "zielsteuerung.accounts"
    label = "accounts"
    verbose_name = _("Organisationen und Benutzer")

    def ready(self):
        # Sign-in events go to the security log (receivers in security_log).
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from . import security_log  # noqa: F401
        from .middleware import start_session_clock

        # The session clocks of the idle and absolute timeouts start at sign-in.
        user_logged_in.connect(start_session_clock, dispatch_uid="session_clock")
        # `migrate` also creates the database cache's table, so that no
        # installation (make run, CI, tests, production) can forget it.
        post_migrate.connect(create_cache_table, sender=self)


def create_cache_table(sender, using="default", **kwargs):
    """``createcachetable`` after ``migrate`` (a no-op with Redis)."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)

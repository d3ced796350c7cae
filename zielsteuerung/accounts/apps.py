from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "zielsteuerung.accounts"
    label = "accounts"
    verbose_name = _("Organisationen und Benutzer")

    def ready(self):
        # Sign-in events go to the security log (receivers in security_log).
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate, post_save, pre_save

        from . import security_log  # noqa: F401
        from .middleware import start_session_clock

        # The session clocks of the idle and absolute timeouts start at sign-in.
        user_logged_in.connect(start_session_clock, dispatch_uid="session_clock")
        # `migrate` also creates the database cache's table, so that no
        # installation (make run, CI, tests, production) can forget it.
        post_migrate.connect(create_cache_table, sender=self)
        # A sign-in changes nothing the user's history keeps.
        user = self.get_model("User")
        pre_save.connect(_sign_in_without_history, sender=user, dispatch_uid="zs-1")
        post_save.connect(_history_again, sender=user, dispatch_uid="zs-2")


def _sign_in_without_history(sender, instance, update_fields=None, **kwargs):
    """A save of ``last_login`` alone (each sign-in) writes no history row.

    History leaves ``last_login`` out, so such a row showed no change: noise
    in the audit trail that also moved the version the stored pages are keyed
    by (``zielsteuerung.page_cache.data_version``), so that every sign-in
    dropped every stored page. Sign-ins are in the security log.
    """
    sign_in = update_fields is not None and set(update_fields) <= {"last_login"}
    if sign_in and not hasattr(instance, "skip_history_when_saving"):
        instance.skip_history_when_saving = instance._sign_in_only = True


def _history_again(sender, instance, **kwargs):
    """After that save the instance keeps history again (runs after
    simple-history's own receiver, which is connected when the model is)."""
    if instance.__dict__.pop("_sign_in_only", False):
        del instance.skip_history_when_saving


def create_cache_table(sender, using="default", **kwargs):
    """``createcachetable`` after ``migrate`` (a no-op with Redis)."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)

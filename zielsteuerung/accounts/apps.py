from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "zielsteuerung.accounts"
    label = "accounts"
    verbose_name = _("Organisationen und Benutzer")

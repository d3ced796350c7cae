"""Forms of the sign-in pages."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    """The six-digit one-time code of an authenticator app."""

    token = forms.CharField(
        label=_("Einmalcode"),
        max_length=8,
        validators=[
            RegexValidator(
                r"^\d{3} ?\d{3}$", _("Bitte die sechs Ziffern des Codes eingeben.")
            )
        ],
        help_text=_("Die sechs Ziffern, die Ihre Authenticator-App gerade anzeigt."),
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "autofocus": True,
            }
        ),
    )

    def clean_token(self):
        return self.cleaned_data["token"].replace(" ", "")


class LoginForm(AuthenticationForm):
    """Django's sign-in form, saying in plain German what went wrong."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Benutzername oder Passwort stimmen nicht. Bitte prüfen Sie Ihre "
            "Eingabe; Groß- und Kleinschreibung wird beachtet."
        ),
    }

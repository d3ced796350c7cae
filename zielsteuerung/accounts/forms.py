"""Forms of the sign-in pages."""

from django import forms
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

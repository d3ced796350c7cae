"""Forms of the ministry's administration of people and providers."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Organisation, User


def helper_without_form_tag():
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class PersonForm(forms.ModelForm):
    """A user of the ministry or one of its providers (no password here: a
    new user sets it through a one-time link)."""

    class Meta:
        model = User
        fields = [
            "organisation",
            "username",
            "first_name",
            "last_name",
            "email",
            "role",
            "manages_users",
        ]
        help_texts = {
            "username": _("Zum Anmelden, z. B. „m.muster“. Buchstaben, Ziffern, . _ -"),
            "email": _("An diese Adresse geht der Link zum Festlegen des Passworts."),
        }

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.queryset = organisations.order_by("kind", "name")
        field.required = True
        field.empty_label = _("– bitte wählen –")
        self.fields["email"].required = True
        self.helper = helper_without_form_tag()

    def clean(self):
        cleaned = super().clean()
        organisation = cleaned.get("organisation")
        if (
            cleaned.get("manages_users")
            and organisation
            and not organisation.is_ministry
        ):
            self.add_error(
                "manages_users",
                _("Die Benutzerverwaltung gibt es nur für Benutzer des Ministeriums."),
            )
        return cleaned


class ProviderForm(forms.ModelForm):
    """A provider (Träger) with its Jobcenter, for a state's set-up."""

    class Meta:
        model = Organisation
        fields = [
            "name",
            "short_name",
            "regional_key",
            "jobcenter_name",
            "seat",
            "requires_second_factor",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jobcenter_name"].required = True
        self.helper = helper_without_form_tag()

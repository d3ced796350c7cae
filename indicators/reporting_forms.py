"""Forms of the reporting calendar and of the monthly reporting workflow."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .months import month_key, parse_month


class MonthField(forms.CharField):
    """A month typed as ``JJJJ-MM``; cleans to the first day of the month."""

    def prepare_value(self, value):
        if hasattr(value, "year"):
            return month_key(value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        month = parse_month(text)
        if month is None:
            raise forms.ValidationError(
                _("Bitte den Monat als JJJJ-MM angeben, z. B. 2025-01.")
            )
        return month


class ReportingCalendarForm(forms.Form):
    due_day = forms.IntegerField(
        label=_("Meldefrist: Tag des Folgemonats"),
        min_value=1,
        max_value=28,
        help_text=_("Die Werte für Januar sind z. B. bis zum 20. Februar fällig."),
    )
    final_after_months = forms.IntegerField(
        label=_("Endgültige Werte (t-3): Monate nach der Meldefrist"),
        min_value=1,
        max_value=12,
        help_text=_("Üblich sind drei Monate Wartezeit."),
    )
    remind_days_before = forms.IntegerField(
        label=_("Erinnerung: Tage vor der Frist"),
        min_value=0,
        max_value=27,
        help_text=_("0: keine Erinnerung vor der Frist, nur nach ihr."),
    )
    reporting_since = MonthField(
        label=_("Meldepflicht ab (JJJJ-MM)"),
        required=False,
        help_text=_(
            "Erster Monat, der gemeldet werden muss; leer: ab dem ersten Monat, "
            "für den ein Träger Werte hat."
        ),
    )


class ReopenMonthForm(forms.Form):
    reason = forms.CharField(
        label=_("Grund für die Wiederöffnung"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_(
            "Steht im Verlauf des Monats. Danach können die Werte wieder "
            "geändert werden; der Monat muss erneut gemeldet und abgenommen werden."
        ),
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Bitte einen Grund angeben."))
        return reason

"""Forms for the Jobcenter's reports and the ministry's decision on them."""

from django import forms
from django.utils.translation import gettext_lazy as _

from zielsteuerung.forms import GermanDecimalField

from .models import QualitativeStatus, TargetKind, TargetReport
from .target_reports import DECIDED


class ReportForm(forms.ModelForm):
    actual_value = GermanDecimalField(
        label=_("Erreichter Wert"),
        required=False,
        max_digits=16,
        decimal_places=3,
        help_text=_("Nur bei Zahlenzielen ohne Kennzahl, z. B. 14 Umwandlungen."),
    )

    class Meta:
        model = TargetReport
        fields = ["proposed_status", "actual_value", "text", "evidence"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 4}),
            "evidence": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, target, **kwargs):
        super().__init__(*args, **kwargs)
        if target.kind == TargetKind.QUALITATIVE:
            del self.fields["actual_value"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("proposed_status") in DECIDED and not (
            cleaned.get("evidence", "").strip()
        ):
            self.add_error(
                "evidence", _("Bitte angeben, worauf sich der Bericht stützt.")
            )
        return cleaned


class DecisionForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Stand laut Ministerium"), choices=QualitativeStatus.choices
    )
    note = forms.CharField(
        label=_("Begründung"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Nötig, wenn der Stand vom Bericht abweicht."),
    )

    def __init__(self, *args, report, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        self.initial.setdefault("status", report.proposed_status)

    def clean(self):
        cleaned = super().clean()
        differs = cleaned.get("status") not in (None, self.report.proposed_status)
        if differs and not cleaned.get("note", "").strip():
            self.add_error("note", _("Bitte begründen, warum der Stand abweicht."))
        return cleaned

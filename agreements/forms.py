"""Forms for writing agreements in the browser."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.conf import settings
from django.forms import inlineformset_factory
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader

from zielsteuerung.accounts import policy
from zielsteuerung.forms import GermanDecimalField

from .models import (
    MAX_YEAR,
    MIN_YEAR,
    Agreement,
    AgreementStatus,
    FocusArea,
    Goal,
    Party,
    QualitativeStatus,
    Target,
    TargetAssessment,
    TargetKind,
)


def _helper():
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class AgreementCreateForm(forms.ModelForm):
    copy_previous = forms.BooleanField(
        label=_("Inhalte aus der Vereinbarung des Vorjahres übernehmen"),
        required=False,
        initial=True,
        help_text=_(
            "Texte, Schwerpunkte, Ziele und Zielvorgaben werden kopiert und können "
            "dann angepasst werden. Gibt es keine Vorjahresvereinbarung, beginnt "
            "die Vereinbarung leer."
        ),
    )

    year = forms.IntegerField(
        label=_("Jahr"),
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        error_messages={
            "min_value": _("Das Jahr muss %(limit_value)s oder später sein."),
            "max_value": _("Das Jahr darf nicht nach %(limit_value)s liegen."),
            "invalid": _("Bitte das Jahr als Zahl eingeben, z. B. 2024."),
        },
    )

    class Meta:
        model = Agreement
        fields = ["provider", "year"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = policy.providers_visible_to(user).order_by(
            "name"
        )
        self.fields["provider"].empty_label = _("– bitte wählen –")
        self.helper = _helper()

    def clean(self):
        cleaned = super().clean()
        provider, year = cleaned.get("provider"), cleaned.get("year")
        if (
            provider
            and year
            and Agreement.objects.filter(provider=provider, year=year).exists()
        ):
            self.add_error(
                "year",
                _(
                    "Für %(provider)s gibt es für %(year)s schon eine "
                    "Zielvereinbarung. "
                    "Öffnen Sie diese, statt eine zweite anzulegen."
                )
                % {"provider": provider.name, "year": year},
            )
        return cleaned


class AgreementForm(forms.ModelForm):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (AgreementStatus.DRAFT, AgreementStatus.DRAFT.label),
            (AgreementStatus.NEGOTIATION, AgreementStatus.NEGOTIATION.label),
        ],
        help_text=_(
            "Die Endfassung und die Unterzeichnung folgen einem eigenen Ablauf."
        ),
    )

    class Meta:
        model = Agreement
        fields = [
            "status",
            "legal_basis",
            "preamble",
            "references",
            "goals_intro",
            "cooperation",
        ]
        widgets = {
            "preamble": forms.Textarea(attrs={"rows": 8}),
            "references": forms.Textarea(attrs={"rows": 5}),
            "goals_intro": forms.Textarea(attrs={"rows": 2}),
            "cooperation": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class PartyForm(forms.ModelForm):
    class Meta:
        model = Party
        fields = [
            "name",
            "short_name",
            "representative_salutation",
            "representative_function",
            "representative_name",
            "in_representation",
            "signing_place",
            "signing_date",
        ]
        widgets = {
            "signing_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.helper.layout = Layout(
            Div(
                Div("name", css_class="col-md-8"),
                Div("short_name", css_class="col-md-4"),
                css_class="row",
            ),
            Div(
                Div("representative_salutation", css_class="col-md-2"),
                Div("representative_function", css_class="col-md-4"),
                Div("representative_name", css_class="col-md-6"),
                css_class="row",
            ),
            "in_representation",
            Div(
                Div("signing_place", css_class="col-md-6"),
                Div("signing_date", css_class="col-md-6"),
                css_class="row",
            ),
        )


PartyFormSet = inlineformset_factory(
    Agreement, Party, form=PartyForm, extra=0, can_delete=False, max_num=2
)

FocusAreaFormSet = inlineformset_factory(
    Agreement,
    FocusArea,
    fields=["title", "text"],
    extra=1,
    can_delete=True,
    widgets={"text": forms.Textarea(attrs={"rows": 3})},
)


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["number", "title", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.agreement = agreement
        self.helper = _helper()
        self.helper.layout = Layout(
            Div(
                Div("number", css_class="col-md-3"),
                Div("title", css_class="col-md-9"),
                css_class="row",
            ),
            "text",
        )

    def clean_number(self):
        number = self.cleaned_data["number"].strip()
        taken = self.instance.agreement.goals.filter(number__iexact=number).exclude(
            pk=self.instance.pk
        )
        if taken.exists():
            raise forms.ValidationError(
                _("Die Nummer „%(number)s“ ist in dieser Vereinbarung schon vergeben.")
                % {"number": number}
            )
        return number


class TargetForm(forms.ModelForm):
    baseline_value = GermanDecimalField(
        label=_("Ausgangswert"),
        required=False,
        max_digits=16,
        decimal_places=3,
        help_text=_("z. B. 22,5 oder 3.489"),
    )
    target_value = GermanDecimalField(
        label=_("Zielwert"),
        required=False,
        max_digits=16,
        decimal_places=3,
        help_text=_(
            "Bei Veränderungen in Prozent (−5,2 für einen Rückgang um 5,2 %), "
            "bei Abständen in Prozentpunkten."
        ),
    )

    class Meta:
        model = Target
        fields = [
            "kind",
            "indicator",
            "wording",
            "unit",
            "baseline_value",
            "baseline_year",
            "baseline_month",
            "target_value",
            "comparator",
            "direction",
            "deadline",
        ]
        widgets = {
            "wording": forms.Textarea(attrs={"rows": 3}),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        error_messages = {
            "baseline_year": {
                "min_value": _("Das Jahr muss %(limit_value)s oder später sein."),
                "max_value": _("Das Jahr darf nicht nach %(limit_value)s liegen."),
            }
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        empty_labels = {
            "indicator": _("– keine (lokales Ziel) –"),
            "unit": _("– aus der Kennzahl –"),
            "baseline_month": _("– ganzes Jahr –"),
            "comparator": _("– bitte wählen –"),
            "direction": _("– bitte wählen –"),
        }
        for name, label in empty_labels.items():
            choices = list(self.fields[name].choices)[1:]
            self.fields[name].choices = [("", label), *choices]
        self.helper = _helper()
        self.helper.layout = Layout(
            Fieldset(
                _("Art und Formulierung"),
                Div(
                    Div("kind", css_class="col-md-5"),
                    Div("indicator", css_class="col-md-7"),
                    css_class="row",
                ),
                "wording",
            ),
            Fieldset(
                _("Werte"),
                Div(
                    Div("baseline_value", css_class="col-md-4"),
                    Div("baseline_year", css_class="col-md-4"),
                    Div("baseline_month", css_class="col-md-4"),
                    css_class="row",
                ),
                Div(
                    Div("target_value", css_class="col-md-3"),
                    Div("unit", css_class="col-md-3"),
                    Div("comparator", css_class="col-md-3"),
                    Div("direction", css_class="col-md-3"),
                    css_class="row",
                ),
                css_class="numeric-fields",
            ),
            Fieldset(
                _("Qualitatives Ziel"),
                Div(Div("deadline", css_class="col-md-4"), css_class="row"),
                css_class="qualitative-fields",
            ),
        )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Grund"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Steht im Änderungsverlauf, z. B. „Zielwert K3 nachverhandelt“."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class SignForm(forms.Form):
    """Place and date for each party and the scanned, signed copy (a PDF)."""

    ministry_place = forms.CharField(label=_("Ort"), max_length=100)
    ministry_date = forms.DateField(
        label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"})
    )
    provider_place = forms.CharField(label=_("Ort"), max_length=100)
    provider_date = forms.DateField(
        label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"})
    )
    signed_copy = forms.FileField(
        label=_("Unterschriebene Fassung (PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args, parties, **kwargs):
        super().__init__(*args, **kwargs)
        for role in ("ministry", "provider"):
            self.initial.setdefault(f"{role}_place", parties[role].signing_place)
            self.initial.setdefault(f"{role}_date", parties[role].signing_date)
        self.fields["signed_copy"].help_text = _(
            "Der eingescannte, von beiden Seiten unterschriebene Vertrag als PDF, "
            "höchstens %(size)s. Nach einem Fehler bitte die Datei erneut wählen."
        ) % {"size": filesizeformat(settings.SIGNED_COPY_MAX_BYTES)}
        self.helper = _helper()
        self.helper.layout = Layout(
            Fieldset(
                parties["ministry"].name,
                _row("ministry_place", "ministry_date"),
            ),
            Fieldset(
                parties["provider"].name,
                _row("provider_place", "provider_date"),
            ),
            "signed_copy",
        )

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        for name in ("ministry_date", "provider_date"):
            day = cleaned.get(name)
            if day and day > today:
                self.add_error(name, _("Das Datum liegt in der Zukunft."))
        return cleaned

    def clean_signed_copy(self):
        upload = self.cleaned_data["signed_copy"]
        check_signed_copy(upload)
        return upload

    def signatures(self):
        """``{role: (place, date)}`` for ``services.agreement_sign``."""
        data = self.cleaned_data
        return {
            role: (data[f"{role}_place"], data[f"{role}_date"])
            for role in ("ministry", "provider")
        }


def _row(left, right):
    return Div(
        Div(left, css_class="col-md-8"),
        Div(right, css_class="col-md-4"),
        css_class="row",
    )


def check_signed_copy(upload):
    """Raise ValidationError unless ``upload`` is a readable PDF within the limit."""
    if upload.size > settings.SIGNED_COPY_MAX_BYTES:
        raise forms.ValidationError(
            _("Die Datei ist zu groß (%(size)s); erlaubt sind höchstens %(limit)s.")
            % {
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(settings.SIGNED_COPY_MAX_BYTES),
            }
        )
    upload.seek(0)
    if upload.read(5) != b"%PDF-":
        raise forms.ValidationError(
            _("Die Datei ist kein PDF. Bitte die eingescannte Fassung als PDF wählen.")
        )
    upload.seek(0)
    if not _pdf_opens(upload):
        raise forms.ValidationError(
            _(
                "Das PDF lässt sich nicht lesen (beschädigt oder verschlüsselt). "
                "Bitte die Datei prüfen und erneut hochladen."
            )
        )
    upload.seek(0)


def _pdf_opens(upload):
    try:
        reader = PdfReader(upload)
        return not reader.is_encrypted and len(reader.pages) > 0
    except Exception:  # pypdf raises many kinds of errors for broken files
        return False


class TargetAssessmentForm(forms.ModelForm):
    actual_value = GermanDecimalField(
        label=_("Erreichter Wert"),
        required=False,
        max_digits=16,
        decimal_places=3,
        help_text=_("Nur bei Zahlenzielen ohne Kennzahl, z. B. 14 Umwandlungen."),
    )

    class Meta:
        model = TargetAssessment
        fields = ["status", "actual_value", "evidence"]
        widgets = {"evidence": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        if self.instance.target.kind == TargetKind.QUALITATIVE:
            del self.fields["actual_value"]

    def clean(self):
        cleaned = super().clean()
        decided = cleaned.get("status") in (
            QualitativeStatus.ACHIEVED,
            QualitativeStatus.MISSED,
        )
        if decided and not cleaned.get("evidence", "").strip():
            self.add_error(
                "evidence",
                _("Bitte angeben, worauf sich die Einschätzung stützt."),
            )
        return cleaned

"""Forms for writing agreements in the browser."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.conf import settings
from django.forms import inlineformset_factory
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zielsteuerung.accounts import policy
from zielsteuerung.forms import GermanDecimalField

from .models import (
    MAX_YEAR,
    MIN_YEAR,
    Agreement,
    AgreementStatus,
    Goal,
    LandTarget,
    Party,
    QualitativeStatus,
    Target,
    TargetAssessment,
    TargetKind,
)
from .uploads import check_pdf
from .wording import PLACEHOLDERS, unknown_placeholders


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
            "Texte, Ziele und Zielvorgaben werden kopiert und können "
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
            "focus_heading",
            "goals_heading",
            "goals_intro",
            "cooperation_heading",
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


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["number", "title", "text", "local_intro"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 6}),
            "local_intro": forms.Textarea(attrs={"rows": 2}),
        }

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
            "local_intro",
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


def _decimal(label, help_text=""):
    return GermanDecimalField(
        label=label,
        required=False,
        max_digits=16,
        decimal_places=3,
        help_text=help_text,
    )


def _with_empty_label(field, label):
    field.choices = [("", label), *list(field.choices)[1:]]


class TargetForm(forms.ModelForm):
    baseline_value = _decimal(
        _("Vereinbarter Ausgangswert"),
        _("Der Wert, auf den sich die Vereinbarung bezieht, z. B. 22,5 oder 3.489."),
    )
    target_value = _decimal(
        _("Zielwert"),
        _(
            "Bei Veränderungen mit Vorzeichen: −5,2 für einen Rückgang um 5,2. "
            "Die Einheit ergibt sich aus der Kennzahl."
        ),
    )
    tolerance = _decimal(_("Toleranz"), _("Nur bei „ungefähr“, z. B. 0,2."))
    target_change = _decimal(
        _("Entspricht einer Veränderung um"),
        _(
            "Optional bei Werten mit Ausgangswert: z. B. 12,9 für 22,5 % → 25,4 %. "
            "Die App prüft, ob beide Zahlen zusammenpassen."
        ),
    )

    class Meta:
        model = Target
        fields = [
            "kind",
            "local",
            "indicator",
            "comparator",
            "target_value",
            "tolerance",
            "unit",
            "subject",
            "data_status",
            "baseline_value",
            "baseline_year",
            "baseline_month",
            "baseline_data_status",
            "target_change",
            "label",
            "intro",
            "sentence",
            "closing",
            "deadline",
        ]
        widgets = {
            "intro": forms.Textarea(attrs={"rows": 2}),
            "sentence": forms.Textarea(attrs={"rows": 3}),
            "closing": forms.Textarea(attrs={"rows": 2}),
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
            "indicator": _("– keine (lokales Ziel ohne Monatswerte) –"),
            "unit": _("– aus der Kennzahl –"),
            "baseline_month": _("– ganzes Jahr –"),
            "comparator": _("– bitte wählen –"),
            "data_status": _("– nicht festgelegt –"),
            "baseline_data_status": _("– nicht festgelegt –"),
        }
        for name, label in empty_labels.items():
            _with_empty_label(self.fields[name], label)
        self.helper = _helper()
        self.helper.layout = Layout(
            Fieldset(
                _("Art und Kennzahl"),
                _row("kind", "indicator", "col-md-5", "col-md-7"),
                "local",
            ),
            Fieldset(
                _("Zielwert"),
                Div(
                    Div("comparator", css_class="col-md-4"),
                    Div("target_value", css_class="col-md-4"),
                    Div("tolerance", css_class="col-md-4"),
                    css_class="row",
                ),
                _row("unit", "data_status", "col-md-6", "col-md-6"),
                "subject",
                css_class="numeric-fields",
            ),
            Fieldset(
                _("Vereinbarter Ausgangswert"),
                Div(
                    Div("baseline_value", css_class="col-md-3"),
                    Div("baseline_year", css_class="col-md-3"),
                    Div("baseline_month", css_class="col-md-3"),
                    Div("baseline_data_status", css_class="col-md-3"),
                    css_class="row",
                ),
                "target_change",
                css_class="numeric-fields",
            ),
            Fieldset(
                _("Text in der Vereinbarung"),
                "label",
                "intro",
                "sentence",
                "closing",
            ),
            Fieldset(
                _("Qualitatives Ziel"),
                Div(Div("deadline", css_class="col-md-4"), css_class="row"),
                css_class="qualitative-fields",
            ),
        )

    def _clean_placeholders(self, name):
        text = self.cleaned_data.get(name, "")
        unknown = unknown_placeholders(text)
        if unknown:
            raise forms.ValidationError(
                _(
                    "Diese Platzhalter gibt es nicht: %(unknown)s. Möglich sind "
                    "%(known)s."
                )
                % {
                    "unknown": ", ".join("{" + name + "}" for name in unknown),
                    "known": ", ".join("{" + name + "}" for name in PLACEHOLDERS),
                }
            )
        return text

    def clean_label(self):
        return self._clean_placeholders("label")

    def clean_intro(self):
        return self._clean_placeholders("intro")

    def clean_sentence(self):
        return self._clean_placeholders("sentence")

    def clean_closing(self):
        return self._clean_placeholders("closing")


class LandTargetForm(forms.ModelForm):
    target_value = GermanDecimalField(
        label=_("Zielwert"), max_digits=16, decimal_places=3
    )

    class Meta:
        model = LandTarget
        fields = ["indicator", "aspect", "comparator", "target_value", "note"]


class BaseLandTargetFormSet(forms.BaseModelFormSet):
    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not form.has_changed() or self._should_delete_form(form):
                continue
            key = (form.cleaned_data.get("indicator"), form.cleaned_data.get("aspect"))
            if key in seen:
                form.add_error(
                    "indicator",
                    _("Für diese Kennzahl und Art gibt es schon ein Landesziel."),
                )
            seen.add(key)


LandTargetFormSet = forms.modelformset_factory(
    LandTarget,
    form=LandTargetForm,
    formset=BaseLandTargetFormSet,
    extra=2,
    can_delete=True,
)


class ExplanationForm(forms.Form):
    text = forms.CharField(
        label=_("Erklärung"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Was hinter der Entwicklung steckt und was das Jobcenter unternimmt. "
            "Das Ministerium sieht die Erklärung auf der Seite der Zielerreichung "
            "und im Bericht zum Steuerungsdialog."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class ConfirmNumbersForm(forms.Form):
    reason = forms.CharField(
        label=_("Begründung"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Steht im Änderungsverlauf, z. B. „100 ist die Zahl der Teilnehmenden, "
            "nicht der Zielwert“."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


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


def _row(left, right, left_class="col-md-8", right_class="col-md-4"):
    return Div(
        Div(left, css_class=left_class),
        Div(right, css_class=right_class),
        css_class="row",
    )


def check_signed_copy(upload):
    """Raise ValidationError unless ``upload`` is a readable PDF within the limit."""
    check_pdf(
        upload,
        max_bytes=settings.SIGNED_COPY_MAX_BYTES,
        not_pdf_message=_(
            "Die Datei ist kein PDF. Bitte die eingescannte Fassung als PDF wählen."
        ),
    )


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

"""Forms for steering dialogues, agreed actions and the year-end result."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .models import ActionStatus, AgreedAction, ResultStatus, SteeringDialogue
from .year_end import judgement_problem

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _helper():
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class DialogueForm(forms.ModelForm):
    class Meta:
        model = SteeringDialogue
        fields = ["held_on", "place", "participants"]
        widgets = {
            "held_on": DATE_WIDGET,
            "participants": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "held_on": {
                "required": _("Bitte das Datum des Dialogs angeben."),
                "invalid": _("Bitte ein Datum angeben, z. B. 12.6.2023."),
            },
            "place": {"required": _("Bitte den Ort angeben.")},
            "participants": {"required": _("Bitte die Teilnehmenden nennen.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Protokoll"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Was besprochen wurde, Ergebnis je Ziel; Absätze durch Leerzeilen. "
            "Vereinbarte Maßnahmen tragen Sie unten einzeln ein."
        ),
        error_messages={"required": _("Bitte das Protokoll eintragen.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Grund der Absage"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Steht beim Dialog in der Liste, z. B. „Landrätin erkrankt, neuer "
            "Termin folgt“."
        ),
        error_messages={"required": _("Bitte den Grund der Absage angeben.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class CommentForm(forms.Form):
    target = forms.TypedChoiceField(
        label=_("Bezug"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_(
            "Vor der Erstellung des Berichts geschriebene Erläuterungen stehen im "
            "Bericht bei der Zielvorgabe."
        ),
    )
    text = forms.CharField(
        label=_("Anmerkung des Jobcenters"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Bitte eine Anmerkung schreiben.")},
    )

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = {target.pk: target for target in targets}
        self.fields["target"].choices = [
            ("", _("Bericht insgesamt")),
            *((pk, label) for pk, label in _target_labels(targets)),
        ]
        self.helper = _helper()

    def clean_target(self):
        pk = self.cleaned_data["target"]
        return self.targets.get(pk) if pk else None


def _target_labels(targets):
    for target in targets:
        text = target.label or target.get_indicator_display() or target.sentence
        yield target.pk, f"{target.goal.number}: {text}"[:100]


class ActionForm(forms.ModelForm):
    class Meta:
        model = AgreedAction
        fields = ["description", "owner", "due_on"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "due_on": DATE_WIDGET,
        }
        error_messages = {
            "description": {"required": _("Bitte die Maßnahme beschreiben.")},
            "owner": {"required": _("Bitte angeben, wer verantwortlich ist.")},
            "due_on": {"invalid": _("Bitte ein Datum angeben, z. B. 30.9.2023.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Stand"), choices=ActionStatus.choices)
    note = forms.CharField(
        label=_("Vermerk"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean(self):
        cleaned = super().clean()
        closing = cleaned.get("status") not in (None, ActionStatus.OPEN)
        if closing and not cleaned.get("note", "").strip():
            self.add_error(
                "note",
                _("Bitte vermerken, was erreicht wurde oder warum sie entfällt."),
            )
        return cleaned


class ResultForm(forms.Form):
    """The ministry's judgement of one target; an empty status is left open."""

    status = forms.ChoiceField(label=_("Ergebnis"), required=False)
    reasoning = forms.CharField(
        label=_("Begründung"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, row, optional=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.row = row
        monitoring = row.target.kind == "monitoring"
        choices = [
            (value, label)
            for value, label in ResultStatus.choices
            if (value == ResultStatus.NOT_JUDGED) == monitoring
        ]
        empty = [("", _("– noch nicht festhalten –"))] if optional else []
        self.fields["status"].choices = empty + choices
        self.fields["status"].required = not optional
        view = getattr(row, "view", None)
        if view is not None:  # several on one page: the labels say which target
            title = Truncator(view.title).chars(60)
            self.fields["status"].label = _("Ergebnis für „%(title)s“") % {
                "title": title
            }
            self.fields["reasoning"].label = _("Begründung für „%(title)s“") % {
                "title": title
            }
        if row.suggested and not self.is_bound:
            self.initial.setdefault("status", row.suggested)
        self.helper = _helper()

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if status:
            problem = judgement_problem(
                self.row.target,
                status,
                cleaned.get("reasoning"),
                self.row.computed_status,
            )
            if problem:
                self.add_error("reasoning", problem)
        return cleaned


class CorrectionForm(ResultForm):
    reason = forms.CharField(
        label=_("Grund der Änderung"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Steht im Änderungsverlauf des Ergebnisses."),
        error_messages={"required": _("Bitte angeben, warum es geändert wird.")},
    )

    def __init__(self, *args, row, **kwargs):
        super().__init__(*args, row=row, optional=False, **kwargs)

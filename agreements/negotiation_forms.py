"""Forms of the negotiation: a proposed value, a comment, an answer."""

from django import forms
from django.utils.translation import gettext_lazy as _

from zielsteuerung.forms import GermanDecimalField

from .models import RoundAction


def _comment(label, required=False):
    return forms.CharField(
        label=label,
        required=required,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ProposalForm(forms.Form):
    value = GermanDecimalField(
        label=_("Vorgeschlagener Zielwert"), max_digits=16, decimal_places=3
    )
    comment = _comment(_("Begründung"))

    def __init__(self, *args, unit_hint="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["value"].help_text = unit_hint


class CommentForm(forms.Form):
    place = forms.ChoiceField(label=_("Betrifft"))
    comment = _comment(_("Anmerkung"), required=True)

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = [("", _("– bitte wählen –")), *places]


ACTION_LABELS = {
    RoundAction.ACCEPT: _("Annehmen: der Wert wird in die Zielvorgabe übernommen"),
    RoundAction.REJECT: _("Ablehnen: der geltende Wert bleibt"),
    RoundAction.COUNTER: _("Gegenvorschlag machen"),
    RoundAction.COMMENT: _("Nur eine Anmerkung schreiben"),
    RoundAction.CLOSE: _("Als erledigt schließen"),
}


class AnswerForm(forms.Form):
    action = forms.ChoiceField(label=_("Ihre Antwort"), widget=forms.RadioSelect)
    value = GermanDecimalField(
        label=_("Gegenvorschlag: Zielwert"),
        required=False,
        max_digits=16,
        decimal_places=3,
    )
    comment = _comment(_("Anmerkung"))

    def __init__(self, *args, actions, unit_hint="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [
            (action.value, ACTION_LABELS[action]) for action in actions
        ]
        if RoundAction.COUNTER in actions:
            self.fields["value"].help_text = unit_hint
        else:
            del self.fields["value"]

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        if action == RoundAction.COUNTER and cleaned.get("value") is None:
            self.add_error("value", _("Ein Gegenvorschlag braucht einen Wert."))
        if action == RoundAction.COMMENT and not cleaned.get("comment", "").strip():
            self.add_error("comment", _("Bitte die Anmerkung eintragen."))
        return cleaned

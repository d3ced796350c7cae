"""Forms of the steering year: focus areas, rollover, review list."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import FocusArea


class BaseFocusAreaFormSet(forms.BaseModelFormSet):
    def ordered(self):
        """The areas to keep, in the order shown; new ones at the end."""
        kept = [
            form
            for form in self.forms
            if form.has_changed() or form.instance.pk is not None
        ]
        return [
            form.instance
            for form in kept
            if not self._should_delete_form(form) and form.cleaned_data
        ]

    def to_delete(self):
        return [
            form.instance
            for form in self.forms
            if form.instance.pk is not None and self._should_delete_form(form)
        ]


FocusAreaFormSet = forms.modelformset_factory(
    FocusArea,
    formset=BaseFocusAreaFormSet,
    fields=["title", "text"],
    extra=1,
    can_delete=True,
    widgets={"text": forms.Textarea(attrs={"rows": 4})},
)


class RolloverForm(forms.Form):
    """Which providers get next year's agreement (all that can, by default)."""

    providers = forms.MultipleChoiceField(
        label=_("Träger"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Bitte mindestens einen Träger auswählen.")},
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["providers"].choices = choices
        self.fields["providers"].initial = [value for value, _label in choices]

    def clean_providers(self):
        return [int(value) for value in self.cleaned_data["providers"]]

"""The second step of the import: reasons for the warnings, then import."""

from django import forms
from django.utils.translation import gettext_lazy as _

# Beyond this many warnings only one reason for the whole file is offered.
MAX_WARNING_FIELDS = 100


class ImportConfirmForm(forms.Form):
    """A reason per warning (or one for the file) and the ministry's reason."""

    file_reason = forms.CharField(
        label=_("Begründung für alle Hinweise"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Gilt für jeden Hinweis ohne eigene Begründung; steht im Verlauf "
            "der betroffenen Werte."
        ),
    )
    reason = forms.CharField(
        label=_("Grund der Korrektur"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Das Ministerium ändert Werte eines Trägers nur mit Grund."),
    )

    def __init__(self, data=None, *, warnings, need_reason):
        super().__init__(data)
        self.warnings = warnings
        self.per_warning = len(warnings) <= MAX_WARNING_FIELDS
        if not need_reason:
            del self.fields["reason"]
        if not warnings:
            del self.fields["file_reason"]
        if not self.per_warning:
            return
        for warning in warnings:
            self.fields[self.field_name(warning)] = forms.CharField(
                label=_("Begründung zu Zeile %(line)s") % {"line": warning.line},
                required=False,
                max_length=1000,
            )

    @staticmethod
    def field_name(warning):
        return f"w-{warning.key}"

    def warning_fields(self):
        """(warning, bound field or None) for the template."""
        return [
            (w, self[self.field_name(w)] if self.per_warning else None)
            for w in self.warnings
        ]

    def warning_reasons(self):
        if not self.per_warning:
            return {}
        return {
            w.key: self.cleaned_data.get(self.field_name(w), "") for w in self.warnings
        }

    def mark_unexplained(self, unexplained):
        """Point at every warning the import refused for want of a reason."""
        message = _("Bitte begründen, oder eine Begründung für alle Hinweise angeben.")
        for warning in unexplained:
            if self.per_warning:
                self.add_error(self.field_name(warning), message)
        self.add_error(
            "file_reason",
            _("%(count)s Hinweise sind noch nicht begründet.")
            % {"count": len(unexplained)},
        )

"""The form for uploading an annex."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .models import Annex
from .uploads import check_pdf


class AnnexForm(forms.ModelForm):
    file = forms.FileField(
        label=_("Datei (PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    class Meta:
        model = Annex
        fields = ["kind", "title"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Ein PDF, höchstens %(size)s. Nach einem Fehler bitte die Datei "
            "erneut wählen."
        ) % {"size": filesizeformat(settings.ANNEX_MAX_BYTES)}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_pdf(
            upload,
            max_bytes=settings.ANNEX_MAX_BYTES,
            not_pdf_message=_(
                "Die Datei ist kein PDF. Bitte die Anlage als PDF wählen."
            ),
        )
        return upload

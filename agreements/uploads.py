"""Checks for uploaded PDFs: the signed copy and the annexes of an agreement."""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _


def check_pdf(upload, *, max_bytes, not_pdf_message):
    """Raise ValidationError unless ``upload`` is a readable PDF within the limit."""
    if upload.size > max_bytes:
        raise forms.ValidationError(
            _("Die Datei ist zu groß (%(size)s); erlaubt sind höchstens %(limit)s.")
            % {
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(max_bytes),
            }
        )
    upload.seek(0)
    if upload.read(5) != b"%PDF-":
        raise forms.ValidationError(not_pdf_message)
    upload.seek(0)
    if not pdf_opens(upload):
        raise forms.ValidationError(
            _(
                "Das PDF lässt sich nicht lesen (beschädigt oder verschlüsselt). "
                "Bitte die Datei prüfen und erneut hochladen."
            )
        )
    upload.seek(0)


def pdf_opens(upload):
    # imported here: pypdf takes 150 ms to import, which every process
    # (servers, workers) would pay at start-up for the few that check a PDF
    from pypdf import PdfReader

    try:
        reader = PdfReader(upload)
        return not reader.is_encrypted and len(reader.pages) > 0
    except Exception:  # pypdf raises many kinds of errors for broken files
        return False

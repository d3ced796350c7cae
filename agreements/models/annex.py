"""Annexes (Anlagen) of an agreement, such as the Lokales Planungsdokument.

An annex is a PDF that belongs to the agreement: listed in it, printed as
"Anlage 1: …", attached to the PDF/A archive at signing and locked with the
agreement once signed. Files are served only through a view that asks the
access policy, never from MEDIA_URL.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .agreement import Agreement, LockedQuerySet, LockedWhenSigned
from .agreement import _agreement_file_path as agreement_file_path


class AnnexKind(models.TextChoices):
    PLANNING = "planning", _("Lokales Planungsdokument")
    OTHER = "other", _("Sonstige Anlage")


def annex_path(instance, filename):
    """``zielvereinbarungen/05558/2024-fassung-1/anlage-<random>.pdf``."""
    return agreement_file_path(instance.agreement, "anlage")


class Annex(LockedWhenSigned):
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="annexes"
    )
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    kind = models.CharField(
        _("Art"), max_length=20, choices=AnnexKind.choices, default=AnnexKind.PLANNING
    )
    title = models.CharField(
        _("Titel"),
        max_length=300,
        help_text=_(
            "Wie die Vereinbarung die Anlage nennt, z. B. „Lokales "
            "Planungsdokument 2024 des Jobcenters des Kreises Coesfeld“."
        ),
    )
    file = models.FileField(_("Datei"), upload_to=annex_path)
    file_name = models.CharField(_("Dateiname beim Hochladen"), max_length=255)
    size = models.PositiveIntegerField(_("Größe in Bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Hochgeladen von"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("Hochgeladen am"), auto_now_add=True)

    history = HistoricalRecords()
    objects = LockedQuerySet.as_manager()

    class Meta:
        verbose_name = _("Anlage")
        verbose_name_plural = _("Anlagen")
        ordering = ["agreement", "position", "pk"]

    def __str__(self):
        return self.title

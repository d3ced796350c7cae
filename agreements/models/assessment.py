"""What a person records about a target that figures alone cannot judge."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .targets import QualitativeStatus, Target


class TargetAssessment(models.Model):
    """The recorded status of a qualitative or local target, with evidence.

    Qualitative targets and numeric local targets without a legal key figure
    (e.g. "at least 20 conversions") are judged by ministry staff. This is
    progress data, not content of the agreement: it stays editable after the
    agreement is signed, and every change is kept in its history.
    """

    target = models.OneToOneField(
        Target,
        verbose_name=_("Zielvorgabe"),
        on_delete=models.CASCADE,
        related_name="assessment",
    )
    status = models.CharField(
        _("Stand"),
        max_length=20,
        choices=QualitativeStatus.choices,
        default=QualitativeStatus.OPEN,
    )
    actual_value = models.DecimalField(
        _("Erreichter Wert"),
        max_digits=16,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_("Nur bei Zahlenzielen ohne Kennzahl, z. B. 14 Umwandlungen."),
    )
    evidence = models.TextField(
        _("Nachweis"),
        blank=True,
        help_text=_("Worauf sich die Einschätzung stützt, z. B. ein Protokoll."),
    )
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Eingetragen von"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    assessed_at = models.DateTimeField(_("Eingetragen am"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Einschätzung einer Zielvorgabe")
        verbose_name_plural = _("Einschätzungen von Zielvorgaben")

    def __str__(self):
        return f"{self.target}: {self.get_status_display()}"

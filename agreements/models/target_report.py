"""What the Jobcenter reports about its qualitative and local targets.

The Jobcenter's editors report progress on the targets a person judges
(qualitative ones and local numbers without a key figure): a proposed status,
a text and the evidence. The ministry confirms the report or corrects its
status; either way the ministry's decision becomes the target's
``TargetAssessment``. Every report is kept, with its decision: the list of
reports is the history. Progress data: never locked, like the assessment.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .targets import QualitativeStatus, Target


class ReportDecision(models.TextChoices):
    PENDING = "pending", _("wartet auf das Ministerium")
    CONFIRMED = "confirmed", _("bestätigt")
    CORRECTED = "corrected", _("korrigiert")
    SUPERSEDED = "superseded", _("durch einen neueren Bericht ersetzt")


class TargetReport(models.Model):
    target = models.ForeignKey(
        Target,
        verbose_name=_("Zielvorgabe"),
        on_delete=models.CASCADE,
        related_name="reports",
    )
    proposed_status = models.CharField(
        _("Stand laut Jobcenter"), max_length=20, choices=QualitativeStatus.choices
    )
    actual_value = models.DecimalField(
        _("Erreichter Wert"),
        max_digits=16,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_("Nur bei Zahlenzielen ohne Kennzahl, z. B. 14 Umwandlungen."),
    )
    text = models.TextField(_("Bericht"))
    evidence = models.TextField(
        _("Nachweis"),
        blank=True,
        help_text=_("Worauf sich der Bericht stützt, z. B. ein Beschluss."),
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Gemeldet von"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("Gemeldet am"), default=timezone.now)
    decision = models.CharField(
        _("Entscheidung"),
        max_length=20,
        choices=ReportDecision.choices,
        default=ReportDecision.PENDING,
    )
    decided_status = models.CharField(
        _("Stand laut Ministerium"),
        max_length=20,
        choices=QualitativeStatus.choices,
        blank=True,
    )
    decision_note = models.TextField(_("Begründung des Ministeriums"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Entschieden von"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("Entschieden am"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Bericht des Jobcenters")
        verbose_name_plural = _("Berichte des Jobcenters")
        ordering = ["target", "-reported_at", "-pk"]

    def __str__(self):
        return f"{self.target}: {self.get_proposed_status_display()}"

    @property
    def is_pending(self):
        return self.decision == ReportDecision.PENDING

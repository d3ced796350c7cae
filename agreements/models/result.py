"""The official year-end result of a target (Jahresergebnis).

Once December's final (t-3) figures of a provider are in, the ministry
records for each target of the version in force the value computed from the
figures — frozen with its data status — the computed status, and its own
judgement with the reasons ("taking into account unforeseen changes of the
framework conditions"). When every target has a result, the year is closed
for that provider: the overview shows these results instead of recomputed
ones. A later revision of the figures never changes them; it is flagged
beside them. A correction is a deliberate step with a reason, kept in the
history.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .targets import Target


class ResultStatus(models.TextChoices):
    ACHIEVED = "achieved", _("erreicht")
    ACHIEVED_CONSIDERING = (
        "achieved_considering",
        _("erreicht unter Berücksichtigung der Rahmenbedingungen"),
    )
    MISSED = "missed", _("nicht erreicht")
    NOT_JUDGED = "not_judged", _("ohne Bewertung (Beobachtung)")


class YearEndResult(models.Model):
    target = models.OneToOneField(
        Target,
        verbose_name=_("Zielvorgabe"),
        on_delete=models.PROTECT,
        related_name="year_end_result",
    )
    rule_text = models.CharField(
        _("Zielvorgabe (wie festgehalten)"), max_length=300, blank=True
    )
    value = models.DecimalField(
        _("Berechneter Wert"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    value_text = models.CharField(
        _("Berechneter Wert (Anzeige)"), max_length=60, blank=True
    )
    as_of = models.DateField(_("Monatswerte bis"), null=True, blank=True)
    data_status_text = models.CharField(
        _("Datenstand der Monatswerte"), max_length=200, blank=True
    )
    computed_status = models.CharField(
        _("Berechneter Stand"), max_length=20, blank=True
    )
    status = models.CharField(
        _("Ergebnis"), max_length=30, choices=ResultStatus.choices
    )
    reasoning = models.TextField(_("Begründung"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Festgehalten von"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("Festgehalten am"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Jahresergebnis einer Zielvorgabe")
        verbose_name_plural = _("Jahresergebnisse")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[choice.value for choice in ResultStatus]),
                name="year_end_status_known",
            ),
            models.CheckConstraint(
                condition=~Q(status="achieved_considering") | ~Q(reasoning=""),
                name="judgement_with_circumstances_has_reasons",
            ),
        ]

    def __str__(self):
        return f"{self.target}: {self.get_status_display()}"

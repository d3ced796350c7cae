"""Results computed from the figures, stored so that pages need not recompute.

A ``TargetResult`` keeps what ``indicators.judging.judge`` said about one
target: value, forecast, status, baselines, the data status it rests on, and
what the Land target needs (the base level and the weight of the provider).
It remembers the inputs it was computed from — the target's rule
(``rule_key``) and the provider's figures version — and is recomputed as soon
as either has moved (``agreements.results``). When a revision of the figures
(not a new month) changes it, the old value, the old status and the time of
the revision are kept beside it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .targets import Target

_NUMBER = {"max_digits": 24, "decimal_places": 8, "null": True, "blank": True}


class TargetResult(models.Model):
    target = models.OneToOneField(
        Target, on_delete=models.CASCADE, related_name="result", primary_key=True
    )
    rule_key = models.CharField(max_length=64)
    figures_version = models.PositiveBigIntegerField()
    as_of = models.DateField(null=True)
    value = models.DecimalField(**_NUMBER)
    value_reason = models.CharField(max_length=40, blank=True)
    value_missing = models.JSONField(default=list, blank=True)
    forecast = models.DecimalField(**_NUMBER)
    status = models.CharField(max_length=20, blank=True)
    baseline = models.DecimalField(**_NUMBER)
    figures_baseline = models.DecimalField(**_NUMBER)
    figures_baseline_reason = models.CharField(max_length=40, blank=True)
    figures_baseline_missing = models.JSONField(default=list, blank=True)
    data_status = models.JSONField(default=list, blank=True)
    base_level = models.DecimalField(**_NUMBER)
    weight = models.DecimalField(**_NUMBER)
    computed_at = models.DateTimeField()
    previous_value = models.DecimalField(**_NUMBER)
    previous_status = models.CharField(max_length=20, blank=True)
    revised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Berechnetes Ergebnis")
        verbose_name_plural = _("Berechnete Ergebnisse")

    def __str__(self):
        return f"{self.target_id}: {self.value} ({self.status})"

"""The review list of an agreement: what the rollover could not do by itself.

Each item names a part of the new agreement (a text, a goal, a target) and
why it needs a look. The ministry ticks items off; an open item blocks the
final version, as an unconfirmed number in a text does. The list is part of
the agreement and locked with it once signed.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .agreement import Agreement, LockedQuerySet, LockedWhenSigned
from .content import Goal
from .targets import Target


class ReviewKind(models.TextChoices):
    BASELINE_MISSING = "baseline_missing", _("Ausgangswert fehlt")
    YEAR_NOT_MOVED = "year_not_moved", _("Jahreszahl prüfen")
    DEADLINE_PASSED = "deadline_passed", _("Frist abgelaufen")


class ReviewItem(LockedWhenSigned):
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="review_items"
    )
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    kind = models.CharField(_("Art"), max_length=20, choices=ReviewKind.choices)
    goal = models.ForeignKey(
        Goal,
        verbose_name=_("Ziel"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    target = models.ForeignKey(
        Target,
        verbose_name=_("Zielvorgabe"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    field = models.CharField(_("Feld"), max_length=40, blank=True)
    message = models.TextField(_("Hinweis"))
    excerpt = models.TextField(_("Textstelle"), blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Erledigt von"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    done_at = models.DateTimeField(_("Erledigt am"), null=True, blank=True)

    history = HistoricalRecords()
    objects = LockedQuerySet.as_manager()

    class Meta:
        verbose_name = _("Prüfpunkt")
        verbose_name_plural = _("Prüfliste")
        ordering = ["agreement", "position", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.message[:60]}"

    @property
    def is_done(self):
        return self.done_at is not None

"""The Land's own targets, agreed with the federal ministry (§ 48b Abs. 1 Nr. 3).

The overview compares them with the Land target implied by the providers'
targets (``indicators.land.implied_land_target``).
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from indicators import registry
from indicators.registry import Aspect
from zielsteuerung.accounts.models import Organisation, OrganisationKind

from .agreement import MAX_YEAR, MIN_YEAR
from .targets import Comparator


class LandTarget(models.Model):
    """One target of a state's agreement with the federal ministry."""

    ASPECTS = [
        (Aspect.CHANGE.value, _("Veränderung gegenüber dem Vorjahr")),
        (Aspect.LEVEL.value, _("Wert")),
    ]

    ministry = models.ForeignKey(
        Organisation,
        verbose_name=_("Ministerium"),
        on_delete=models.PROTECT,
        related_name="land_targets",
        limit_choices_to={"kind": OrganisationKind.MINISTRY},
    )
    year = models.PositiveSmallIntegerField(
        _("Jahr"), validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]
    )
    indicator = models.CharField(
        _("Kennzahl"), max_length=40, choices=registry.indicator_choices
    )
    aspect = models.CharField(_("Art"), max_length=10, choices=ASPECTS)
    comparator = models.CharField(
        _("Erreicht bei"),
        max_length=10,
        choices=Comparator.choices,
        default=Comparator.AT_LEAST,
    )
    target_value = models.DecimalField(_("Zielwert"), max_digits=16, decimal_places=3)
    note = models.CharField(
        _("Grundlage"),
        max_length=300,
        blank=True,
        help_text=_("z. B. „Zielvereinbarung mit dem BMAS vom 14.3.2023“"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Landesziel")
        verbose_name_plural = _("Landesziele")
        ordering = ["ministry", "year", "indicator", "aspect"]
        constraints = [
            models.UniqueConstraint(
                fields=["ministry", "year", "indicator", "aspect"],
                name="one_land_target_per_indicator",
            )
        ]

    def __str__(self):
        return f"{self.year} {self.get_indicator_display()}"

    @property
    def indicator_info(self):
        return registry.get(self.indicator)

    @property
    def value_unit(self):
        return self.indicator_info.unit_for(self.aspect)

    @property
    def formatted(self):
        """``+8,0 %`` or ``25,4 %``, as entered."""
        return registry.format_value(
            self.target_value, self.value_unit, sign=self.aspect == Aspect.CHANGE
        )

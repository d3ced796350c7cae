"""The targets under a goal."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from indicators import registry
from indicators.months import MONTH_NAMES
from indicators.registry import Unit
from zielsteuerung.numbers import format_decimal, relative_change

from .agreement import MAX_YEAR, MIN_YEAR, LockedQuerySet, LockedWhenSigned
from .content import Goal


class TargetKind(models.TextChoices):
    CHANGE = "change", _("Veränderung gegenüber Vorjahr (%)")
    LEVEL = "level", _("Wert einer Kennzahl")
    COUNT = "count", _("Anzahl")
    GAP = "gap", _("Abstand in Prozentpunkten")
    MONITORING = "monitoring", _("Nur Beobachtung (Monitoring)")
    QUALITATIVE = "qualitative", _("Qualitatives Ziel")


NUMERIC_KINDS = (TargetKind.CHANGE, TargetKind.LEVEL, TargetKind.COUNT, TargetKind.GAP)


class Comparator(models.TextChoices):
    AT_LEAST = "gte", _("mindestens (≥)")
    AT_MOST = "lte", _("höchstens (≤)")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Höher ist besser")
    LOWER = "lower", _("Niedriger ist besser")


class QualitativeStatus(models.TextChoices):
    OPEN = "open", _("Offen")
    IN_PROGRESS = "in_progress", _("In Arbeit")
    ACHIEVED = "achieved", _("Erreicht")
    MISSED = "missed", _("Nicht erreicht")


class Target(LockedWhenSigned):
    """A target under a goal: numeric, monitoring-only or qualitative."""

    signed_status_lookup = "goal__agreement__status"
    parent_lookup = ("goals__pk", "goal_id")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="targets")
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    kind = models.CharField(_("Art"), max_length=20, choices=TargetKind.choices)
    indicator = models.CharField(
        _("Kennzahl"),
        max_length=40,
        choices=registry.indicator_choices,
        blank=True,
        help_text=_("Leer lassen bei lokalen Zielen ohne gesetzliche Kennzahl."),
    )
    wording = models.TextField(
        _("Formulierung"),
        help_text=_("Der Satz, wie er in der Vereinbarung stehen soll."),
    )
    unit = models.CharField(
        _("Einheit"), max_length=20, choices=Unit.choices, blank=True
    )
    baseline_value = models.DecimalField(
        _("Ausgangswert"), max_digits=16, decimal_places=3, null=True, blank=True
    )
    baseline_year = models.PositiveSmallIntegerField(
        _("Ausgangswert: Jahr"),
        null=True,
        blank=True,
        validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)],
    )
    baseline_month = models.PositiveSmallIntegerField(
        _("Ausgangswert: Monat"),
        null=True,
        blank=True,
        choices=[(number, name) for number, name in enumerate(MONTH_NAMES, start=1)],
        help_text=_("Leer lassen, wenn der Ausgangswert für das ganze Jahr gilt."),
    )
    target_value = models.DecimalField(
        _("Zielwert"), max_digits=16, decimal_places=3, null=True, blank=True
    )
    comparator = models.CharField(
        _("Erreicht bei"), max_length=5, choices=Comparator.choices, blank=True
    )
    direction = models.CharField(
        _("Richtung"), max_length=10, choices=Direction.choices, blank=True
    )
    deadline = models.DateField(_("Frist"), null=True, blank=True)

    history = HistoricalRecords()
    objects = LockedQuerySet.as_manager()

    class Meta:
        verbose_name = _("Zielvorgabe")
        verbose_name_plural = _("Zielvorgaben")
        ordering = ["goal", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=NUMERIC_KINDS) | Q(target_value__isnull=False),
                name="numeric_target_has_value",
            ),
            models.CheckConstraint(
                condition=~Q(kind="count") | Q(target_value__gte=0),
                name="count_target_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(baseline_month__isnull=True)
                | Q(baseline_month__gte=1, baseline_month__lte=12),
                name="baseline_month_valid",
            ),
        ]

    def __str__(self):
        return self.wording[:80]

    @property
    def is_numeric(self):
        return self.kind in NUMERIC_KINDS

    @property
    def judged_by_figures(self):
        """Numeric or monitoring targets on a key figure; the rest a person judges."""
        return bool(self.indicator) and self.kind != TargetKind.QUALITATIVE

    @property
    def indicator_info(self):
        return registry.get(self.indicator)

    @property
    def unit_symbol(self):
        """Changes are always per cent and gaps points, whatever was stored."""
        unit = {
            TargetKind.CHANGE: Unit.PERCENT,
            TargetKind.GAP: Unit.PERCENTAGE_POINTS,
        }.get(self.kind, self.unit)
        return registry.UNIT_SYMBOLS.get(unit, "")

    @property
    def baseline_unit_symbol(self):
        """A change target's baseline is a level of its indicator, not a per cent."""
        if self.kind in (TargetKind.CHANGE, TargetKind.GAP) and self.indicator_info:
            return registry.UNIT_SYMBOLS.get(self.indicator_info.unit, "")
        return self.unit_symbol

    @property
    def baseline_period(self):
        """``Dezember 2013`` or ``2013``; empty when no period is given."""
        if not self.baseline_year:
            return ""
        if self.baseline_month:
            return f"{MONTH_NAMES[self.baseline_month - 1]} {self.baseline_year}"
        return str(self.baseline_year)

    @property
    def implied_change(self):
        """For a level target with a baseline: the relative change it means."""
        if self.kind != TargetKind.LEVEL:
            return None
        return relative_change(self.baseline_value, self.target_value)

    def rule_text(self):
        """The attainment rule in short German words, e.g. ``mindestens +12,6 %``."""
        if self.kind == TargetKind.MONITORING:
            return _("Wird beobachtet, kein Zielwert")
        if self.kind == TargetKind.QUALITATIVE:
            if self.deadline:
                return _("Umsetzung bis %(date)s") % {
                    "date": self.deadline.strftime("%-d.%-m.%Y")
                }
            return _("Umsetzung im Vereinbarungsjahr")
        comparator = {
            Comparator.AT_LEAST: _("mindestens"),
            Comparator.AT_MOST: _("höchstens"),
        }.get(self.comparator, "")
        signed = self.kind in (TargetKind.CHANGE, TargetKind.GAP)
        value = format_decimal(self.target_value, sign=signed)
        unit = self.unit_symbol
        text = " ".join(part for part in (str(comparator), value, unit) if part)
        if self.kind == TargetKind.CHANGE:
            return _("%(rule)s gegenüber dem Vorjahr") % {"rule": text}
        if self.kind == TargetKind.GAP:
            return _("Veränderung des Abstands: %(rule)s") % {"rule": text}
        return text

    def clean(self):
        self._derive_unit()
        errors = {}
        if self.is_numeric:
            self._clean_numeric(errors)
        elif self.target_value is not None:
            errors["target_value"] = (
                _(
                    "Beobachtungsziele haben keinen Zielwert. Lassen Sie das Feld "
                    "leer oder wählen Sie eine andere Art."
                )
                if self.kind == TargetKind.MONITORING
                else _("Qualitative Ziele haben keinen Zahlenwert; bitte leeren.")
            )
        if self.kind in (TargetKind.CHANGE, TargetKind.GAP) and not self.indicator:
            errors["indicator"] = _(
                "Eine Veränderung lässt sich nur für eine Kennzahl messen. "
                "Bitte wählen."
            )
        self._clean_signs(errors)
        self._clean_consistency(errors)
        if errors:
            raise ValidationError(errors)

    def _derive_unit(self):
        """Changes are per cent and gaps points; a level takes its indicator's unit."""
        if self.kind == TargetKind.CHANGE:
            self.unit = Unit.PERCENT
        elif self.kind == TargetKind.GAP:
            self.unit = Unit.PERCENTAGE_POINTS
        elif not self.unit and self.indicator_info is not None:
            self.unit = self.indicator_info.unit

    def _clean_numeric(self, errors):
        if self.target_value is None:
            errors["target_value"] = _(
                "Ein Ziel dieser Art braucht einen Zielwert. Tragen Sie ihn ein "
                "oder wählen Sie „Nur Beobachtung“."
            )
        if not self.comparator:
            errors["comparator"] = _(
                "Bitte angeben, ob der Zielwert mindestens oder höchstens "
                "erreicht werden soll."
            )
        if not self.direction:
            errors["direction"] = _(
                "Bitte angeben, ob höher oder niedriger besser ist."
            )
        if self.kind in (TargetKind.LEVEL, TargetKind.COUNT) and not self.unit:
            errors["unit"] = _("Bitte eine Einheit wählen.")

    def _clean_signs(self, errors):
        counts = self.kind == TargetKind.COUNT or self.unit in (
            Unit.COUNT,
            Unit.PERSONS,
        )
        if counts and self.kind != TargetKind.CHANGE:
            for field in ("target_value", "baseline_value"):
                value = getattr(self, field)
                if value is not None and value < 0:
                    errors.setdefault(field, _("Anzahlen können nicht negativ sein."))
        if self.baseline_value is not None and not self.baseline_year:
            errors.setdefault(
                "baseline_year",
                _("Bitte das Jahr angeben, auf das sich der Ausgangswert bezieht."),
            )

    def _clean_consistency(self, errors):
        contradicting = {
            (Comparator.AT_LEAST, Direction.LOWER),
            (Comparator.AT_MOST, Direction.HIGHER),
        }
        if (self.comparator, self.direction) in contradicting:
            errors.setdefault(
                "comparator",
                _(
                    "„Erreicht bei“ passt nicht zur Richtung: wenn niedriger besser "
                    "ist, gilt „höchstens“, sonst „mindestens“."
                ),
            )

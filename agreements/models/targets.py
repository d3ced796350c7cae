"""The targets under a goal.

A target is stored as structured fields (indicator, comparator, target value,
agreed baseline …); the sentence the agreement prints is generated from them
(``agreements/wording.py``) or written by the users with placeholders that
the fields fill. What a value means — its unit, per cent or points, how it is
computed — comes from the indicator's record in ``indicators.registry``.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from indicators import registry
from indicators.attainment import HIGHER_IS_BETTER, changes_agree
from indicators.judging import Rule
from indicators.models import DataStatus
from indicators.months import MONTH_NAMES
from indicators.registry import Aspect, Unit
from zielsteuerung.numbers import relative_change

from .agreement import MAX_YEAR, MIN_YEAR, LockedQuerySet, LockedWhenSigned
from .content import Goal


class TargetKind(models.TextChoices):
    CHANGE = "change", _("Veränderung gegenüber dem Vorjahr")
    LEVEL = "level", _("Wert einer Kennzahl")
    COUNT = "count", _("Anzahl")
    MONITORING = "monitoring", _("Nur Beobachtung (Monitoring)")
    QUALITATIVE = "qualitative", _("Qualitatives Ziel")


NUMERIC_KINDS = (TargetKind.CHANGE, TargetKind.LEVEL, TargetKind.COUNT)
LEVEL_KINDS = (TargetKind.LEVEL, TargetKind.COUNT)


class Comparator(models.TextChoices):
    AT_LEAST = "gte", _("mindestens")
    AT_MOST = "lte", _("höchstens")
    MORE_THAN = "gt", _("mehr als")
    LESS_THAN = "lt", _("weniger als")
    ABOUT = "approx", _("ungefähr (mit Toleranz)")
    UP_TO = "up_to", _("bis zu (Kapazität)")


class QualitativeStatus(models.TextChoices):
    OPEN = "open", _("Offen")
    IN_PROGRESS = "in_progress", _("In Arbeit")
    ACHIEVED = "achieved", _("Erreicht")
    MISSED = "missed", _("Nicht erreicht")


_DECIMAL = {"max_digits": 16, "decimal_places": 3, "null": True, "blank": True}


class Target(LockedWhenSigned):
    """A target under a goal: numeric, monitoring-only or qualitative."""

    signed_status_lookup = "goal__agreement__status"
    parent_lookup = ("goals__pk", "goal_id")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="targets")
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    kind = models.CharField(_("Art"), max_length=20, choices=TargetKind.choices)
    local = models.BooleanField(
        _("Lokales Ziel des Jobcenters"),
        default=False,
        help_text=_(
            "Lokale Ziele stehen in der Vereinbarung als Aufzählung unter der "
            "Einleitung zu den lokalen Zielen des Ziels."
        ),
    )
    indicator = models.CharField(
        _("Kennzahl"),
        max_length=40,
        choices=registry.indicator_choices,
        blank=True,
        help_text=_(
            "Mit Kennzahl wird das Ziel aus den Monatswerten bewertet. Leer lassen "
            "bei lokalen Zielen, für die es keine Monatswerte gibt."
        ),
    )
    label = models.CharField(
        _("Überschrift"),
        max_length=200,
        blank=True,
        help_text=_(
            "Optional, steht als Aufzählungspunkt über dem Zielsatz, z. B. "
            "„Veränderung der absoluten Zahl der Integrationen“."
        ),
    )
    subject = models.CharField(
        _("Gegenstand"),
        max_length=300,
        blank=True,
        help_text=_(
            "Nur ohne Kennzahl: was gezählt wird, mit Artikel, z. B. „die Zahl der "
            "Umwandlungen von Minijobs in sozialversicherungspflichtige "
            "Beschäftigung“."
        ),
    )
    intro = models.TextField(_("Text vor dem Zielsatz"), blank=True)
    sentence = models.TextField(
        _("Eigener Zielsatz"),
        blank=True,
        help_text=_(
            "Leer lassen: der Satz wird aus den Feldern gebildet. Eigene Sätze "
            "nennen Zahlen über Platzhalter wie {zielwert} oder {ausgangswert}. "
            "Bei qualitativen Zielen steht hier das Ziel."
        ),
    )
    closing = models.TextField(_("Text nach dem Zielsatz"), blank=True)
    unit = models.CharField(
        _("Einheit"),
        max_length=20,
        choices=[(unit.value, unit.label) for unit in registry.LOCAL_UNITS],
        blank=True,
        help_text=_("Nur ohne Kennzahl; mit Kennzahl gilt deren Einheit."),
    )
    baseline_value = models.DecimalField(_("Vereinbarter Ausgangswert"), **_DECIMAL)
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
    baseline_data_status = models.CharField(
        _("Ausgangswert: Datenstand"),
        max_length=2,
        choices=DataStatus.choices,
        blank=True,
    )
    comparator = models.CharField(
        _("Erreicht bei"), max_length=10, choices=Comparator.choices, blank=True
    )
    target_value = models.DecimalField(_("Zielwert"), **_DECIMAL)
    tolerance = models.DecimalField(
        _("Toleranz"),
        **_DECIMAL,
        help_text=_("Nur bei „ungefähr“: wie weit der Wert abweichen darf."),
    )
    target_change = models.DecimalField(
        _("Entspricht einer Veränderung um"),
        **_DECIMAL,
        help_text=_(
            "Nur bei Werten mit Ausgangswert: die Veränderung, die der Zielwert "
            "bedeutet, z. B. 12,9 (Prozent) für 22,5 % → 25,4 %."
        ),
    )
    data_status = models.CharField(
        _("Datenstand der Bewertung"),
        max_length=2,
        choices=DataStatus.choices,
        blank=True,
        help_text=_("z. B. t-0, wenn der Dezemberwert mit Datenstand t-0 zählt."),
    )
    deadline = models.DateField(_("Frist"), null=True, blank=True)
    numbers_confirmed_reason = models.TextField(
        _("Begründung für bestätigte Zahlen"), blank=True
    )
    numbers_confirmed_digest = models.CharField(max_length=64, blank=True)

    history = HistoricalRecords()
    objects = LockedQuerySet.as_manager()

    class Meta:
        verbose_name = _("Zielvorgabe")
        verbose_name_plural = _("Zielvorgaben")
        ordering = ["goal", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=NUMERIC_KINDS)
                | (Q(target_value__isnull=False) & ~Q(comparator="")),
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
            models.CheckConstraint(
                condition=Q(comparator__in=["", *Comparator.values]),
                name="target_comparator_known",
            ),
            models.CheckConstraint(
                condition=~Q(comparator="approx") | Q(tolerance__gte=0),
                name="approx_target_has_tolerance",
            ),
            models.CheckConstraint(
                condition=Q(indicator="") | Q(unit=""),
                name="unit_only_without_indicator",
            ),
        ]

    def __str__(self):
        text = self.label or self.sentence or self.get_kind_display()
        return text[:80]

    # --- what the target measures -------------------------------------------

    @property
    def is_numeric(self):
        return self.kind in NUMERIC_KINDS

    @property
    def judged_by_figures(self):
        """Numeric or monitoring targets on an indicator; a person judges the rest."""
        return bool(self.indicator) and self.kind != TargetKind.QUALITATIVE

    @property
    def indicator_info(self):
        return registry.get(self.indicator)

    @property
    def aspect(self):
        """Change targets and monitoring look at the change, the rest at the level."""
        if self.kind in (TargetKind.CHANGE, TargetKind.MONITORING):
            return Aspect.CHANGE
        return Aspect.LEVEL

    @property
    def value_unit(self):
        """The unit of the target value: the indicator's for the aspect, or own."""
        if self.indicator_info is not None:
            return self.indicator_info.unit_for(self.aspect)
        return self.unit

    @property
    def baseline_unit(self):
        """A baseline is always a level: of the indicator, or in the own unit."""
        if self.indicator_info is not None:
            return self.indicator_info.unit
        return self.unit

    @property
    def change_in_points(self):
        if self.indicator_info is not None:
            return self.indicator_info.change_in_points
        return self.unit == Unit.PERCENTAGE_POINTS

    @property
    def higher_is_better(self):
        """Follows from the comparator; None for "ungefähr" and "bis zu"."""
        if not self.comparator:
            return None
        return HIGHER_IS_BETTER.get(self.comparator)

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
        """For a level target with a baseline: the change its target value means."""
        if self.kind not in LEVEL_KINDS:
            return None
        if self.change_in_points:
            if self.baseline_value is None or self.target_value is None:
                return None
            return self.target_value - self.baseline_value
        return relative_change(self.baseline_value, self.target_value)

    def rule(self):
        """The ``indicators.judging.Rule`` this target asks for, or None."""
        if not self.judged_by_figures:
            return None
        judged = self.kind != TargetKind.MONITORING
        return Rule(
            indicator=self.indicator_info,
            aspect=self.aspect,
            comparator=self.comparator if judged else None,
            target_value=self.target_value if judged else None,
            tolerance=self.tolerance,
            baseline=self.baseline_value,
            baseline_year=self.baseline_year,
            baseline_month=self.baseline_month,
        )

    # --- validation ---------------------------------------------------------

    def clean(self):
        self._drop_what_does_not_apply()
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
        if self.kind == TargetKind.CHANGE and not self.indicator:
            errors["indicator"] = _(
                "Eine Veränderung gegenüber dem Vorjahr lässt sich nur für eine "
                "Kennzahl messen. Bitte eine Kennzahl wählen."
            )
        if self.kind == TargetKind.QUALITATIVE and not self.sentence.strip():
            errors["sentence"] = _("Bitte das qualitative Ziel beschreiben.")
        self._clean_baseline(errors)
        if errors:
            raise ValidationError(errors)

    def _drop_what_does_not_apply(self):
        """A kind or indicator change re-derives: the unit comes from the indicator."""
        if self.kind == TargetKind.QUALITATIVE:
            self.indicator = ""
            self.baseline_value = self.baseline_year = self.baseline_month = None
            self.baseline_data_status = ""
        if self.indicator:
            self.unit = ""
            self.subject = ""
        if self.comparator != Comparator.ABOUT:
            self.tolerance = None
        if self.kind not in LEVEL_KINDS:
            self.target_change = None
        if not self.is_numeric:
            self.comparator = ""

    def _clean_numeric(self, errors):
        if self.target_value is None:
            errors["target_value"] = _(
                "Ein Ziel dieser Art braucht einen Zielwert. Tragen Sie ihn ein "
                "oder wählen Sie „Nur Beobachtung“."
            )
        if not self.comparator:
            errors["comparator"] = _(
                "Bitte angeben, wann das Ziel erreicht ist, z. B. „mindestens“."
            )
        if self.comparator == Comparator.ABOUT and self.tolerance is None:
            errors["tolerance"] = _(
                "Bei „ungefähr“ bitte angeben, wie weit der Wert abweichen darf, "
                "z. B. 0,2."
            )
        if self.comparator == Comparator.UP_TO and self.kind == TargetKind.CHANGE:
            errors["comparator"] = _(
                "„Bis zu“ beschreibt eine Kapazität, keine Veränderung. Bitte "
                "„höchstens“ wählen oder die Art ändern."
            )
        if self.kind in LEVEL_KINDS and not self.indicator:
            if not self.unit:
                errors["unit"] = _("Bitte eine Einheit wählen.")
            if not self.subject.strip() and not self.sentence.strip():
                errors["subject"] = _(
                    "Ohne Kennzahl bitte angeben, was gezählt wird, oder einen "
                    "eigenen Zielsatz schreiben."
                )
        self._clean_signs(errors)

    def _clean_signs(self, errors):
        counts = self.kind == TargetKind.COUNT or self.value_unit in (
            Unit.COUNT,
            Unit.PERSONS,
        )
        if counts and self.aspect == Aspect.LEVEL:
            for field in ("target_value", "baseline_value"):
                value = getattr(self, field)
                if value is not None and value < 0:
                    errors.setdefault(field, _("Anzahlen können nicht negativ sein."))

    def _clean_baseline(self, errors):
        if self.baseline_value is not None and not self.baseline_year:
            errors.setdefault(
                "baseline_year",
                _("Bitte das Jahr angeben, auf das sich der Ausgangswert bezieht."),
            )
        if self.target_change is not None and self.baseline_value is None:
            errors.setdefault(
                "target_change",
                _(
                    "Eine Veränderung lässt sich nur zusammen mit einem "
                    "Ausgangswert angeben."
                ),
            )
        elif not changes_agree(
            self.baseline_value,
            self.target_value,
            self.target_change,
            in_points=self.change_in_points,
        ):
            errors.setdefault("target_change", self._change_mismatch_message())

    def _change_mismatch_message(self):
        change_unit = Unit.PERCENTAGE_POINTS if self.change_in_points else Unit.PERCENT
        return _(
            "Das passt nicht zusammen: %(baseline)s → %(target)s ist eine "
            "Veränderung um %(implied)s, nicht um %(stated)s. Bitte Zielwert, "
            "Ausgangswert oder Veränderung anpassen."
        ) % {
            "baseline": registry.format_value(self.baseline_value, self.baseline_unit),
            "target": registry.format_value(self.target_value, self.value_unit),
            "implied": registry.format_value(
                self.implied_change, change_unit, 1, sign=True
            ),
            "stated": registry.format_value(self.target_change, change_unit, sign=True),
        }

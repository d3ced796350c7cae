"""How progress is shown: German numbers, units, status labels and colours.

One place for the wording of actual values and statuses, used by the
progress page, the overview and the start page alike.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from indicators import registry
from indicators.attainment import Status
from indicators.months import month_label
from indicators.registry import Unit
from zielsteuerung.numbers import format_decimal

from .charts import line_chart
from .models import QualitativeStatus, TargetKind

STATUS_LABELS = {
    Status.ACHIEVED: (_("erreicht"), "success"),
    Status.ON_TRACK: (_("auf Kurs"), "info"),
    Status.AT_RISK: (_("gefährdet"), "warning"),
    Status.MISSED: (_("verfehlt"), "danger"),
    Status.NOT_ASSESSABLE: (_("nicht bewertbar"), "secondary"),
}
QUALITATIVE_COLOURS = {
    QualitativeStatus.OPEN: "secondary",
    QualitativeStatus.IN_PROGRESS: "info",
    QualitativeStatus.ACHIEVED: "success",
    QualitativeStatus.MISSED: "danger",
}
REASONS = {
    "zero_denominator": _("Nenner ist null"),
    "no_figures": _("noch keine Monatswerte für dieses Jahr"),
}


def status_badge(status):
    """(label, Bootstrap colour) of an automatic status."""
    return STATUS_LABELS.get(status, ("", "secondary"))


def measured_value(target, value):
    """``+8,1 %``, ``+0,4 Prozentpunkte``, ``11,3 %``, ``4.396`` for ``target``."""
    return format_measure(target.kind, target.indicator, value)


def format_measure(kind, indicator_code, value):
    """A value as a target of ``kind`` on ``indicator_code`` measures it."""
    if value is None:
        return ""
    if kind in (TargetKind.CHANGE, TargetKind.MONITORING):
        return format_decimal(value, 1, sign=True) + " %"
    if kind == TargetKind.GAP:
        return format_decimal(value, 1, sign=True) + " " + str(_("Prozentpunkte"))
    return level_value(indicator_code, value)


def level_value(indicator_code, value):
    """A level in the unit of its indicator: ``11,3 %``, ``4.396``, ``1.234 €``."""
    if value is None:
        return ""
    unit = registry.get(indicator_code).unit
    if unit == Unit.PERCENT:
        return format_decimal(value, 1) + " %"
    if unit == Unit.PERCENTAGE_POINTS:
        return format_decimal(value, 1) + " " + str(_("Prozentpunkte"))
    text = format_decimal(value, 0)
    return text + " €" if unit == Unit.EUR else text


def axis_value(indicator_code, value):
    """A chart axis label: like ``level_value``, millions of euros shortened."""
    unit = registry.get(indicator_code).unit
    if unit == Unit.EUR and abs(value) >= 1_000_000:
        return format_decimal(value / 1_000_000, 1) + " " + str(_("Mio. €"))
    if unit == Unit.PERCENTAGE_POINTS:
        return format_decimal(value, 1) + " " + str(_("Pp."))
    return level_value(indicator_code, value)


def not_computable_reason(outcome):
    """Why a value is missing, in German: the missing months or the reason."""
    if outcome.missing:
        months = ", ".join(month_label(month) for month in outcome.missing[:6])
        more = len(outcome.missing) - 6
        suffix = str(_(" und %(n)s weitere") % {"n": more}) if more > 0 else ""
        return str(_("Es fehlen Monatswerte für %(months)s%(more)s.")) % {
            "months": months,
            "more": suffix,
        }
    return str(REASONS.get(outcome.reason, _("nicht berechenbar")))


@dataclass
class ProgressView:
    """Everything the progress page shows about one target."""

    progress: object
    chart: object = None

    @property
    def target(self):
        return self.progress.target

    @property
    def badge(self):
        if self.progress.status is None:
            return None
        return status_badge(self.progress.status)

    @property
    def assessment_badge(self):
        assessment = self.progress.assessment
        if assessment is None:
            return None
        return assessment.get_status_display(), QUALITATIVE_COLOURS[assessment.status]

    @property
    def actual_text(self):
        actual = self.progress.actual
        return measured_value(self.target, actual.value) if actual else ""

    @property
    def forecast_text(self):
        forecast = self.progress.forecast
        if forecast is None or self.progress.as_of.month == 12:
            return ""
        return measured_value(self.target, forecast.value)

    @property
    def reason_text(self):
        actual = self.progress.actual
        if actual is None or actual.computable:
            return ""
        return not_computable_reason(actual)

    @property
    def as_of_text(self):
        as_of = self.progress.as_of
        return month_label(as_of) if as_of else ""

    @property
    def course_rows(self):
        """(month, this year, previous year) as text, for the accessible table."""
        return [
            (
                month_label(point.month),
                level_value(self.target.indicator, point.current.value),
                level_value(self.target.indicator, point.previous.value),
            )
            for point in self.progress.course
        ]


def progress_view(progress):
    chart = None
    if progress.course:
        chart = line_chart(
            progress.course, lambda value: axis_value(progress.target.indicator, value)
        )
    return ProgressView(progress=progress, chart=chart)

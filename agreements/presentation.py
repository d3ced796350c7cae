"""How progress is shown: German numbers, units, status labels and colours.

One place for the wording of values and statuses, used by the progress page,
the overview and the start page alike. Numbers are formatted by the target's
rule (``indicators.judging.Rule.format``), so a value is shown with exactly
the places it was judged at.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.attainment import Status, meets
from indicators.measures import change_of
from indicators.months import month_label
from indicators.registry import Aspect, Unit, format_value

from .charts import line_chart
from .models import QualitativeStatus, TargetKind
from .wording import short_rule, target_text

STATUS_LABELS = {
    Status.ACHIEVED: (gettext_lazy("erreicht"), "success"),
    Status.ON_TRACK: (gettext_lazy("auf Kurs"), "info"),
    Status.AT_RISK: (gettext_lazy("gefährdet"), "warning"),
    Status.MISSED: (gettext_lazy("verfehlt"), "danger"),
    Status.NOT_ASSESSABLE: (gettext_lazy("nicht bewertbar"), "secondary"),
}
QUALITATIVE_COLOURS = {
    QualitativeStatus.OPEN: "secondary",
    QualitativeStatus.IN_PROGRESS: "info",
    QualitativeStatus.ACHIEVED: "success",
    QualitativeStatus.MISSED: "danger",
}
REASONS = {
    "zero_denominator": gettext_lazy("Nenner ist null"),
    "no_figures": gettext_lazy("noch keine Monatswerte für dieses Jahr"),
    "not_aggregable": gettext_lazy("lässt sich nicht aus den Trägerzielen bilden"),
    "no_targets": gettext_lazy("kein Träger hat hierzu ein Ziel"),
    "incomplete": gettext_lazy("Ausgangswerte fehlen"),
}
STATUS_NAMES = {"t0": "t-0", "t3": "t-3", None: gettext_lazy("ohne Angabe")}


def status_badge(status):
    """(label, Bootstrap colour) of an automatic status."""
    return STATUS_LABELS.get(status, ("", "secondary"))


def not_computable_reason(outcome):
    """Why a value is missing, in German: the missing months or the reason."""
    if outcome.missing:
        months = ", ".join(month_label(month) for month in outcome.missing[:6])
        more = len(outcome.missing) - 6
        suffix = _(" und %(n)s weitere") % {"n": more} if more > 0 else ""
        return _("Es fehlen Monatswerte für %(months)s%(more)s.") % {
            "months": months,
            "more": suffix,
        }
    return str(REASONS.get(outcome.reason, gettext_lazy("nicht berechenbar")))


def data_status_text(ranges):
    """``t-3 Januar–September 2024, t-0 Oktober–Dezember 2024``."""
    parts = []
    for part in ranges:
        first, last = month_label(part.first), month_label(part.last)
        same = part.first == part.last
        period = first if same else f"{first.split(' ')[0]}–{last}"
        parts.append(f"{STATUS_NAMES.get(part.status, part.status)} {period}")
    return ", ".join(parts)


@dataclass
class ProgressView:
    """Everything the pages show about one target's progress."""

    progress: object
    year: int
    chart: object = None
    compared: object = None  # the same target's progress in the version in force
    official: object = None  # year_end.OfficialResult once the year is closed

    @property
    def target(self):
        return self.progress.target

    @cached_property
    def text(self):
        """The target's sentence as the agreement states it."""
        return target_text(self.target, self.year)

    @property
    def title(self):
        """A short name for tables: the label, the indicator, or the sentence."""
        indicator = self.target.indicator_info
        if self.target.label:
            return self.text.label
        if indicator is not None and self.target.kind != TargetKind.QUALITATIVE:
            return str(indicator.name)
        return self.text.sentence

    @property
    def judgement(self):
        return self.progress.judgement

    @property
    def rule_text(self):
        return short_rule(self.target)

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
    def assessment_meets(self):
        """Whether a recorded value meets a numeric target without figures."""
        assessment = self.progress.assessment
        target = self.target
        if assessment is None or assessment.actual_value is None:
            return None
        if not target.is_numeric or target.target_value is None:
            return None
        return meets(
            assessment.actual_value,
            target.target_value,
            target.comparator,
            target.tolerance,
        )

    @property
    def actual_text(self):
        judgement = self.judgement
        if judgement is None or not judgement.value.computable:
            return ""
        return judgement.rule.format(judgement.value.value)

    @property
    def revision(self):
        """``(old value, old status, when)`` after a revision of the figures."""
        result = self.progress.result
        if result is None or not result.revised:
            return None
        old = result.previous_value
        old_text = (
            self.judgement.rule.format(old)
            if old is not None
            else _("nicht berechenbar")
        )
        old_status = (
            status_badge(result.previous_status)[0] if result.previous_status else ""
        )
        return old_text, str(old_status), result.revised_at

    @property
    def revision_text(self):
        """``revidiert am 2.12.2026: vorher +1,2 % (auf Kurs)``."""
        revision = self.revision
        if revision is None:
            return ""
        old, old_status, when = revision
        when = timezone.localtime(when)
        text = _("revidiert am %(date)s: vorher %(old)s") % {
            "date": f"{when.day}.{when.month}.{when.year}",
            "old": old,
        }
        return f"{text} ({old_status})" if old_status else text

    @property
    def sort_value(self):
        """The shown value as a plain number for sorting ('' without one)."""
        judgement = self.judgement
        if judgement is None or not judgement.value.computable:
            return ""
        return f"{judgement.value.value:f}"

    @property
    def forecast_text(self):
        judgement = self.judgement
        if judgement is None or judgement.forecast is None:
            return ""
        if not judgement.forecast.computable:
            return ""
        return judgement.rule.format(judgement.forecast.value)

    @property
    def reason_text(self):
        judgement = self.judgement
        if judgement is None or judgement.value.computable:
            return ""
        return not_computable_reason(judgement.value)

    @property
    def as_of_text(self):
        as_of = self.progress.as_of
        return month_label(as_of) if as_of else ""

    @property
    def data_status_text(self):
        if self.judgement is None:
            return ""
        return data_status_text(self.judgement.data_status)

    @property
    def baseline_rows(self):
        """The agreed baseline and what the figures say for its period."""
        judgement = self.judgement
        target = self.target
        if judgement is None or target.baseline_value is None:
            return []
        indicator = judgement.rule.indicator
        rows = [
            (
                _("vereinbart"),
                indicator.format(target.baseline_value, Aspect.LEVEL, None),
                target.baseline_period,
                True,
            )
        ]
        figures = judgement.figures_baseline
        if figures is not None:
            text = (
                indicator.format(figures.value, Aspect.LEVEL)
                if figures.computable
                else not_computable_reason(figures)
            )
            rows.append((_("laut Monatswerten"), text, target.baseline_period, False))
        return rows

    @property
    def change_from_baseline_text(self):
        """A level target's value against the agreed baseline: ``+13,3 %``."""
        judgement = self.judgement
        if judgement is None or judgement.rule.aspect != Aspect.LEVEL:
            return ""
        if judgement.baseline is None or not judgement.value.computable:
            return ""
        indicator = judgement.rule.indicator
        change = change_of(
            judgement.value, judgement.baseline, in_points=indicator.change_in_points
        )
        if not change.computable:
            return ""
        return indicator.format(change.value, Aspect.CHANGE)

    @property
    def course_rows(self):
        """(month, this year, previous year) as text, for the accessible table."""
        indicator = self.judgement.rule.indicator
        return [
            (
                month_label(point.month),
                indicator.format(point.current.value, Aspect.LEVEL),
                indicator.format(point.previous.value, Aspect.LEVEL),
            )
            for point in self.judgement.course
        ]


def axis_label(indicator, value):
    """A chart axis label: the level's format, millions of euros shortened."""
    if indicator.unit == Unit.EUR and abs(value) >= 1_000_000:
        return format_value(value / 1_000_000, Unit.EUR, 1).replace("€", _("Mio. €"))
    return indicator.format(value, Aspect.LEVEL)


def progress_view(progress, year, *, compared=None):
    chart = None
    judgement = progress.judgement
    if judgement is not None and judgement.course:
        rule = judgement.rule
        chart = line_chart(
            judgement.course,
            lambda value: axis_label(rule.indicator, value),
            target=rule.target_value if rule.aspect == Aspect.LEVEL else None,
        )
    return ProgressView(progress=progress, year=year, chart=chart, compared=compared)

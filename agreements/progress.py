"""Progress of an agreement's targets: actual value, forecast and status.

Reads figures only through ``indicators.selectors`` (one query for all the
series a page needs) and judges them with the pure functions of
``indicators.measures`` and ``indicators.attainment``. Values are as of the
latest month of the agreement's year that has figures.
"""

import datetime
from dataclasses import dataclass, field

from indicators import attainment, measures
from indicators.attainment import Growth, Status
from indicators.calculations import Outcome
from indicators.selectors import series_for

from .models import TargetKind

CHANGE_KINDS = (TargetKind.CHANGE, TargetKind.GAP, TargetKind.MONITORING)


@dataclass
class CoursePoint:
    month: datetime.date
    current: Outcome
    previous: Outcome


@dataclass
class TargetProgress:
    target: object
    as_of: datetime.date | None = None
    actual: Outcome | None = None
    forecast: Outcome | None = None
    status: str | None = None
    course: list = field(default_factory=list)

    @property
    def is_automatic(self):
        return self.target.judged_by_figures

    @property
    def assessment(self):
        return getattr(self.target, "assessment", None)


def series_window(year):
    """From December of the year before the previous one to December of ``year``."""
    return datetime.date(year - 2, 12, 1), datetime.date(year, 12, 1)


def elements_for(targets):
    codes = set()
    for target in targets:
        if target.indicator in measures.MEASURES:
            codes.update(measures.MEASURES[target.indicator].elements)
    return codes


def latest_month(provider_series, year):
    """The latest month of ``year`` with any figure, or None."""
    months = [
        month
        for series in provider_series.values()
        for month in series
        if month.year == year
    ]
    return max(months, default=None)


def load_series(providers, targets, year):
    """``{provider_id: {(code, sex): {month: value}}}`` in one query."""
    first, last = series_window(year)
    loaded = series_for(providers, elements_for(targets), first, last)
    by_provider = {getattr(p, "pk", p): {} for p in providers}
    for (provider_id, code, sex), series in loaded.items():
        by_provider[provider_id][(code, sex)] = series
    return by_provider


def target_progress(target, series, year, *, with_course=False):
    """The progress of one target on the series of its provider."""
    progress = TargetProgress(target=target)
    if not progress.is_automatic:
        return progress
    progress.as_of = latest_month(series, year)
    if progress.as_of is None:
        progress.actual = Outcome(None, reason="no_figures")
        progress.status = None if _is_monitoring(target) else Status.NOT_ASSESSABLE
        return progress
    month = progress.as_of.month
    progress.actual, growth = _evaluate(target, series, year, month)
    progress.forecast = attainment.forecast(progress.actual, month, growth)
    if not _is_monitoring(target):
        progress.status = attainment.judge(
            progress.actual, target.target_value, target.comparator, month, growth
        )
    if with_course:
        progress.course = _course(target, series, year, month)
    return progress


def _is_monitoring(target):
    return target.kind == TargetKind.MONITORING


def _evaluate(target, series, year, month):
    change = target.kind in CHANGE_KINDS
    outcome, growth = measures.evaluate(
        target.indicator, change=change, series=series, year=year, month=month
    )
    return outcome, Growth(growth)


def _course(target, series, year, last_month):
    """The year-to-date level month by month, this year against the previous."""
    points = []
    for number in range(1, 13):
        month = datetime.date(year, number, 1)
        current = (
            _level(target, series, year, number)
            if number <= last_month
            else Outcome(None)
        )
        previous = _level(target, series, year - 1, number)
        points.append(CoursePoint(month, current, previous))
    return points


def _level(target, series, year, month):
    outcome, _ = measures.evaluate(
        target.indicator, change=False, series=series, year=year, month=month
    )
    return outcome


def agreement_progress(agreement, *, with_course=True):
    """Every target of ``agreement`` with its progress, grouped by goal."""
    goals = list(agreement.goals.prefetch_related("targets__assessment"))
    targets = [target for goal in goals for target in goal.targets.all()]
    series = load_series([agreement.provider_id], targets, agreement.year)
    provider_series = series[agreement.provider_id]
    return [
        (
            goal,
            [
                target_progress(
                    target, provider_series, agreement.year, with_course=with_course
                )
                for target in goal.targets.all()
            ],
        )
        for goal in goals
    ]

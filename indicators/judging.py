"""Judging a target from the figures: one pure function, one way down.

``judge(rule, series, year, as_of=…)`` takes what a target asks (``Rule``:
indicator, aspect, comparator, target value, tolerance, agreed baseline) and
a provider's series, and returns the value, the forecast, the status, the
course of the year and the data status the result rests on. Nothing here
touches the database or the clock; the agreements app builds the rule from a
target and lays out the result.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from . import attainment
from .attainment import Comparator, Growth, Status
from .calculations import Outcome, months_between
from .measures import change_of
from .registry import Aspect, Indicator

NO_FIGURES = "no_figures"


@dataclass(frozen=True)
class Rule:
    """What a target asks of an indicator."""

    indicator: Indicator
    aspect: Aspect
    comparator: str | None = None  # None: monitoring, shown but never judged
    target_value: Decimal | None = None
    tolerance: Decimal | None = None
    baseline: Decimal | None = None  # agreed baseline: a level of the indicator
    baseline_year: int | None = None
    baseline_month: int | None = None

    @property
    def unit(self):
        return self.indicator.unit_for(self.aspect)

    @property
    def places(self):
        """Values are shown and judged at these places (the rounding rule)."""
        return attainment.judging_places(
            self.indicator.places_for(self.aspect), self.target_value, self.tolerance
        )

    @property
    def in_points(self):
        return self.aspect == Aspect.CHANGE and self.indicator.change_in_points

    def format(self, value, *, places=None):
        """A value as this rule measures it: ``+8,1 %``, ``25,4 %``, ``4.396``."""
        return self.indicator.format(
            value, self.aspect, self.places if places is None else places
        )


@dataclass(frozen=True)
class CoursePoint:
    month: datetime.date
    current: Outcome
    previous: Outcome


@dataclass(frozen=True)
class StatusRange:
    """Consecutive months with the same data status (``t3``, ``t0`` or None)."""

    status: str | None
    first: datetime.date
    last: datetime.date


@dataclass(frozen=True)
class Judgement:
    rule: Rule
    as_of: datetime.date | None
    value: Outcome
    forecast: Outcome | None = None
    status: Status | None = None
    baseline: Outcome | None = None  # what the change is measured against
    figures_baseline: Outcome | None = None  # the agreed period, from figures
    course: tuple = field(default=())
    data_status: tuple = field(default=())

    @property
    def judged(self):
        return self.rule.comparator is not None


def series_window(year, baseline_year=None):
    """First and last month a judgement of ``year`` may read."""
    first_year = min(year - 2, (baseline_year or year) - 1)
    return datetime.date(first_year, 12, 1), datetime.date(year, 12, 1)


def latest_month(series, year):
    """The latest month of ``year`` with any figure in ``series``, or None."""
    months = [month for values in series.values() for month in values]
    return max((month for month in months if month.year == year), default=None)


def judge(rule, series, year, *, as_of=None, statuses=None, with_course=False):
    """The judgement of ``rule`` on one provider's ``series`` for ``year``.

    ``series`` maps ``(element code, sex)`` to ``{month: Decimal}``;
    ``as_of`` is the provider's latest month with figures (found from the
    series when not given); ``statuses`` maps months to their data status.
    """
    as_of = as_of or latest_month(series, year)
    if as_of is None:
        return Judgement(
            rule,
            None,
            Outcome(None, reason=NO_FIGURES),
            status=Status.NOT_ASSESSABLE if rule.comparator else None,
        )
    month = as_of.month
    value, forecast, baseline = _value_and_forecast(rule, series, year, month)
    places = rule.places
    value = _rounded(value, places)
    forecast = _rounded(forecast, places)
    status = None
    if rule.comparator is not None:
        status = attainment.judge(
            value if month == 12 else forecast,
            month,
            target_value=rule.target_value,
            comparator=Comparator(rule.comparator),
            tolerance=rule.tolerance,
        )
    return Judgement(
        rule,
        as_of,
        value,
        forecast=None if month == 12 else forecast,
        status=status,
        baseline=baseline,
        figures_baseline=_figures_baseline(rule, series),
        course=course(rule, series, year, month) if with_course else (),
        data_status=status_ranges(statuses or {}, year, month),
    )


def _value_and_forecast(rule, series, year, month):
    measure = rule.indicator.measure
    level = measure.level(series, year, month)
    level_forecast = attainment.forecast(level, month, measure.growth)
    if rule.aspect == Aspect.LEVEL:
        baseline = Outcome(rule.baseline) if rule.baseline is not None else None
        return level, level_forecast, baseline
    if rule.baseline is not None:
        baseline = Outcome(rule.baseline)
        return (
            change_of(level, baseline, in_points=rule.in_points),
            change_of(level_forecast, baseline, in_points=rule.in_points),
            baseline,
        )
    baseline = measure.level(series, year - 1, month)
    value = change_of(level, baseline, in_points=rule.in_points)
    return value, attainment.forecast(value, month, Growth.STEADY), baseline


def _rounded(outcome, places):
    if outcome is None or not outcome.computable:
        return outcome
    return Outcome(attainment.rounded(outcome.value, places))


def _figures_baseline(rule, series):
    """The agreed baseline's period as the figures give it (for comparison)."""
    if rule.baseline is None or not rule.baseline_year:
        return None
    return rule.indicator.measure.at_period(
        series, rule.baseline_year, rule.baseline_month
    )


def course(rule, series, year, last_month):
    """The level month by month, this year (up to ``last_month``) and the last."""
    measure = rule.indicator.measure
    return tuple(
        CoursePoint(
            datetime.date(year, number, 1),
            measure.level(series, year, number)
            if number <= last_month
            else Outcome(None),
            measure.level(series, year - 1, number),
        )
        for number in range(1, 13)
    )


def status_ranges(statuses, year, month):
    """January … ``month`` grouped into runs of equal data status."""
    ranges = []
    for day in months_between(datetime.date(year, 1, 1), datetime.date(year, month, 1)):
        status = statuses.get(day)
        if ranges and ranges[-1].status == status:
            ranges[-1] = StatusRange(status, ranges[-1].first, day)
        else:
            ranges.append(StatusRange(status, day, day))
    return tuple(ranges)

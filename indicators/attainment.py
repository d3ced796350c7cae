"""Judging a target against its year-to-date value, and the December forecast.

Pure functions, no Django: the agreements app maps statuses to German labels.

Rules (shown to users in German on the progress page):
- In December the year-to-date value is the full-year value: the target is
  *achieved* when it meets the target value, else *missed*.
- Before December the value is projected to December (``forecast``); the
  target is *on track* when the projection meets the target value, else *at
  risk*. The projection is always labelled as a forecast.
- A value that cannot be computed (missing months, zero denominator) makes
  the target *not assessable*; it is never treated as zero.

Forecast method: the year-to-date pace carried forward. Sums (integrations,
conversions) and year-to-date quotas (JFW K2) grow month by month, so they are
scaled by 12 / m; averages (Ø LZB, Ø BG), changes against the previous year and
gaps in percentage points are carried forward unchanged.
"""

from decimal import Decimal
from enum import StrEnum

from .calculations import Outcome

AT_LEAST = "gte"
AT_MOST = "lte"


class Status(StrEnum):
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    MISSED = "missed"
    NOT_ASSESSABLE = "not_assessable"


class Growth(StrEnum):
    """How a year-to-date value develops until December."""

    CUMULATIVE = "cumulative"  # sums and year-to-date quotas: scale by 12 / m
    STEADY = "steady"  # averages, changes, gaps: carry forward


def meets(value, target_value, comparator):
    if comparator == AT_LEAST:
        return value >= target_value
    if comparator == AT_MOST:
        return value <= target_value
    raise ValueError(comparator)


def forecast(actual, month, growth):
    """The December value the year-to-date ``actual`` (an Outcome) points to."""
    if not actual.computable or month == 12 or growth == Growth.STEADY:
        return actual
    return Outcome(actual.value * Decimal(12) / Decimal(month))


def judge(actual, target_value, comparator, month, growth):
    """The status of a numeric target as of ``month`` (1–12)."""
    if not actual.computable:
        return Status.NOT_ASSESSABLE
    if month == 12:
        return (
            Status.ACHIEVED
            if meets(actual.value, target_value, comparator)
            else Status.MISSED
        )
    projected = forecast(actual, month, growth).value
    if meets(projected, target_value, comparator):
        return Status.ON_TRACK
    return Status.AT_RISK

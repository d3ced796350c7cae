"""Judging a value against a target, the December forecast, the rounding rule.

Pure functions, no Django: the agreements app maps statuses to German labels.

Rules (shown to users in German on the progress page):
- In December the year-to-date value is the full-year value: the target is
  *achieved* when it meets the target value, else *missed*.
- Before December the value is projected to December (``forecast``); the
  target is *on track* when the projection meets the target value, else *at
  risk*. The projection is always labelled as a forecast.
- A value that cannot be computed (missing months, zero denominator) makes
  the target *not assessable*; it is never treated as zero.
- **Rounding rule:** a value is judged exactly as it is shown. It is rounded
  half up to the places of the target (one decimal for per cent and
  percentage points, whole numbers for persons, counts and euros, more if the
  target value itself has more), and that rounded value is compared. "−2,0 %"
  under "höchstens −2,0 %" is therefore achieved, whatever the digits behind.

Forecast method: the year-to-date pace carried forward. Sums (integrations,
conversions) and year-to-date quotas (JFW K2) grow month by month, so they are
scaled by 12 / m; averages (Ø LZB, Ø BG), changes against the previous year and
gaps in percentage points are carried forward unchanged.
"""

from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from .calculations import Outcome


class Comparator(StrEnum):
    """How a value meets its target, as real agreements word it."""

    AT_LEAST = "gte"  # mindestens
    AT_MOST = "lte"  # höchstens
    MORE_THAN = "gt"  # mehr als
    LESS_THAN = "lt"  # weniger als
    ABOUT = "approx"  # ungefähr, within a tolerance
    UP_TO = "up_to"  # bis zu: a capacity, not a minimum


# Whether a higher value is better follows from the comparator alone.
HIGHER_IS_BETTER = {
    Comparator.AT_LEAST: True,
    Comparator.MORE_THAN: True,
    Comparator.AT_MOST: False,
    Comparator.LESS_THAN: False,
    Comparator.ABOUT: None,
    Comparator.UP_TO: None,
}


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


def places_of(number):
    """Decimal places written in ``number`` (25.4 → 1, 30.06 → 2, 4400 → 0)."""
    if number is None:
        return 0
    exponent = Decimal(number).normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def judging_places(default_places, target_value=None, tolerance=None):
    """The places values are rounded to before they are shown and judged."""
    return max(default_places, places_of(target_value), places_of(tolerance))


def rounded(value, places):
    """``value`` rounded half up to ``places`` decimals (None stays None)."""
    if value is None:
        return None
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def meets(value, target_value, comparator, tolerance=None):
    """Whether ``value`` meets ``target_value`` under ``comparator``."""
    comparator = Comparator(comparator)
    if comparator == Comparator.AT_LEAST:
        return value >= target_value
    if comparator == Comparator.MORE_THAN:
        return value > target_value
    if comparator == Comparator.AT_MOST:
        return value <= target_value
    if comparator == Comparator.LESS_THAN:
        return value < target_value
    if comparator == Comparator.ABOUT:
        return abs(value - target_value) <= (tolerance or 0)
    # A capacity ("bis zu 20 Plätze") is kept when it is not exceeded.
    return value <= target_value


def forecast(actual, month, growth):
    """The December value the year-to-date ``actual`` (an Outcome) points to."""
    if not actual.computable or month == 12 or growth == Growth.STEADY:
        return actual
    return Outcome(actual.value * Decimal(12) / Decimal(month))


def judge(value, month, *, target_value, comparator, tolerance=None):
    """The status of a numeric target as of ``month`` (1–12).

    ``value`` is the Outcome to judge, already rounded by the rounding rule:
    the year-to-date value in December, the forecast before.
    """
    if not value.computable:
        return Status.NOT_ASSESSABLE
    met = meets(value.value, target_value, comparator, tolerance)
    if month == 12:
        return Status.ACHIEVED if met else Status.MISSED
    return Status.ON_TRACK if met else Status.AT_RISK


def changes_agree(baseline, target_value, stated_change, *, in_points=False):
    """Whether a level target's stated change matches its baseline and level.

    Both numbers are rounded as written, so they agree when the stated change
    lies within the range the rounded target value allows, widened by half a
    unit of the stated change's last place: 22,5 → 25,4 is +12,9 %, and
    26,86 × 1,119 = 30,06 %.
    """
    if baseline in (None, 0) or target_value is None or stated_change is None:
        return True
    half_target = Decimal("0.5").scaleb(-places_of(target_value))
    half_change = Decimal("0.5").scaleb(-places_of(stated_change))
    low, high = target_value - half_target, target_value + half_target
    if in_points:
        implied = (low - baseline, high - baseline)
    else:
        implied = ((low / baseline - 1) * 100, (high / baseline - 1) * 100)
    return min(implied) - half_change <= stated_change <= max(implied) + half_change

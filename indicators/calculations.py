"""The key figures of § 48a SGB II as pure functions (see shared DOMAIN.md).

Every function takes plain series ``{month: Decimal}`` — a month is the
``datetime.date`` of its first day — and the month or year to compute for.
Nothing here touches the database or the clock.

A result is an ``Outcome``: its ``value`` is ``None`` when it cannot be
computed, and then ``missing`` names the months without figures or
``reason`` says why (e.g. a zero denominator). A missing month never counts
as zero. Quotas and changes are in per cent; changes are relative per cent
(22.5 → 25.4 is +12.9 %), gaps are percentage points.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

HUNDRED = Decimal(100)
ZERO_DENOMINATOR = "zero_denominator"
MISSING_MONTHS = "missing_months"


@dataclass(frozen=True)
class Outcome:
    value: Decimal | None
    missing: tuple = ()
    reason: str = ""

    @property
    def computable(self):
        return self.value is not None


def missing(months):
    return Outcome(None, tuple(sorted(set(months))), MISSING_MONTHS)


def _failure(*outcomes):
    """Why some of ``outcomes`` cannot be computed: the missing months first."""
    gaps = [month for outcome in outcomes for month in outcome.missing]
    if gaps:
        return missing(gaps)
    return next(outcome for outcome in outcomes if not outcome.computable)


def month_add(month, count):
    """The first day of the month ``count`` months after ``month``."""
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_between(first, last):
    """All months from ``first`` to ``last``, both included."""
    months = []
    while first <= last:
        months.append(first)
        first = month_add(first, 1)
    return months


def _window(series, months):
    """The values of ``months``; an Outcome naming the gaps if any is missing."""
    gaps = [month for month in months if series.get(month) is None]
    if gaps:
        return missing(gaps)
    return [Decimal(series[month]) for month in months]


def total(series, months):
    values = _window(series, months)
    return values if isinstance(values, Outcome) else Outcome(sum(values, Decimal(0)))


def average(series, months):
    values = _window(series, months)
    if isinstance(values, Outcome):
        return values
    return Outcome(sum(values, Decimal(0)) / len(values))


def ratio(numerator, denominator, factor=HUNDRED):
    """``numerator ÷ denominator × factor`` of two Outcomes."""
    if not (numerator.computable and denominator.computable):
        return _failure(numerator, denominator)
    if denominator.value == 0:
        return Outcome(None, reason=ZERO_DENOMINATOR)
    return Outcome(numerator.value / denominator.value * factor)


def relative_change(current, previous):
    """``current ÷ previous − 1`` in per cent, of two Outcomes."""
    quotient = ratio(current, previous, factor=Decimal(1))
    if not quotient.computable:
        return quotient
    return Outcome((quotient.value - 1) * HUNDRED)


def difference(minuend, subtrahend):
    """``minuend − subtrahend`` (percentage points for two quotas)."""
    if not (minuend.computable and subtrahend.computable):
        return _failure(minuend, subtrahend)
    return Outcome(minuend.value - subtrahend.value)


# --- rolling twelve-month figures, as published monthly -----------------------


def rolling_quota(flows, stocks, month):
    """K2 (integrations / eLb) or K3E1 (LZB integrations / LZB) for ``month``.

    Σ flows(m−11 … m) ÷ Ø stocks(m−12 … m−1) × 100.
    """
    flows_sum = total(flows, months_between(month_add(month, -11), month))
    stock_average = average(
        stocks, months_between(month_add(month, -12), month_add(month, -1))
    )
    return ratio(flows_sum, stock_average)


def change_on_previous_year(series, month):
    """K1 and K3: value(m) ÷ value(m−12) − 1, in per cent."""
    return relative_change(
        total(series, [month]), total(series, [month_add(month, -12)])
    )


# --- year to date (Jahresfortschrittswerte), used for attainment -------------


def year_months(year, month):
    """January to ``month`` (1–12) of ``year``."""
    return months_between(datetime.date(year, 1, 1), datetime.date(year, month, 1))


def ytd_quota(flows, stocks, year, month):
    """JFW K2: Σ flows(Jan … m) ÷ Ø stocks(Dec of y−1 … m−1) × 100."""
    first = datetime.date(year, 1, 1)
    stock_months = months_between(month_add(first, -1), datetime.date(year, month, 1))[
        :-1
    ]
    return ratio(total(flows, year_months(year, month)), average(stocks, stock_months))


def ytd_total(series, year, month):
    return total(series, year_months(year, month))


def ytd_average(series, year, month):
    """Ø of January … m; with m = 12 the annual average (e.g. Ø LZB, Ø BG)."""
    return average(series, year_months(year, month))


def ytd_total_change(series, year, month):
    """Absolute integrations, LZB integrations, K1: Σ(y) ÷ Σ(y−1) − 1."""
    return relative_change(
        ytd_total(series, year, month), ytd_total(series, year - 1, month)
    )


def ytd_average_change(series, year, month):
    """K3 attainment: Ø LZB(y, m) ÷ Ø LZB(y−1, m) − 1."""
    return relative_change(
        ytd_average(series, year, month), ytd_average(series, year - 1, month)
    )


def ytd_quota_change(flows, stocks, year, month):
    """Change of the JFW K2 against the same months of the previous year."""
    return relative_change(
        ytd_quota(flows, stocks, year, month), ytd_quota(flows, stocks, year - 1, month)
    )


def ytd_quota_gap(men, women, year, month):
    """JFW K2 of men − JFW K2 of women, in percentage points.

    ``men`` and ``women`` are each a pair ``(flows, stocks)``.
    """
    return difference(ytd_quota(*men, year, month), ytd_quota(*women, year, month))


def ytd_quota_gap_change(men, women, year, month):
    """How the gap moved against the previous year, in percentage points."""
    return difference(
        ytd_quota_gap(men, women, year, month),
        ytd_quota_gap(men, women, year - 1, month),
    )


def sum_series(all_series):
    """Month-wise sum of several series, e.g. all providers of a state.

    A month counts only where every series has it, so a Land total is never
    computed from part of the providers; the missing months then show up as
    missing in the formulas. Sums of numerators and denominators, never an
    average of quotas.
    """
    if not all_series:
        return {}
    common = set.intersection(*(set(series) for series in all_series))
    return {
        month: sum((Decimal(series[month]) for series in all_series), Decimal(0))
        for month in common
    }

"""How an indicator is computed from the monthly figures, year to date.

A *measure* is the quantity behind an indicator (JFW K2, Ø LZB,
Σ integrations …). Its ``level`` is the year-to-date value; its ``change``
compares that level either with the same months of the previous year or with
an agreed baseline, in relative per cent or, for gaps, in percentage points.
Pure functions over ``{(element code, sex): {month: Decimal}}`` series; the
registry (``registry.py``) says which measure each indicator uses.
"""

import datetime
from dataclasses import dataclass

from . import calculations as calc
from .attainment import Growth
from .calculations import Outcome

TOTAL, WOMEN, MEN = "total", "women", "men"


@dataclass(frozen=True)
class Measure:
    elements: tuple  # the data element codes it reads
    growth = Growth.STEADY  # how the level develops until December
    # The month a new baseline names by default: None for the whole year,
    # 12 for stocks, whose baseline is the stock of December.
    default_baseline_month = None

    def level(self, series, year, month):
        raise NotImplementedError

    def at_period(self, series, year, month):
        """The value of a baseline period: the year (month None) or a month."""
        return self.level(series, year, month or 12)

    def baseline_months(self, year, month):
        """The months of ``year`` a baseline (``at_period``) rests on."""
        return calc.year_months(year, month or 12)

    def weight(self, series, year, month):
        """How much one provider counts when quotas are pooled (None: not a quota)."""
        return None

    def _get(self, series, index=0, sex=TOTAL):
        return series.get((self.elements[index], sex), {})


@dataclass(frozen=True)
class Quota(Measure):
    """Σ flows ÷ Ø stock × 100, year to date (JFW K2, K3E1)."""

    growth = Growth.CUMULATIVE

    def level(self, series, year, month):
        return calc.ytd_quota(self._get(series, 0), self._get(series, 1), year, month)

    def weight(self, series, year, month):
        """Ø stock of December of the year before … month − 1: the denominator."""
        first = calc.month_add(datetime.date(year, 1, 1), -1)
        last = calc.month_add(datetime.date(year, month, 1), -1)
        return calc.average(self._get(series, 1), calc.months_between(first, last))


@dataclass(frozen=True)
class Total(Measure):
    """Σ of a flow, January … month (integrations, benefits in euros)."""

    growth = Growth.CUMULATIVE

    def level(self, series, year, month):
        return calc.ytd_total(self._get(series), year, month)


@dataclass(frozen=True)
class Average(Measure):
    """Ø of a stock, January … month (Ø LZB for K3, Ø Bedarfsgemeinschaften)."""

    default_baseline_month = 12

    def level(self, series, year, month):
        return calc.ytd_average(self._get(series), year, month)

    def at_period(self, series, year, month):
        """A month's baseline of a stock is that month's stock ("Dezember 2013")."""
        if month is None:
            return self.level(series, year, 12)
        return calc.total(self._get(series), [datetime.date(year, month, 1)])

    def baseline_months(self, year, month):
        if month is None:
            return calc.year_months(year, 12)
        return [datetime.date(year, month, 1)]


@dataclass(frozen=True)
class AverageShare(Measure):
    """Ø part ÷ Ø whole × 100, January … month (LZB among eLb, SGB II rate)."""

    default_baseline_month = 12

    def level(self, series, year, month):
        return calc.ratio(
            calc.ytd_average(self._get(series, 0), year, month),
            calc.ytd_average(self._get(series, 1), year, month),
        )

    def at_period(self, series, year, month):
        if month is None:
            return self.level(series, year, 12)
        day = [datetime.date(year, month, 1)]
        return calc.ratio(
            calc.total(self._get(series, 0), day), calc.total(self._get(series, 1), day)
        )

    baseline_months = Average.baseline_months

    def weight(self, series, year, month):
        return calc.ytd_average(self._get(series, 1), year, month)


@dataclass(frozen=True)
class QuotaGap(Measure):
    """JFW K2 of men − women, in percentage points."""

    def level(self, series, year, month):
        pairs = [
            (self._get(series, 0, sex), self._get(series, 1, sex))
            for sex in (MEN, WOMEN)
        ]
        return calc.ytd_quota_gap(*pairs, year, month)


def change(measure, series, year, month, *, in_points, baseline=None):
    """The level's change against ``baseline`` or the previous year's same months.

    Relative per cent (22.5 → 25.4 is +12.9 %) or, ``in_points``, the
    difference in percentage points.
    """
    current = measure.level(series, year, month)
    previous = (
        Outcome(baseline)
        if baseline is not None
        else measure.level(series, year - 1, month)
    )
    return change_of(current, previous, in_points=in_points)


def change_of(current, previous, *, in_points):
    if in_points:
        return calc.difference(current, previous)
    return calc.relative_change(current, previous)

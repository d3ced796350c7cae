"""How each indicator of the registry is computed from the monthly figures.

A *measure* is the year-to-date quantity behind an indicator (JFW K2, Ø LZB,
Σ integrations …). A target looks either at its level (``level``), at its
relative change against the same months of the previous year (``change``),
or, for gaps, at its change in percentage points (``change`` as well).
``evaluate`` returns the Outcome and how the value grows until December,
which the forecast needs.
"""

from dataclasses import dataclass

from . import calculations as calc
from .attainment import Growth

TOTAL, WOMEN, MEN = "total", "women", "men"


@dataclass(frozen=True)
class Measure:
    elements: tuple  # the data element codes it reads
    level_growth: str

    def level(self, series, year, month):
        raise NotImplementedError

    def change(self, series, year, month):
        return calc.relative_change(
            self.level(series, year, month), self.level(series, year - 1, month)
        )


@dataclass(frozen=True)
class Quota(Measure):
    """Σ flows ÷ Ø stock × 100, year to date (JFW K2, K3E1)."""

    level_growth: str = Growth.CUMULATIVE

    def level(self, series, year, month):
        flows, stocks = (series.get((code, TOTAL), {}) for code in self.elements)
        return calc.ytd_quota(flows, stocks, year, month)


@dataclass(frozen=True)
class Total(Measure):
    level_growth: str = Growth.CUMULATIVE

    def level(self, series, year, month):
        return calc.ytd_total(series.get((self.elements[0], TOTAL), {}), year, month)


@dataclass(frozen=True)
class Average(Measure):
    level_growth: str = Growth.STEADY

    def level(self, series, year, month):
        return calc.ytd_average(series.get((self.elements[0], TOTAL), {}), year, month)


@dataclass(frozen=True)
class QuotaGap(Measure):
    """JFW K2 of men − women, in points; its change is in points too."""

    level_growth: str = Growth.STEADY

    def _pairs(self, series):
        return tuple(
            tuple(series.get((code, sex), {}) for code in self.elements)
            for sex in (MEN, WOMEN)
        )

    def level(self, series, year, month):
        return calc.ytd_quota_gap(*self._pairs(series), year, month)

    def change(self, series, year, month):
        return calc.ytd_quota_gap_change(*self._pairs(series), year, month)


MEASURES = {
    "k1": Total(("llu_eur",)),
    "k2": Quota(("integrationen", "elb")),
    "k2_abstand": QuotaGap(("integrationen", "elb")),
    "integrationen": Total(("integrationen",)),
    "k3": Average(("lzb",)),
    "lzb_integrationen": Total(("lzb_integrationen",)),
    "k3e1": Quota(("lzb_integrationen", "lzb")),
    "bg": Average(("bg",)),
    "arbeitslose": Average(("arbeitslose",)),
    "arbeitslose_u25": Average(("arbeitslose_u25",)),
}


def evaluate(code, *, change, series, year, month):
    """(Outcome, Growth) of indicator ``code`` for the year to ``month``.

    ``series`` maps ``(element code, sex)`` to ``{month: Decimal}``; it must
    reach back to December of the year before the previous one.
    """
    measure = MEASURES[code]
    if change:
        return measure.change(series, year, month), Growth.STEADY
    return measure.level(series, year, month), measure.level_growth

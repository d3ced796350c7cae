"""Target judgement and forecast against hand-computed cases; no database."""

from decimal import Decimal

import pytest

from indicators.attainment import Growth, Status, forecast, judge
from indicators.calculations import MISSING_MONTHS, Outcome


def value(number):
    return Outcome(Decimal(number))


@pytest.mark.parametrize(
    ("actual", "target", "comparator", "month", "growth", "expected"),
    [
        # Borken 2023, absolute integrations at least +12.6 %
        ("13.1", "12.6", "gte", 12, Growth.STEADY, Status.ACHIEVED),
        ("8.1", "12.6", "gte", 12, Growth.STEADY, Status.MISSED),
        ("8.1", "12.6", "gte", 6, Growth.STEADY, Status.AT_RISK),
        ("12.6", "12.6", "gte", 6, Growth.STEADY, Status.ON_TRACK),
        # K3 −5.2 %: lower is better
        ("-6.0", "-5.2", "lte", 12, Growth.STEADY, Status.ACHIEVED),
        ("-4.0", "-5.2", "lte", 9, Growth.STEADY, Status.AT_RISK),
        # Women/men gap unchanged: change in points at most 0
        ("0", "0", "lte", 12, Growth.STEADY, Status.ACHIEVED),
        ("0.4", "0", "lte", 12, Growth.STEADY, Status.MISSED),
        # Coesfeld 2014, JFW K2 in December at least 25.4 %; June at 12.9 % is
        # on course for 25.8 %.
        ("12.9", "25.4", "gte", 6, Growth.CUMULATIVE, Status.ON_TRACK),
        ("12.0", "25.4", "gte", 6, Growth.CUMULATIVE, Status.AT_RISK),
        # at least 20 conversions; 9 by May point to 21.6
        ("9", "20", "gte", 5, Growth.CUMULATIVE, Status.ON_TRACK),
        # Ø BG at most 4,400
        ("4380", "4400", "lte", 4, Growth.STEADY, Status.ON_TRACK),
    ],
)
def test_judge(actual, target, comparator, month, growth, expected):
    assert judge(value(actual), Decimal(target), comparator, month, growth) == expected


def test_value_that_cannot_be_computed_is_not_assessable():
    actual = Outcome(None, reason=MISSING_MONTHS)
    assert judge(actual, Decimal(1), "gte", 12, Growth.STEADY) == Status.NOT_ASSESSABLE


@pytest.mark.parametrize(
    ("actual", "month", "growth", "expected"),
    [
        ("12.9", 6, Growth.CUMULATIVE, "25.8"),
        ("500", 3, Growth.CUMULATIVE, "2000"),
        ("-4.0", 9, Growth.STEADY, "-4.0"),
        ("25.0", 12, Growth.CUMULATIVE, "25.0"),
    ],
)
def test_forecast_carries_the_pace_forward(actual, month, growth, expected):
    assert forecast(value(actual), month, growth).value == Decimal(expected)

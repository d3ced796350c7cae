"""Target judgement and forecast against hand-computed cases; no database."""

from decimal import Decimal

import pytest

from indicators.attainment import Growth, Status, changes_agree, forecast, judge
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
    judged = forecast(value(actual), month, growth)
    status = judge(judged, month, target_value=Decimal(target), comparator=comparator)
    assert status == expected


def test_value_that_cannot_be_computed_is_not_assessable():
    actual = Outcome(None, reason=MISSING_MONTHS)
    status = judge(actual, 12, target_value=Decimal(1), comparator="gte")
    assert status == Status.NOT_ASSESSABLE


@pytest.mark.parametrize(
    ("baseline", "target", "change", "in_points", "agree"),
    [
        # Coesfeld 2014: 22,5 % → 25,4 % is +12,888… %, written +12,9 %
        ("22.5", "25.4", "12.9", False, True),
        # 26,86 % × 1,119 = 30,06 %: +11,9 %
        ("26.86", "30.06", "11.9", False, True),
        # 25,6 against 22,5 is +13,8 %: +12,9 % no longer fits
        ("22.5", "25.6", "12.9", False, False),
        # rounding of the target (25,35 … 25,45) leaves +12,7 … +13,1 %
        ("22.5", "25.4", "13.1", False, True),
        ("22.5", "25.4", "13.2", False, False),
        # a gap in points: 4,0 → 3,5 is −0,5 points
        ("4.0", "3.5", "-0.5", True, True),
        ("4.0", "3.5", "-0.8", True, False),
    ],
)
def test_stated_change_agrees_with_level_and_baseline(
    baseline, target, change, in_points, agree
):
    result = changes_agree(
        Decimal(baseline), Decimal(target), Decimal(change), in_points=in_points
    )
    assert result is agree


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

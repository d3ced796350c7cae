"""The Land's value and the Land target implied by the providers' targets.

Small cases computed by hand; no database.
"""

import datetime
from decimal import Decimal

from indicators import registry
from indicators.calculations import months_between
from indicators.land import (
    NOT_AGGREGABLE,
    Contribution,
    implied_land_target,
    land_value,
    pooled_series,
)
from indicators.registry import Aspect

D = Decimal


def q(value, places="0.0001"):
    return value.quantize(D(places))


def test_land_k2_target_weights_each_quota_by_its_elb():
    # A: 25 % of Ø 8,000 eLb; B: 20 % of Ø 2,000 → (2,000 + 400) ÷ 10,000 = 24 %
    target = implied_land_target(
        registry.get("k2"),
        Aspect.LEVEL,
        [Contribution(D(25), None, D(8000)), Contribution(D(20), None, D(2000))],
    )
    assert target.value == D(24)


def test_land_k2_change_target_from_the_providers_change_targets():
    # A: 22.5 % → +12.9 % = 25.4025 %; B: 20 % → 0 % = 20 %; weights 8,000 / 2,000
    # target level (203.22 + 40) ÷ 10 = 24.322; base (180 + 40) ÷ 10 = 22.0
    # change 24.322 ÷ 22 − 1 = +10.5545 %
    target = implied_land_target(
        registry.get("k2"),
        Aspect.CHANGE,
        [
            Contribution(D("12.9"), D("22.5"), D(8000)),
            Contribution(D(0), D(20), D(2000)),
        ],
    )
    assert q(target.value) == D("10.5545")


def test_land_count_target_adds_up():
    # 1,000 × 1.126 + 500 × 1.04 = 1,646 against 1,500: +9.7333 %
    target = implied_land_target(
        registry.get("integrationen"),
        Aspect.CHANGE,
        [Contribution(D("12.6"), D(1000)), Contribution(D(4), D(500))],
    )
    assert q(target.value) == D("9.7333")


def test_land_k3_target_on_summed_average_stocks():
    # 3,489 × 1.005 + 1,000 × 0.948 = 4,454.445 against 4,489: −0.7698 %
    target = implied_land_target(
        registry.get("k3"),
        Aspect.CHANGE,
        [Contribution(D("0.5"), D(3489)), Contribution(D("-5.2"), D(1000))],
    )
    assert q(target.value) == D("-0.7698")


def test_gap_cannot_be_aggregated():
    target = implied_land_target(
        registry.get("k2_abstand"), Aspect.CHANGE, [Contribution(D(0), D(4), D(1))]
    )
    assert not target.computable
    assert target.reason == NOT_AGGREGABLE


def test_missing_base_level_makes_the_land_target_incomplete():
    target = implied_land_target(
        registry.get("k3"), Aspect.CHANGE, [Contribution(D(1), None)]
    )
    assert not target.computable


def m(year, month):
    return datetime.date(year, month, 1)


def test_land_value_pools_numerators_and_denominators_of_chosen_providers():
    months = months_between(m(2022, 12), m(2023, 12))
    series = {
        1: {
            ("integrationen", "total"): {mo: D(100) for mo in months},
            ("elb", "total"): {mo: D(1000) for mo in months},
        },
        2: {
            ("integrationen", "total"): {mo: D(10) for mo in months},
            ("elb", "total"): {mo: D(1000) for mo in months},
        },
    }
    # pooled: 1,320 ÷ 2,000 = 66 %, not the mean of 120 % and 12 %
    both = pooled_series(series, [1, 2])
    assert land_value(registry.get("k2"), Aspect.LEVEL, both, 2023, 12).value == 66
    only_first = pooled_series(series, [1])
    assert land_value(registry.get("k2"), Aspect.LEVEL, only_first, 2023, 12).value == (
        120
    )

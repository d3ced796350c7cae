"""Indicators computed from series: the registry and its measures agree."""

import datetime
from decimal import Decimal

import pytest

from indicators import registry
from indicators.attainment import Growth
from indicators.calculations import months_between
from indicators.measures import MEASURES, evaluate


def m(year, month):
    return datetime.date(year, month, 1)


def constant(first, last, value):
    return {month: Decimal(value) for month in months_between(first, last)}


def test_every_indicator_has_a_measure():
    assert set(MEASURES) == {indicator.code for indicator in registry.INDICATORS}


@pytest.fixture
def borken_like():
    """2022: 100 integrations and 1,000 LZB a month; 2023: 112.6 and 948."""
    return {
        ("integrationen", "total"): constant(m(2022, 1), m(2022, 12), 100)
        | constant(m(2023, 1), m(2023, 12), "112.6"),
        ("elb", "total"): constant(m(2021, 12), m(2023, 11), 12000),
        ("lzb", "total"): constant(m(2022, 1), m(2022, 12), 1000)
        | constant(m(2023, 1), m(2023, 12), 948),
        ("integrationen", "men"): constant(m(2022, 1), m(2023, 12), 60),
        ("integrationen", "women"): constant(m(2022, 1), m(2023, 12), 40),
        ("elb", "men"): constant(m(2021, 12), m(2023, 11), 6000),
        ("elb", "women"): constant(m(2021, 12), m(2023, 11), 6000),
    }


@pytest.mark.parametrize(
    ("code", "change", "month", "expected", "growth"),
    [
        ("integrationen", True, 12, "12.6", Growth.STEADY),
        ("integrationen", False, 6, "675.6", Growth.CUMULATIVE),
        ("k3", True, 12, "-5.2", Growth.STEADY),
        ("k3", False, 3, "948", Growth.STEADY),
        # JFW K2 2023: 1,351.2 ÷ 12,000 × 100 = 11.26 %; against 2022 (10 %): +12.6 %
        ("k2", False, 12, "11.26", Growth.CUMULATIVE),
        ("k2", True, 12, "12.6", Growth.STEADY),
        # men 720/6000 = 12 %, women 480/6000 = 8 %: gap 4 points, unchanged
        ("k2_abstand", False, 12, "4", Growth.STEADY),
        ("k2_abstand", True, 12, "0", Growth.STEADY),
    ],
)
def test_evaluate(borken_like, code, change, month, expected, growth):
    outcome, got_growth = evaluate(
        code, change=change, series=borken_like, year=2023, month=month
    )
    assert outcome.value.quantize(Decimal("0.01")) == Decimal(expected).quantize(
        Decimal("0.01")
    )
    assert got_growth == growth


def test_missing_series_names_the_months():
    outcome, _ = evaluate("bg", change=False, series={}, year=2014, month=2)
    assert outcome.missing == (m(2014, 1), m(2014, 2))

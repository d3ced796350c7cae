"""Indicators computed from series: the registry, its measures, the judgement.

No database: hand-computed series and expected values.
"""

import datetime
from decimal import Decimal

import pytest

from indicators import registry
from indicators.attainment import Growth, Status
from indicators.calculations import months_between
from indicators.judging import Rule, judge, status_ranges
from indicators.measures import change
from indicators.registry import Aspect, Unit


def m(year, month):
    return datetime.date(year, month, 1)


def constant(first, last, value):
    return {month: Decimal(value) for month in months_between(first, last)}


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


def test_every_indicator_reads_known_elements():
    from indicators.elements import DEFAULT_ELEMENTS

    known = {code for code, *_ in DEFAULT_ELEMENTS}
    for indicator in registry.INDICATORS:
        assert set(indicator.elements) <= known, indicator.code


def test_change_unit_follows_the_indicator_not_the_target_kind():
    gap = registry.get("k2_abstand")
    assert gap.unit_for(Aspect.CHANGE) == Unit.PERCENTAGE_POINTS
    assert registry.get("k2").unit_for(Aspect.CHANGE) == Unit.PERCENT
    assert registry.get("k3").unit_for(Aspect.LEVEL) == Unit.PERSONS
    assert gap.format(Decimal("0.44"), Aspect.CHANGE) == "+0,4 Prozentpunkte"
    assert registry.get("k3").format(Decimal("3588"), Aspect.LEVEL) == "3.588"
    assert registry.get("k3").format(Decimal("-5.24"), Aspect.CHANGE) == "−5,2 %"


@pytest.mark.parametrize(
    ("code", "aspect", "month", "expected", "growth"),
    [
        ("integrationen", Aspect.CHANGE, 12, "12.6", Growth.CUMULATIVE),
        ("integrationen", Aspect.LEVEL, 6, "675.6", Growth.CUMULATIVE),
        ("k3", Aspect.CHANGE, 12, "-5.2", Growth.STEADY),
        ("k3", Aspect.LEVEL, 3, "948", Growth.STEADY),
        # JFW K2 2023: 1,351.2 ÷ 12,000 × 100 = 11.26 %; against 2022 (10 %): +12.6 %
        ("k2", Aspect.LEVEL, 12, "11.26", Growth.CUMULATIVE),
        ("k2", Aspect.CHANGE, 12, "12.6", Growth.CUMULATIVE),
        # men 720/6000 = 12 %, women 480/6000 = 8 %: gap 4 points, unchanged
        ("k2_abstand", Aspect.LEVEL, 12, "4", Growth.STEADY),
        ("k2_abstand", Aspect.CHANGE, 12, "0", Growth.STEADY),
    ],
)
def test_measures(borken_like, code, aspect, month, expected, growth):
    indicator = registry.get(code)
    measure = indicator.measure
    if aspect == Aspect.LEVEL:
        outcome = measure.level(borken_like, 2023, month)
    else:
        outcome = change(
            measure, borken_like, 2023, month, in_points=indicator.change_in_points
        )
    assert outcome.value.quantize(Decimal("0.01")) == Decimal(expected)
    assert measure.growth == growth


def test_missing_series_names_the_months():
    outcome = registry.get("bg").measure.level({}, 2014, 2)
    assert outcome.missing == (m(2014, 1), m(2014, 2))


def test_share_of_long_term_recipients_and_sgb2_unemployment_rate():
    series = {
        ("lzb", "total"): constant(m(2013, 1), m(2014, 12), 408),
        ("elb", "total"): constant(m(2013, 1), m(2014, 12), 1000),
        ("arbeitslose", "total"): constant(m(2014, 1), m(2014, 12), 17),
        ("erwerbspersonen", "total"): constant(m(2014, 1), m(2014, 12), 1000),
    }
    share = registry.get("lzb_anteil").measure
    assert share.level(series, 2014, 12).value == Decimal("40.8")
    assert share.at_period(series, 2013, 12).value == Decimal("40.8")
    rate = registry.get("alq_sgb2").measure
    assert rate.level(series, 2014, 6).value == Decimal("1.7")


def test_a_stock_baseline_of_a_month_is_that_months_stock():
    series = {("lzb", "total"): constant(m(2013, 1), m(2013, 11), 3000)}
    series[("lzb", "total")][m(2013, 12)] = Decimal(3489)
    assert registry.get("k3").measure.at_period(series, 2013, 12).value == 3489
    whole_year = registry.get("k3").measure.at_period(series, 2013, None).value
    assert whole_year.quantize(Decimal("0.01")) == Decimal("3040.75")


# --- judging ------------------------------------------------------------------


def k3_rule(comparator="lte", target="-5.2", **extra):
    return Rule(
        registry.get("k3"),
        Aspect.CHANGE,
        comparator=comparator,
        target_value=Decimal(target),
        **extra,
    )


def test_judge_change_against_previous_year(borken_like):
    result = judge(k3_rule(), borken_like, 2023, as_of=m(2023, 12))
    assert result.value.value == Decimal("-5.2")
    assert result.status == Status.ACHIEVED
    assert result.baseline.value == 1000
    assert result.forecast is None


def test_judge_before_december_uses_the_forecast(borken_like):
    rule = Rule(
        registry.get("integrationen"),
        Aspect.LEVEL,
        comparator="gte",
        target_value=Decimal(1351),
    )
    result = judge(rule, borken_like, 2023, as_of=m(2023, 6))
    assert result.value.value == Decimal("676")  # 675.6, shown as a whole number
    assert result.forecast.value == Decimal("1351")  # 675.6 × 2 = 1,351.2
    assert result.status == Status.ON_TRACK


def test_monitoring_is_shown_but_never_judged(borken_like):
    rule = Rule(registry.get("k2_abstand"), Aspect.CHANGE)
    result = judge(rule, borken_like, 2023, as_of=m(2023, 12))
    assert result.status is None
    assert rule.format(result.value.value) == "0,0 Prozentpunkte"


def test_no_figures_is_not_assessable_unless_monitoring():
    assert judge(k3_rule(), {}, 2023).status == Status.NOT_ASSESSABLE
    assert judge(Rule(registry.get("k3"), Aspect.CHANGE), {}, 2023).status is None


def coesfeld_k3(stock_2014, agreed=Decimal(3489)):
    """K3 2014 against the agreed December 2013 stock; the figures say 3,588."""
    return {
        ("lzb", "total"): constant(m(2013, 1), m(2013, 12), 3588)
        | constant(m(2014, 1), m(2014, 12), stock_2014)
    }


def test_change_is_judged_against_the_agreed_baseline_when_there_is_one():
    rule = k3_rule(
        "lte", "0.5", baseline=Decimal(3489), baseline_year=2013, baseline_month=12
    )
    # 3,506 ÷ 3,489 − 1 = +0.49 %: achieved against the agreed 3,489, although
    # against the figures' December 2013 (3,588) it would be −2.3 %.
    result = judge(rule, coesfeld_k3(3506), 2014, as_of=m(2014, 12))
    assert result.value.value == Decimal("0.5")
    assert result.status == Status.ACHIEVED
    assert result.baseline.value == 3489
    assert result.figures_baseline.value == 3588
    # 3,507 ÷ 3,489 − 1 = +0.516 % → shown +0,5 % and judged so: still achieved
    assert judge(rule, coesfeld_k3(3507), 2014, as_of=m(2014, 12)).status == (
        Status.ACHIEVED
    )
    # 3,508 → +0.545 % → +0,5 %; 3,509 → +0.573 % → +0,6 %: missed
    assert judge(rule, coesfeld_k3(3509), 2014, as_of=m(2014, 12)).status == (
        Status.MISSED
    )


def test_level_target_with_agreed_baseline_reports_both_baselines():
    series = {
        ("integrationen", "total"): constant(m(2014, 1), m(2014, 12), 255),
        ("elb", "total"): constant(m(2012, 12), m(2014, 11), 12000)
        | {m(2013, 1): Decimal(1)},
    }
    series[("integrationen", "total")] |= constant(m(2013, 1), m(2013, 12), 230)
    rule = Rule(
        registry.get("k2"),
        Aspect.LEVEL,
        comparator="gte",
        target_value=Decimal("25.4"),
        baseline=Decimal("22.5"),
        baseline_year=2013,
        baseline_month=12,
    )
    result = judge(rule, series, 2014, as_of=m(2014, 12))
    assert result.value.value == Decimal("25.5")  # 3,060 ÷ 12,000
    assert result.status == Status.ACHIEVED
    assert result.baseline.value == Decimal("22.5")
    # The figures give a different 2013 quota; the agreed 22,5 % counts.
    assert result.figures_baseline.value != Decimal("22.5")


@pytest.mark.parametrize(
    ("comparator", "target", "tolerance", "value", "met"),
    [
        ("gte", "25.4", None, "25.4", True),
        ("gte", "25.4", None, "25.3", False),
        ("gt", "25.4", None, "25.4", False),
        ("gt", "25.4", None, "25.5", True),
        ("lte", "-2.0", None, "-2.0", True),
        ("lte", "-2.0", None, "-1.9", False),
        ("lt", "-2.0", None, "-2.0", False),
        ("lt", "-2.0", None, "-2.1", True),
        ("approx", "1.7", "0.2", "1.9", True),
        ("approx", "1.7", "0.2", "1.5", True),
        ("approx", "1.7", "0.2", "2.0", False),
        ("up_to", "20", None, "20", True),
        ("up_to", "20", None, "21", False),
        ("up_to", "20", None, "12", True),
    ],
)
def test_comparator_boundaries(comparator, target, tolerance, value, met):
    from indicators.attainment import meets

    tol = Decimal(tolerance) if tolerance else None
    assert meets(Decimal(value), Decimal(target), comparator, tol) is met


@pytest.mark.parametrize(
    ("stock_2023", "shown", "status"),
    [
        # 980.4 ÷ 1,000 − 1 = −1.96 %: shown −2,0 %, so "höchstens −2,0 %" is met
        ("980.4", "−2,0 %", Status.ACHIEVED),
        # −1.95 % rounds half up to −2,0 % as well (away from zero)
        ("980.5", "−2,0 %", Status.ACHIEVED),
        # −1.94 % is shown −1,9 % and missed
        ("980.6", "−1,9 %", Status.MISSED),
    ],
)
def test_display_and_status_never_contradict(stock_2023, shown, status):
    series = {
        ("lzb", "total"): constant(m(2022, 1), m(2022, 12), 1000)
        | constant(m(2023, 1), m(2023, 12), stock_2023)
    }
    rule = k3_rule("lte", "-2.0")
    result = judge(rule, series, 2023, as_of=m(2023, 12))
    assert rule.format(result.value.value) == shown
    assert result.status == status


def test_places_follow_the_target_value():
    rule = Rule(
        registry.get("k2"),
        Aspect.LEVEL,
        comparator="gte",
        target_value=Decimal("30.06"),
    )
    assert rule.places == 2
    assert rule.format(Decimal("30.055")) == "30,06 %"


def test_data_status_ranges():
    statuses = {m(2024, n): "t3" for n in range(1, 10)} | {
        m(2024, n): "t0" for n in range(10, 13)
    }
    ranges = status_ranges(statuses, 2024, 12)
    assert [(r.status, r.first.month, r.last.month) for r in ranges] == [
        ("t3", 1, 9),
        ("t0", 10, 12),
    ]

"""Key-figure formulas against hand-computed cases; no database needed."""

import datetime
from decimal import Decimal

import pytest

from indicators import calculations as calc


def m(year, month):
    return datetime.date(year, month, 1)


def series(first, values):
    """``{month: Decimal}`` from ``first`` on; ``None`` leaves a month out."""
    result = {}
    for offset, value in enumerate(values):
        if value is not None:
            result[calc.month_add(first, offset)] = Decimal(value)
    return result


def constant(first, last, value):
    return {month: Decimal(value) for month in calc.months_between(first, last)}


# --- months ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("month", "count", "expected"),
    [
        (m(2023, 12), 1, m(2024, 1)),
        (m(2024, 1), -1, m(2023, 12)),
        (m(2024, 3), -12, m(2023, 3)),
    ],
)
def test_month_add_crosses_year_boundaries(month, count, expected):
    assert calc.month_add(month, count) == expected


# --- year to date ----------------------------------------------------------------


def test_worked_check_of_domain_md():
    # Σ integrations Jan–Dec = 2,000; Ø eLb Dec(y−1)–Nov(y) = 8,000 → 25.0 %.
    integrations = series(m(2023, 1), [160] * 11 + [240])
    elb = constant(m(2022, 12), m(2023, 11), 8000)
    assert calc.ytd_quota(integrations, elb, 2023, 12).value == Decimal(25)


def test_ytd_quota_in_march_uses_december_to_february_stock():
    integrations = series(m(2024, 1), [100, 120, 80])
    elb = series(m(2023, 12), [1000, 1100, 900])  # Dec, Jan, Feb
    # 300 ÷ 1000 × 100
    assert calc.ytd_quota(integrations, elb, 2024, 3).value == Decimal(30)


def test_ytd_quota_in_january_crosses_the_year():
    integrations = series(m(2024, 1), [50])
    elb = series(m(2023, 12), [1000])
    assert calc.ytd_quota(integrations, elb, 2024, 1).value == Decimal(5)


def test_missing_month_is_never_zero_and_is_named():
    integrations = series(m(2024, 1), [100, None, 80])
    elb = series(m(2023, 12), [1000, 1100, 900])
    outcome = calc.ytd_quota(integrations, elb, 2024, 3)
    assert outcome.value is None
    assert outcome.missing == (m(2024, 2),)
    assert outcome.reason == calc.MISSING_MONTHS


def test_missing_months_of_both_series_are_named():
    outcome = calc.ytd_quota(series(m(2024, 1), [1]), {}, 2024, 1)
    assert outcome.missing == (m(2023, 12),)


def test_zero_denominator_is_not_computable():
    outcome = calc.ytd_quota(series(m(2024, 1), [5]), series(m(2023, 12), [0]), 2024, 1)
    assert outcome.value is None
    assert outcome.reason == calc.ZERO_DENOMINATOR
    assert outcome.missing == ()


def test_zero_denominator_survives_a_change():
    current = calc.Outcome(Decimal(10))
    previous = calc.Outcome(None, reason=calc.ZERO_DENOMINATOR)
    assert calc.relative_change(current, previous).reason == calc.ZERO_DENOMINATOR


@pytest.mark.parametrize(
    ("previous", "current", "expected"),
    [
        # Coesfeld 2014: K2 22.5 % → 25.4 % is +12.9 % (relative, not points).
        ("22.5", "25.4", "12.9"),
        ("100", "94.8", "-5.2"),
        ("3489", "3506.445", "0.5"),
        ("50", "50", "0.0"),
    ],
)
def test_relative_change_in_per_cent(previous, current, expected):
    outcome = calc.relative_change(
        calc.Outcome(Decimal(current)), calc.Outcome(Decimal(previous))
    )
    assert outcome.value.quantize(Decimal("0.1")) == Decimal(expected)


def test_absolute_integrations_against_previous_year_to_june():
    integrations = series(m(2022, 1), [100] * 12 + [110] * 5 + [120])
    # 2022 Jan–Jun: 600; 2023 Jan–Jun: 5×110 + 120 = 670 → +11.666… %
    outcome = calc.ytd_total_change(integrations, 2023, 6)
    assert outcome.value.quantize(Decimal("0.01")) == Decimal("11.67")


def test_k3_average_stock_lower_is_better():
    ltr = series(m(2022, 1), [1000, 1000, 1000] + [0] * 9 + [950, 940, 960])
    # Ø Q1 2023 = 950, Ø Q1 2022 = 1000 → −5.0 %
    assert calc.ytd_average_change(ltr, 2023, 3).value == Decimal("-5")


def test_annual_average_needs_all_twelve_months():
    households = constant(m(2014, 1), m(2014, 11), 4400)
    outcome = calc.ytd_average(households, 2014, 12)
    assert outcome.missing == (m(2014, 12),)
    households[m(2014, 12)] = Decimal(4400)
    assert calc.ytd_average(households, 2014, 12).value == Decimal(4400)


def test_women_men_gap_in_percentage_points():
    men = (series(m(2023, 1), [30]), series(m(2022, 12), [100]))  # 30 %
    women = (series(m(2023, 1), [20]), series(m(2022, 12), [100]))  # 20 %
    assert calc.ytd_quota_gap(men, women, 2023, 1).value == Decimal(10)


def test_gap_change_compares_with_previous_year():
    men = (series(m(2022, 1), [30] + [0] * 11 + [33]), series(m(2021, 12), [100] * 13))
    women = (
        series(m(2022, 1), [20] + [0] * 11 + [21]),
        series(m(2021, 12), [100] * 13),
    )
    # gap Jan 2022: 10 pp; gap Jan 2023: 12 pp → +2 pp (wider: worse)
    assert calc.ytd_quota_gap_change(men, women, 2023, 1).value == Decimal(2)


# --- rolling figures --------------------------------------------------------------


def test_rolling_k2_sums_twelve_months_over_previous_twelve_stock():
    integrations = constant(m(2023, 1), m(2023, 12), 150)  # Σ = 1,800
    elb = constant(m(2022, 12), m(2023, 11), 8000)
    assert calc.rolling_quota(integrations, elb, m(2023, 12)).value == Decimal("22.5")


def test_rolling_k2_with_fewer_than_twelve_months_is_not_computable():
    integrations = constant(m(2023, 6), m(2023, 12), 150)
    elb = constant(m(2022, 12), m(2023, 11), 8000)
    outcome = calc.rolling_quota(integrations, elb, m(2023, 12))
    assert outcome.missing == tuple(calc.months_between(m(2023, 1), m(2023, 5)))


def test_rolling_k3_change_of_stock_on_previous_year():
    ltr = {m(2022, 12): Decimal(3489), m(2023, 12): Decimal("3307.572")}
    assert calc.change_on_previous_year(ltr, m(2023, 12)).value.quantize(
        Decimal("0.1")
    ) == Decimal("-5.2")


def test_land_total_sums_numerators_and_denominators_not_quotas():
    # Provider A: 10 of 100 (10 %); provider B: 90 of 300 (30 %).
    # Land: 100 of 400 = 25 %, not the average of quotas (20 %).
    flows = [series(m(2023, 1), [10]), series(m(2023, 1), [90])]
    stocks = [series(m(2022, 12), [100]), series(m(2022, 12), [300])]
    quota = calc.ytd_quota(calc.sum_series(flows), calc.sum_series(stocks), 2023, 1)
    assert quota.value == Decimal(25)


def test_land_total_needs_every_provider_for_a_month():
    flows = [series(m(2023, 1), [10, 20]), series(m(2023, 1), [90])]
    total = calc.sum_series(flows)
    assert total == {m(2023, 1): Decimal(100)}
    assert calc.ytd_total(total, 2023, 2).missing == (m(2023, 2),)


@pytest.mark.parametrize(
    ("value", "jumps"),
    [
        ("70", False),  # −30 %: exactly at the limit, not more
        ("69.99", True),
        ("71", False),
        ("100", False),
        ("129", False),
        ("130", False),
        ("130.01", True),
        ("0", True),
    ],
)
def test_a_jump_of_more_than_30_percent_against_100(value, jumps):
    """Hand-computed around both limits; the shortcut between 71 and 129 and
    the exact division outside it agree."""
    from indicators import validation

    found = validation.implausible_jumps(Decimal(value), [("Vormonat", Decimal(100))])
    assert bool(found) is jumps


def test_no_reference_or_a_zero_reference_is_no_jump():
    from indicators import validation

    assert validation.implausible_jumps(Decimal(5), [("Vormonat", Decimal(0))]) == []
    assert validation.implausible_jumps(Decimal(5), []) == []


@pytest.mark.parametrize(
    ("value", "previous", "last_year", "expected"),
    [
        ("100", "100", "100", []),
        ("100", None, None, []),
        ("100", "0", None, []),
        ("131", "100", None, ["+31,0 % gegenüber Vormonat (100)"]),
        ("131", None, "100", ["+31,0 % gegenüber Vorjahresmonat (100)"]),
        ("130", "100", "100", []),
        (
            "69",
            "100",
            "200",
            [
                "\u221231,0 % gegenüber Vormonat (100)",
                "\u221265,5 % gegenüber Vorjahresmonat (200)",
            ],
        ),
        ("120", "100", "200", ["\u221240,0 % gegenüber Vorjahresmonat (200)"]),
    ],
)
def test_jumps_against_the_month_before_and_a_year_earlier(
    value, previous, last_year, expected
):
    """Hand-computed; the import's shortcut says what the grid's rule says."""
    from indicators import validation

    def number(text):
        return None if text is None else Decimal(text)

    args = (number(value), number(previous), number(last_year))
    found = [str(m) for m in validation.jumps_against(*args)]
    assert found == expected
    references = validation.jump_references(args[1], args[2])
    assert found == [str(m) for m in validation.implausible_jumps(args[0], references)]

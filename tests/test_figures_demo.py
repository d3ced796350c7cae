"""Demo figures: deterministic and faithful to Coesfeld's 2014 agreement."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum

from indicators.demo import load_demo_figures, months, provider_series
from indicators.models import MonthlyValue, MonthlyValueChange, ReportingMonth
from indicators.months import add_months


def d(year, month):
    return datetime.date(year, month, 1)


COESFELD = provider_series("05558")
BORKEN = provider_series("05554")


def test_series_cover_december_2012_to_december_2024():
    assert months()[0] == d(2012, 12)
    assert months()[-1] == d(2024, 12)
    assert all(len(series) == 145 for series in COESFELD.values())


def test_demo_figures_are_deterministic():
    assert provider_series("05558") == COESFELD


def test_coesfeld_k2_in_december_2013_is_about_22_5_percent():
    integrations = sum(COESFELD["integrationen"][d(2013, m)] for m in range(1, 13))
    elb = [COESFELD["elb"][add_months(d(2013, m), -1)] for m in range(1, 13)]
    k2 = Decimal(integrations) / (Decimal(sum(elb)) / 12) * 100
    assert abs(k2 - Decimal("22.5")) < Decimal("0.05")
    assert 1850 <= integrations <= 1950
    assert all(8000 <= value <= 9000 for value in elb)


def test_coesfeld_matches_the_2014_agreement_baselines():
    assert COESFELD["lzb"][d(2013, 12)] == 3489
    year = [d(2013, m) for m in range(1, 13)]
    assert sum(COESFELD["bg"][m] for m in year) / 12 == 4400
    assert sum(COESFELD["arbeitslose_u25"][m] for m in year) / 12 == 185


def test_borken_rises_with_the_refugees_from_mid_2022():
    values = BORKEN["elb"].values()
    assert min(values) >= 11_000
    assert max(values) <= 16_000
    assert BORKEN["elb"][d(2023, 6)] > BORKEN["elb"][d(2022, 5)] * Decimal("1.2")


@pytest.mark.django_db
def test_load_demo_figures_is_idempotent_and_splits_add_up(coesfeld, borken):
    count = load_demo_figures(say=lambda message: None)
    # six elements split by sex (3 values), four totals only, 145 months
    assert count == 2 * 145 * (6 * 3 + 4)
    assert load_demo_figures(say=lambda message: None) == 0
    assert MonthlyValue.objects.count() == count
    assert MonthlyValueChange.objects.count() == count
    assert ReportingMonth.objects.filter(data_status="t0").count() == 2 * 3
    women_and_men = MonthlyValue.objects.filter(
        provider=coesfeld, element__code="elb", month=d(2013, 12)
    ).exclude(sex="total")
    total = MonthlyValue.objects.get(
        provider=coesfeld, element__code="elb", month=d(2013, 12), sex="total"
    )
    assert women_and_men.aggregate(s=Sum("value"))["s"] == total.value


def test_coesfeld_sgb2_unemployment_rate_of_2013_is_the_agreed_one():
    from indicators import registry

    rate = registry.get("alq_sgb2").measure
    series = {(code, "total"): values for code, values in COESFELD.items()}
    value = rate.level(series, 2013, 12).value
    assert round(value, 1) == Decimal("1.7")

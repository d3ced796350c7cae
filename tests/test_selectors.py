"""Loading series for the calculations: one query, plain dicts."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from indicators import calculations as calc
from indicators.elements import ensure_default_elements
from indicators.models import DataElement, DataStatus, MonthlyValue, Sex, Source
from indicators.selectors import series_for

pytestmark = pytest.mark.django_db


def _value(provider, month, code, value, sex=Sex.TOTAL):
    MonthlyValue.objects.create(
        provider=provider,
        month=month,
        element=DataElement.objects.get(code=code),
        sex=sex,
        value=Decimal(value),
        data_status=DataStatus.FINAL,
        source=Source.MANUAL,
        changed_at=timezone.now(),
    )


def test_series_for_loads_all_series_in_one_query(
    coesfeld, borken, django_assert_num_queries
):
    ensure_default_elements()
    dec, jan = datetime.date(2022, 12, 1), datetime.date(2023, 1, 1)
    _value(coesfeld, dec, "elb", 1000)
    _value(coesfeld, jan, "integrationen", 50)
    _value(borken, jan, "integrationen", 70)
    _value(borken, jan, "integrationen", 30, sex=Sex.WOMEN)
    _value(coesfeld, datetime.date(2021, 1, 1), "integrationen", 99)  # outside
    with django_assert_num_queries(1):
        series = series_for(
            [coesfeld, borken.pk],
            ["elb", "integrationen"],
            dec,
            datetime.date(2023, 12, 1),
        )
    assert series[(coesfeld.pk, "elb", "total")] == {dec: Decimal(1000)}
    assert series[(borken.pk, "integrationen", "women")] == {jan: Decimal(30)}
    quota = calc.ytd_quota(
        series[(coesfeld.pk, "integrationen", "total")],
        series[(coesfeld.pk, "elb", "total")],
        2023,
        1,
    )
    assert quota.value == Decimal(5)


def test_pooled_series_of_several_groups_in_one_query(
    coesfeld, borken, django_assert_num_queries
):
    """Each group sums its own providers; a month missing for one is left out."""
    from indicators.selectors import pooled_series_by_group, pooled_series_for

    ensure_default_elements()
    jan, feb = datetime.date(2023, 1, 1), datetime.date(2023, 2, 1)
    _value(coesfeld, jan, "integrationen", 50)
    _value(borken, jan, "integrationen", 70)
    _value(coesfeld, feb, "integrationen", 40)  # Borken has no February
    groups = {"both": [coesfeld, borken], "coesfeld": [coesfeld.pk], "none": []}
    with django_assert_num_queries(1):
        pooled = pooled_series_by_group(groups, {"integrationen"}, jan, feb)
    key = ("integrationen", Sex.TOTAL)
    assert pooled["both"][key] == {jan: Decimal(120)}
    assert pooled["coesfeld"][key] == {jan: Decimal(50), feb: Decimal(40)}
    assert pooled["none"] == {}
    for name in ("both", "coesfeld"):
        alone = pooled_series_for(groups[name], {"integrationen"}, jan, feb)
        assert alone == pooled[name]

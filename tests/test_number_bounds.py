"""Numbers the database can hold: the probe's values are refused at the field
(grid) or as a bad row (import), on SQLite as on PostgreSQL, and no page
answers 500 afterwards."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from agreements.models import Agreement
from indicators.import_service import figures_import
from indicators.models import DataElement, MonthlyValue
from indicators.months import month_key
from zielsteuerung import bounds

pytestmark = pytest.mark.django_db

TOO_BIG = ["99.999.999.999.999,99", "12.345.678.901.234,56"]
LARGEST = "9.999.999.999.999,99"
MONTH = datetime.date(2023, 1, 1)


def _grid(client, provider):
    return reverse("indicators:grid", args=[provider.regional_key, MONTH])


def _post(client, provider, value):
    url = _grid(client, provider)
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {name: "" if value is None else value for name, value in data.items()}
    data["v-llu_eur-total"] = value
    data["c-llu_eur"] = "Test"
    return client.post(url, data)


def _pages(provider, agreement):
    key = provider.regional_key
    return [
        "/",
        _grid(None, provider),
        f"/monatswerte/{key}/2023/",
        f"/monatswerte/{key}/2023.csv",
        f"/monatswerte/{key}/2023.xlsx",
        f"/zielvereinbarungen/{agreement.pk}/fortschritt/",
    ]


@pytest.fixture
def agreement_2023(coesfeld):
    from agreements import services

    return services.agreement_create(provider=coesfeld, year=2023)


@pytest.mark.parametrize("value", TOO_BIG)
def test_grid_refuses_values_the_column_cannot_hold(
    client_for, coesfeld_user, ministry_user, coesfeld, value, agreement_2023
):
    client = client_for(coesfeld_user)
    response = _post(client, coesfeld, value)
    assert response.status_code == 200
    errors = response.context["form"].errors["v-llu_eur-total"]
    assert errors == ["Der Wert ist zu groß: höchstens 9.999.999.999.999,99."]
    assert not MonthlyValue.objects.exists()
    for url in _pages(coesfeld, agreement_2023):
        assert client.get(url).status_code == 200, url
    ministry = client_for(ministry_user)
    assert ministry.get("/").status_code == 200
    assert ministry.get("/uebersicht/2023/").status_code == 200


@pytest.mark.parametrize("value", TOO_BIG)
def test_import_reports_a_bad_row_for_values_the_column_cannot_hold(
    coesfeld_user, coesfeld, value
):
    content = (
        "regionalschluessel;monat;merkmal;geschlecht;wert;datenstand\r\n"
        f"05558;2023-01;llu_eur;insgesamt;{value};t3\r\n"
    ).encode()
    report = figures_import(
        content=content, file_name="x.csv", acting_user=coesfeld_user
    )
    (error,) = report.errors
    assert (error.line, error.column) == (2, "wert")
    assert "zu groß" in error.reason
    assert not MonthlyValue.objects.exists()


def test_largest_value_is_stored_exactly_and_every_page_still_works(
    client_for, coesfeld_user, ministry_user, coesfeld, agreement_2023
):
    client = client_for(coesfeld_user)
    response = _post(client, coesfeld, LARGEST)
    assert response.status_code == 302
    value = MonthlyValue.objects.get(element__code="llu_eur")
    assert value.value == Decimal("9999999999999.99")
    for url in _pages(coesfeld, agreement_2023):
        assert client.get(url).status_code == 200, url
    ministry = client_for(ministry_user)
    assert ministry.get("/").status_code == 200
    assert ministry.get("/uebersicht/2023/").status_code == 200
    assert Agreement.objects.count() == 1


def test_more_than_two_decimal_places_are_refused_not_rounded(
    client_for, coesfeld_user, coesfeld
):
    response = _post(client_for(coesfeld_user), coesfeld, "1.234,567")
    assert response.context["form"].errors["v-llu_eur-total"]
    assert not MonthlyValue.objects.exists()


def test_decimal_limit_is_the_same_on_both_databases():
    field = MonthlyValue._meta.get_field("value")
    assert bounds.decimal_limit(field) == Decimal("9999999999999.99")
    assert month_key(MONTH) == "2023-01"


def test_admin_refuses_a_position_beyond_the_column(admin_client):
    element = DataElement.objects.get(code="elb")
    url = reverse("admin:indicators_dataelement_change", args=[element.pk])
    data = {
        "code": "elb",
        "name": element.name,
        "short_name": element.short_name,
        "unit": element.unit,
        "split_by_sex": "on",
        "position": "40000",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "kleiner oder gleich 32767" in response.content.decode()
    data["position"] = "3"
    assert admin_client.post(url, data).status_code == 302

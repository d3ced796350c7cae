"""Index page, year overview and its XLSX/CSV exports, with the three users."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from indicators import services
from indicators.models import DataElement

pytestmark = pytest.mark.django_db


def year_url(provider, year=2023):
    return reverse("indicators:year", args=[provider.regional_key, year])


def export_url(provider, fmt, year=2023):
    return reverse("indicators:year_export", args=[provider.regional_key, year, fmt])


def fill(provider, user, month, **values):
    elements = {e.code: e for e in DataElement.objects.all()}
    version = services.reporting_month_for(provider, month).version
    services.month_values_save(
        provider=provider,
        month=month,
        values={
            (elements[code], "total"): Decimal(value) for code, value in values.items()
        },
        data_status="t3",
        version=version,
        acting_user=user,
    )


def test_index_lists_visible_providers_for_the_ministry(
    client_for, ministry_user, coesfeld, borken
):
    response = client_for(ministry_user).get(reverse("indicators:index"))
    assert response.status_code == 200
    assert list(response.context["providers"]) == [borken, coesfeld]


def test_index_sends_provider_users_to_their_own_year(
    client_for, coesfeld_user, borken, coesfeld
):
    response = client_for(coesfeld_user).get(reverse("indicators:index"))
    assert response.status_code == 302
    assert response.url.startswith("/monatswerte/05558/")


def test_year_overview_three_users(
    client_for, ministry_user, coesfeld_user, borken_user, coesfeld
):
    assert client_for(ministry_user).get(year_url(coesfeld)).status_code == 200
    assert client_for(coesfeld_user).get(year_url(coesfeld)).status_code == 200
    assert client_for(borken_user).get(year_url(coesfeld)).status_code == 404


def test_year_overview_shows_status_values_and_links(
    client_for, coesfeld_user, coesfeld
):
    fill(coesfeld, coesfeld_user, datetime.date(2023, 3, 1), elb="8512", lzb="3489")
    response = client_for(coesfeld_user).get(year_url(coesfeld))
    rows = response.context["rows"]
    assert [row.status for row in rows[:4]] == ["missing", "missing", "t3", "missing"]
    content = response.content.decode()
    assert "8.512" in content
    assert "3.489" in content
    assert "Thomas" in content or coesfeld_user.username in content
    assert (
        reverse("indicators:grid", args=["05558", datetime.date(2023, 3, 1)]) in content
    )


def test_year_overview_query_count_does_not_grow_with_data(
    client_for, coesfeld_user, coesfeld, django_assert_num_queries
):
    client = client_for(coesfeld_user)
    client.get(year_url(coesfeld))
    with django_assert_num_queries(6):  # the user is loaded with organisation
        client.get(year_url(coesfeld))
    for number in range(1, 13):
        fill(
            coesfeld,
            coesfeld_user,
            datetime.date(2023, number, 1),
            elb="8500",
            bg="4400",
        )
    with django_assert_num_queries(6):  # the user is loaded with organisation
        client.get(year_url(coesfeld))


def test_exports_three_users(
    client_for, ministry_user, coesfeld_user, borken_user, coesfeld
):
    for fmt in ("xlsx", "csv"):
        assert (
            client_for(ministry_user).get(export_url(coesfeld, fmt)).status_code == 200
        )
        assert (
            client_for(coesfeld_user).get(export_url(coesfeld, fmt)).status_code == 200
        )
        assert client_for(borken_user).get(export_url(coesfeld, fmt)).status_code == 404
    assert client_for(coesfeld_user).get(export_url(coesfeld, "pdf")).status_code == 404


def test_csv_export_is_german_excel_csv(client_for, coesfeld_user, coesfeld):
    fill(
        coesfeld, coesfeld_user, datetime.date(2023, 1, 1), elb="8512", llu_eur="1234.5"
    )
    response = client_for(coesfeld_user).get(export_url(coesfeld, "csv"))
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffMonat;Datenstand;")
    lines = text.splitlines()
    assert len(lines) == 13
    assert lines[1].startswith("2023-01;t-3;8512;")
    assert ";1234,5;" in lines[1]
    assert lines[2].startswith("2023-02;fehlt;")


def test_xlsx_export_has_numbers(client_for, coesfeld_user, coesfeld):
    fill(coesfeld, coesfeld_user, datetime.date(2023, 1, 1), elb="8512")
    response = client_for(coesfeld_user).get(export_url(coesfeld, "xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == "2023-01"
    assert sheet["C2"].value == 8512
    assert sheet.max_row == 13

"""Exports: the year's values in the import format round-trip unchanged."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from indicators.import_service import figures_import
from indicators.models import MonthlyValue, MonthlyValueChange, ReportingMonth

pytestmark = pytest.mark.django_db

HEADER = "regionalschluessel;monat;merkmal;geschlecht;wert;datenstand"
LINES = [
    "05558;2023-01;elb;insgesamt;8.512;t3",
    "05558;2023-01;elb;frauen;4300;t3",
    "05558;2023-01;elb;maenner;4212;t3",
    "05558;2023-01;llu_eur;insgesamt;1.234.567,89;t3",
    "05558;2023-01;bg;insgesamt;4400;t3",
    "05558;2023-02;elb;insgesamt;8520;t0",
    "05558;2023-02;llu_eur;insgesamt;1.234.567,80;t0",
    "05558;2022-12;elb;insgesamt;8400;t3",  # another year: not exported
]


@pytest.fixture
def figures(coesfeld, coesfeld_user):
    content = ("\r\n".join([HEADER, *LINES]) + "\r\n").encode()
    report = figures_import(
        content=content, file_name="start.csv", acting_user=coesfeld_user
    )
    assert report.ok
    assert report.record
    return report


def values_url(fmt, year=2023, key="05558"):
    return reverse("indicators:year_values_export", args=[key, year, fmt])


def snapshot():
    return (
        list(MonthlyValue.objects.order_by("pk").values_list("value", "data_status")),
        MonthlyValueChange.objects.count(),
        list(ReportingMonth.objects.order_by("pk").values_list("version", flat=True)),
    )


@pytest.mark.parametrize(("fmt", "name"), [("csv", "a.csv"), ("xlsx", "a.xlsx")])
def test_export_then_import_changes_nothing(
    client_for, coesfeld_user, figures, fmt, name
):
    before = snapshot()
    response = client_for(coesfeld_user).get(values_url(fmt))
    assert response.status_code == 200
    report = figures_import(
        content=response.content, file_name=name, acting_user=coesfeld_user
    )
    assert report.ok, report.errors
    assert (report.rows, report.created, report.changed, report.unchanged) == (
        7,
        0,
        0,
        7,
    )
    assert report.warnings == []
    assert snapshot() == before


def test_values_export_is_the_import_format_by_sex(client_for, coesfeld_user, figures):
    response = client_for(coesfeld_user).get(values_url("csv"))
    assert response["Content-Disposition"] == (
        'attachment; filename="monatswerte-05558-2023-importformat.csv"'
    )
    lines = response.content.decode("utf-8").splitlines()
    assert lines[0] == "\ufeff" + HEADER
    assert lines[1:5] == [
        "05558;2023-01;elb;insgesamt;8512;t3",
        "05558;2023-01;elb;frauen;4300;t3",
        "05558;2023-01;elb;maenner;4212;t3",
        "05558;2023-01;llu_eur;insgesamt;1234567,89;t3",
    ]
    assert "05558;2023-02;llu_eur;insgesamt;1234567,8;t0" in lines
    assert not any("2022-12" in line for line in lines)


def test_values_export_xlsx_has_number_formats_widths_and_text_keys(
    client_for, coesfeld_user, figures
):
    response = client_for(coesfeld_user).get(values_url("xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == HEADER.split(";")
    assert sheet["A2"].value == "05558"
    assert sheet["B2"].value == "2023-01"
    assert sheet["E2"].value == 8512
    assert sheet["E2"].number_format == "#,##0"
    assert sheet["E5"].value == pytest.approx(1234567.89)
    assert sheet["E5"].number_format == "#,##0.00"
    assert sheet.column_dimensions["A"].width >= len("regionalschluessel")
    assert sheet.column_dimensions["C"].width >= len("llu_eur")
    assert sheet.freeze_panes == "A2"


def test_values_export_three_users(
    client_for, ministry_user, coesfeld_user, borken_user, figures
):
    for fmt in ("csv", "xlsx"):
        assert client_for(ministry_user).get(values_url(fmt)).status_code == 200
        assert client_for(coesfeld_user).get(values_url(fmt)).status_code == 200
        assert client_for(borken_user).get(values_url(fmt)).status_code == 404
    assert client_for(coesfeld_user).get(values_url("pdf")).status_code == 404


def test_overview_export_times_are_local(client_for, coesfeld_user, figures):
    winter = datetime.datetime(2024, 1, 15, 23, 30, tzinfo=datetime.UTC)
    ReportingMonth.objects.filter(month=datetime.date(2023, 1, 1)).update(
        updated_at=winter
    )
    url = reverse("indicators:year_export", args=["05558", 2023, "csv"])
    text = client_for(coesfeld_user).get(url).content.decode("utf-8")
    assert "16.01.2024 00:30" in text  # 23:30 UTC is 00:30 in Berlin

    url = reverse("indicators:year_export", args=["05558", 2023, "xlsx"])
    sheet = load_workbook(io.BytesIO(client_for(coesfeld_user).get(url).content)).active
    last = sheet.cell(row=2, column=sheet.max_column)
    assert last.value == datetime.datetime(2024, 1, 16, 0, 30)  # noqa: DTZ001
    assert last.number_format == "DD.MM.YYYY HH:MM"
    assert sheet["C2"].number_format == "#,##0"
    assert timezone.get_current_timezone_name() == "Europe/Berlin"


def test_year_page_offers_the_import_format(client_for, coesfeld_user, figures):
    url = reverse("indicators:year", args=["05558", 2023])
    content = client_for(coesfeld_user).get(url).content.decode()
    assert values_url("csv") in content
    assert values_url("xlsx") in content
    assert MonthlyValue.objects.filter(value=Decimal("1234567.89")).exists()

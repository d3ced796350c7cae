"""Data status t-0 → t-3: every value's move is kept in its history."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from indicators import services
from indicators.import_service import figures_import
from indicators.models import DataElement, MonthlyValue, MonthlyValueChange

pytestmark = pytest.mark.django_db

JAN = datetime.date(2023, 1, 1)
HEADER = "regionalschluessel;monat;merkmal;geschlecht;wert;datenstand"


def save(provider, user, values, status, month=JAN):
    elements = {e.code: e for e in DataElement.objects.all()}
    return services.month_values_save(
        provider=provider,
        month=month,
        values={
            (elements[code], sex): Decimal(value)
            for (code, sex), value in values.items()
        },
        data_status=status,
        version=services.reporting_month_for(provider, month).version,
        acting_user=user,
    )


VALUES = {
    ("elb", "total"): "8512",
    ("elb", "women"): "4300",
    ("elb", "men"): "4212",
    ("bg", "total"): "4400",
}


def test_grid_status_change_writes_one_history_entry_per_value(coesfeld, coesfeld_user):
    save(coesfeld, coesfeld_user, VALUES, "t0")
    changed = save(coesfeld, coesfeld_user, VALUES, "t3")
    assert changed == 4
    assert set(MonthlyValue.objects.values_list("data_status", flat=True)) == {"t3"}
    moves = MonthlyValueChange.objects.filter(old_data_status="t0", data_status="t3")
    assert moves.count() == 4
    move = moves.get(monthly_value__element__code="elb", monthly_value__sex="women")
    assert (move.old_value, move.new_value) == (Decimal(4300), Decimal(4300))
    assert move.changed_by == coesfeld_user
    assert move.status_changed


def test_grid_status_change_keeps_the_comment_of_an_unchanged_value(
    coesfeld, coesfeld_user
):
    elements = {e.code: e for e in DataElement.objects.all()}
    services.month_values_save(
        provider=coesfeld,
        month=JAN,
        values={(elements["bg"], "total"): Decimal(4400)},
        comments={"bg": "Sondereffekt"},
        data_status="t0",
        version=0,
        acting_user=coesfeld_user,
    )
    save(coesfeld, coesfeld_user, {("bg", "total"): "4400"}, "t3")
    assert MonthlyValue.objects.get().comment == "Sondereffekt"


def test_import_status_change_writes_history_with_old_status(coesfeld, coesfeld_user):
    lines = [
        "05558;2023-01;elb;insgesamt;8512;{s}",
        "05558;2023-01;bg;insgesamt;4400;{s}",
    ]

    def content(status):
        text = "\r\n".join([HEADER, *(line.format(s=status) for line in lines)])
        return text.encode()

    figures_import(content=content("t0"), file_name="a.csv", acting_user=coesfeld_user)
    report = figures_import(
        content=content("t3"), file_name="b.csv", acting_user=coesfeld_user
    )
    assert (report.changed, report.unchanged) == (2, 0)
    moves = MonthlyValueChange.objects.filter(old_data_status="t0", data_status="t3")
    assert moves.count() == 2
    assert {m.source_import.file_name for m in moves} == {"b.csv"}


def test_history_page_shows_the_status_move(client_for, coesfeld, coesfeld_user):
    save(coesfeld, coesfeld_user, VALUES, "t0")
    save(coesfeld, coesfeld_user, VALUES, "t3")
    url = reverse("indicators:history", args=["05558", JAN, "elb", "insgesamt"])
    content = client_for(coesfeld_user).get(url).content.decode()
    assert "t-0 (vorläufig) → t-3 (endgültig)" in content


def test_grid_refuses_t3_back_to_t0_without_a_reason(
    client_for, coesfeld, coesfeld_user
):
    save(coesfeld, coesfeld_user, VALUES, "t3")
    url = reverse("indicators:grid", args=["05558", JAN])
    client = client_for(coesfeld_user)
    page = client.get(url)
    assert 'name="status_reason"' in page.content.decode()
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["data_status"] = "t0"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "status_reason" in response.context["form"].errors
    assert set(MonthlyValue.objects.values_list("data_status", flat=True)) == {"t3"}

    data["status_reason"] = "Die Statistik hat den Monat zurückgezogen"
    assert client.post(url, data).status_code == 302
    move = MonthlyValueChange.objects.filter(old_data_status="t3").first()
    assert move.data_status == "t0"
    assert move.reason == "Die Statistik hat den Monat zurückgezogen"


def test_service_refuses_t3_back_to_t0_without_a_reason(coesfeld, coesfeld_user):
    save(coesfeld, coesfeld_user, VALUES, "t3")
    with pytest.raises(PermissionDenied, match="nur mit Begründung"):
        save(coesfeld, coesfeld_user, VALUES, "t0")


def test_a_month_without_values_may_start_as_t0(coesfeld, coesfeld_user):
    save(coesfeld, coesfeld_user, VALUES, "t0")
    assert MonthlyValue.objects.filter(data_status="t0").count() == 4

"""The entry grid: access, validation, history, plausibility and conflicts."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from indicators import services
from indicators.models import (
    DataElement,
    MonthlyValue,
    MonthlyValueChange,
    ReportingMonth,
    Sex,
    Source,
)

pytestmark = pytest.mark.django_db

JAN = datetime.date(2023, 1, 1)
DEC = datetime.date(2022, 12, 1)


def grid_url(provider, month=JAN):
    return reverse("indicators:grid", args=[provider.regional_key, month])


def post_data(response, **values):
    """The grid's initial data (as the browser would send it) with changes."""
    form = response.context["form"]
    data = {
        name: form[name].value() if form[name].value() is not None else ""
        for name in form.fields
    }
    data.update(values)
    return data


def put(provider, month, user, code, value, sex=Sex.TOTAL):
    element = DataElement.objects.get(code=code)
    version = services.reporting_month_for(provider, month).version
    reason = "Korrektur" if user.organisation.is_ministry else ""
    services.month_values_save(
        provider=provider,
        month=month,
        values={(element, sex): Decimal(value)},
        data_status="t3",
        version=version,
        reason=reason,
        acting_user=user,
    )


# --- data elements --------------------------------------------------------------


def test_migrations_create_the_ten_data_elements():
    codes = list(DataElement.objects.values_list("code", flat=True))
    assert codes == [
        "elb",
        "integrationen",
        "lzb",
        "lzb_integrationen",
        "llu_eur",
        "luh_eur",
        "bg",
        "arbeitslose",
        "arbeitslose_u25",
        "erwerbspersonen",
    ]
    elb = DataElement.objects.get(code="elb")
    assert elb.unit == "persons"
    assert elb.split_by_sex
    assert DataElement.objects.get(code="llu_eur").unit == "eur"
    assert not DataElement.objects.get(code="bg").split_by_sex


# --- the three users ------------------------------------------------------------


def test_own_provider_user_opens_grid_and_may_edit(client_for, coesfeld_user, coesfeld):
    response = client_for(coesfeld_user).get(grid_url(coesfeld))
    assert response.status_code == 200
    assert response.context["can_edit"] is True
    assert "reason" not in response.context["form"].fields
    content = response.content.decode()
    assert "Januar 2023" in content
    assert 'name="v-elb-women"' in content
    assert 'name="v-bg-women"' not in content  # bg is not split by sex


def test_ministry_user_opens_grid_and_must_give_a_reason(
    client_for, ministry_user, coesfeld
):
    client = client_for(ministry_user)
    response = client.get(grid_url(coesfeld))
    assert response.status_code == 200
    assert response.context["can_edit"] is True
    data = post_data(response, **{"v-elb-total": "8500"})
    response = client.post(grid_url(coesfeld), data)
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert not MonthlyValue.objects.exists()

    data["reason"] = "Meldung des Trägers vom 3.2. korrigiert"
    response = client.post(grid_url(coesfeld), data)
    assert response.status_code == 302
    change = MonthlyValueChange.objects.get()
    assert change.reason == "Meldung des Trägers vom 3.2. korrigiert"
    assert change.changed_by == ministry_user


def test_other_provider_user_gets_404_for_grid(client_for, borken_user, coesfeld):
    client = client_for(borken_user)
    assert client.get(grid_url(coesfeld)).status_code == 404
    assert client.post(grid_url(coesfeld), {}).status_code == 404


def test_reader_sees_grid_without_inputs_and_cannot_post(
    client_for, ministry_reader, coesfeld
):
    client = client_for(ministry_reader)
    response = client.get(grid_url(coesfeld))
    assert response.status_code == 200
    assert response.context["can_edit"] is False
    assert 'name="v-elb-total"' not in response.content.decode()
    assert client.post(grid_url(coesfeld), {}).status_code == 403


def test_grid_needs_login(client, coesfeld):
    response = client.get(grid_url(coesfeld))
    assert response.status_code == 302
    assert response.url.startswith("/anmelden/")


# --- saving and validation ------------------------------------------------------


def test_grid_saves_german_and_plain_notation_with_history(
    client_for, coesfeld_user, coesfeld
):
    client = client_for(coesfeld_user)
    data = post_data(
        client.get(grid_url(coesfeld)),
        **{
            "v-elb-total": "8.512",
            "v-elb-women": "4300",
            "v-elb-men": "4.212",
            "v-llu_eur-total": "1.234.567,89",
            "v-luh_eur-total": "987654.32",
            "data_status": "t3",
        },
    )
    response = client.post(grid_url(coesfeld), data)
    assert response.status_code == 302
    values = {
        (v.element.code, v.sex): v.value
        for v in MonthlyValue.objects.select_related("element")
    }
    assert values == {
        ("elb", "total"): Decimal(8512),
        ("elb", "women"): Decimal(4300),
        ("elb", "men"): Decimal(4212),
        ("llu_eur", "total"): Decimal("1234567.89"),
        ("luh_eur", "total"): Decimal("987654.32"),
    }
    reporting = ReportingMonth.objects.get()
    assert (reporting.version, reporting.data_status) == (1, "t3")
    assert MonthlyValueChange.objects.count() == 5
    assert set(MonthlyValue.objects.values_list("source", flat=True)) == {"manual"}

    page = client.get(grid_url(coesfeld)).content.decode()
    assert 'value="8.512"' in page  # with thousands separators, as typed
    assert 'value="1.234.567,89"' in page


def test_history_records_old_and_new_value_with_source(
    client_for, coesfeld_user, coesfeld
):
    put(coesfeld, JAN, coesfeld_user, "elb", "8500")
    put(coesfeld, JAN, coesfeld_user, "elb", "8600")
    changes = list(
        MonthlyValueChange.objects.order_by("pk").values_list(
            "old_value", "new_value", "source", "changed_by"
        )
    )
    assert changes == [
        (None, Decimal(8500), Source.MANUAL, coesfeld_user.pk),
        (Decimal(8500), Decimal(8600), Source.MANUAL, coesfeld_user.pk),
    ]
    url = reverse("indicators:history", args=["05558", JAN, "elb", "insgesamt"])
    response = client_for(coesfeld_user).get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert "8.500" in content
    assert "8.600" in content
    assert "Eingabe" in content
    assert url in client_for(coesfeld_user).get(grid_url(coesfeld)).content.decode()


def test_history_three_users(
    client_for, ministry_user, coesfeld_user, borken_user, coesfeld
):
    put(coesfeld, JAN, coesfeld_user, "elb", "8500")
    url = reverse("indicators:history", args=["05558", JAN, "elb", "frauen"])
    assert client_for(ministry_user).get(url).status_code == 200
    assert client_for(coesfeld_user).get(url).status_code == 200
    assert client_for(borken_user).get(url).status_code == 404
    bad = reverse("indicators:history", args=["05558", JAN, "bg", "frauen"])
    assert client_for(coesfeld_user).get(bad).status_code == 404


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("v-elb-total", "-5", "nicht negativ"),
        ("v-elb-total", "12,5", "ganze Zahl"),
        ("v-elb-total", "zwölf", "keine Zahl"),
        ("v-llu_eur-total", "12,345", "zwei Nachkommastellen"),
    ],
)
def test_bad_input_is_reported_at_the_field_and_kept(
    client_for, coesfeld_user, coesfeld, field, typed, message
):
    client = client_for(coesfeld_user)
    data = post_data(
        client.get(grid_url(coesfeld)), **{field: typed, "v-bg-total": "4.400"}
    )
    response = client.post(grid_url(coesfeld), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    assert form[field].value() == typed
    assert form["v-bg-total"].value() == "4.400"  # nothing typed is lost
    assert not MonthlyValue.objects.exists()


def test_women_and_men_must_not_exceed_the_total(client_for, coesfeld_user, coesfeld):
    client = client_for(coesfeld_user)
    data = post_data(
        client.get(grid_url(coesfeld)),
        **{"v-elb-total": "100", "v-elb-women": "60", "v-elb-men": "50"},
    )
    response = client.post(grid_url(coesfeld), data)
    errors = response.context["form"].errors
    assert "mehr als insgesamt" in errors["v-elb-women"][0]
    assert "mehr als insgesamt" in errors["v-elb-men"][0]
    assert not MonthlyValue.objects.exists()


def test_jump_of_more_than_30_percent_needs_a_comment(
    client_for, coesfeld_user, coesfeld
):
    put(coesfeld, DEC, coesfeld_user, "integrationen", "150")
    client = client_for(coesfeld_user)
    response = client.get(grid_url(coesfeld))
    assert "Vormonat" in response.content.decode()
    data = post_data(response, **{"v-integrationen-total": "210"})  # +40 %
    response = client.post(grid_url(coesfeld), data)
    form = response.context["form"]
    # A warning at the value, the error at the comment it needs.
    assert "v-integrationen-total" not in form.errors
    assert "+40,0 % gegenüber Vormonat (150)" in form.warnings["v-integrationen-total"]
    assert "begründen" in form.errors["c-integrationen"][0]
    assert not MonthlyValue.objects.filter(month=JAN).exists()

    data["c-integrationen"] = "Sondereffekt: Saisonstart im Gartenbau"
    response = client.post(grid_url(coesfeld), data)
    assert response.status_code == 302
    value = MonthlyValue.objects.get(month=JAN)
    assert value.comment == "Sondereffekt: Saisonstart im Gartenbau"
    assert value.changes.get().reason == "Sondereffekt: Saisonstart im Gartenbau"


def test_jump_within_30_percent_needs_no_comment(client_for, coesfeld_user, coesfeld):
    put(coesfeld, DEC, coesfeld_user, "integrationen", "150")
    client = client_for(coesfeld_user)
    data = post_data(client.get(grid_url(coesfeld)), **{"v-integrationen-total": "195"})
    assert client.post(grid_url(coesfeld), data).status_code == 302


def test_saved_value_cannot_be_emptied(client_for, coesfeld_user, coesfeld):
    put(coesfeld, JAN, coesfeld_user, "elb", "8500")
    client = client_for(coesfeld_user)
    data = post_data(client.get(grid_url(coesfeld)), **{"v-elb-total": ""})
    response = client.post(grid_url(coesfeld), data)
    assert "nicht geleert" in response.context["form"].errors["v-elb-total"][0]


def test_grid_shows_previous_month_and_last_year(client_for, coesfeld_user, coesfeld):
    put(coesfeld, DEC, coesfeld_user, "elb", "8400")
    put(coesfeld, datetime.date(2022, 1, 1), coesfeld_user, "elb", "9100")
    content = client_for(coesfeld_user).get(grid_url(coesfeld)).content.decode()
    assert "Vormonat: 8.400" in content
    assert "Vorjahr: 9.100" in content


def test_grid_links_to_previous_and_next_month(client_for, coesfeld_user, coesfeld):
    content = client_for(coesfeld_user).get(grid_url(coesfeld)).content.decode()
    assert grid_url(coesfeld, DEC) in content
    assert grid_url(coesfeld, datetime.date(2023, 2, 1)) in content


def test_grid_query_count_does_not_grow_with_data(
    client_for, coesfeld_user, coesfeld, django_assert_num_queries
):
    client = client_for(coesfeld_user)
    client.get(grid_url(coesfeld))  # warm up the session
    cache.clear()
    # Session, user with organisation, provider, month, version, stored page;
    # then the grid's values and elements, and the cache's write.
    with django_assert_num_queries(13):
        client.get(grid_url(coesfeld))
    for month in (JAN, DEC, datetime.date(2022, 1, 1)):
        for code in ("elb", "lzb", "bg", "integrationen"):
            put(coesfeld, month, coesfeld_user, code, "100")
    with django_assert_num_queries(13):
        client.get(grid_url(coesfeld))
    with django_assert_num_queries(6):  # from the shared cache
        client.get(grid_url(coesfeld))


# --- two users, one month -------------------------------------------------------


def test_second_save_over_a_newer_change_is_refused_and_shows_the_other_values(
    client_for, coesfeld_user, coesfeld
):
    client = client_for(coesfeld_user)
    opened = post_data(client.get(grid_url(coesfeld)))  # version 0

    # Meanwhile a colleague saves the month.
    put(coesfeld, JAN, coesfeld_user, "elb", "8500")
    put(coesfeld, JAN, coesfeld_user, "bg", "4400")

    mine = {**opened, "v-elb-total": "8450", "v-lzb-total": "3489"}
    response = client.post(grid_url(coesfeld), mine)
    assert response.status_code == 200
    assert response.context["conflict"] is True
    assert "Jemand anderes" in response.content.decode()
    # Nothing overwritten, nothing of mine saved.
    assert MonthlyValue.objects.get(element__code="elb").value == Decimal(8500)
    assert not MonthlyValue.objects.filter(element__code="lzb").exists()
    # I see the other's value beside mine; the blank field takes theirs.
    form = response.context["form"]
    assert form["v-elb-total"].value() == "8450"
    assert form["v-bg-total"].value() == "4.400"
    assert "Inzwischen gespeichert: 8.500" in response.content.decode()
    assert form["version"].value() == "2"

    # Saving again on purpose now works.
    response = client.post(grid_url(coesfeld), dict(form.data.items()))
    assert response.status_code == 302
    assert MonthlyValue.objects.get(element__code="elb").value == Decimal(8450)
    assert MonthlyValue.objects.get(element__code="lzb").value == Decimal(3489)
    assert ReportingMonth.objects.get().version == 3


# --- how the grid reads ---------------------------------------------------------


def test_a_jump_is_shown_as_a_warning_and_the_summary_links_to_the_comment(
    client_for, coesfeld_user, coesfeld
):
    put(coesfeld, DEC, coesfeld_user, "integrationen", "150")
    client = client_for(coesfeld_user)
    data = post_data(client.get(grid_url(coesfeld)), **{"v-integrationen-total": "210"})
    content = client.post(grid_url(coesfeld), data).content.decode()
    assert "<title>Fehler: Monatswerte Januar 2023" in content
    summary = content[content.index("data-error-summary") :]
    summary = summary[: summary.index("</div>")]
    assert 'href="#id_c-integrationen"' in summary
    assert "Bitte begründen Sie die auffällige Veränderung von Integrationen" in summary
    (value_input,) = re.findall(
        r'<input[^>]*name="v-integrationen-total"[^>]*>', content
    )
    assert "border-warning" in value_input
    assert "is-invalid" not in value_input
    assert 'id="id_v-integrationen-total-warn"' in content
    assert "Hinweis:</span> Auffällige Veränderung: +40,0 %" in content


def test_a_valid_page_has_no_error_summary(client_for, coesfeld_user, coesfeld):
    content = client_for(coesfeld_user).get(grid_url(coesfeld)).content.decode()
    assert "data-error-summary" not in content
    assert "<title>Fehler:" not in content


def test_history_links_are_out_of_the_tab_order_but_the_month_history_is_not(
    client_for, coesfeld_user, coesfeld
):
    put(coesfeld, JAN, coesfeld_user, "elb", "8500")
    content = client_for(coesfeld_user).get(grid_url(coesfeld)).content.decode()
    history = reverse("indicators:history", args=["05558", JAN, "elb", "insgesamt"])
    assert f'<a tabindex="-1" href="{history}">' in content
    month_history = reverse("indicators:month_history", args=["05558", JAN])
    assert f'href="{month_history}">Verlauf des Monats</a>' in content


def test_each_cell_has_a_label_that_the_narrow_layout_shows(
    client_for, coesfeld_user, coesfeld
):
    content = client_for(coesfeld_user).get(grid_url(coesfeld)).content.decode()
    assert (
        '<label class="cell-label" for="id_v-elb-women"><span class="visually-hidden">'
        "Erwerbsfähige Leistungsberechtigte (eLb) – </span>Frauen</label>"
    ) in content

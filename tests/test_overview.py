"""The ministry's overview: three users, Land total, filters, fixed query count."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import strip_tags

from agreements import services
from agreements.models import Agreement, LandTarget, Target
from agreements.overview import year_overview
from agreements.progress_views import FRAGMENT_SLOT, overview_fragment
from tests import factories
from tests.conftest import SIGNATURES, months, scanned_upload
from zielsteuerung.accounts.models import Organisation

pytestmark = pytest.mark.django_db

URL = reverse("overview", args=[2023])


def _provider(ministry, number):
    return Organisation.objects.create(
        kind="provider",
        name=f"Kreis Nummer {number:02d}",
        short_name=f"Nr. {number:02d}",
        regional_key=f"059{number:02d}",
        supervisor=ministry,
    )


def _agreement_with_figures(provider, put_figures, integrations_2023):
    """Integrations +x % against 2022 and the K2 quota, for one provider."""
    agreement = factories.agreement(provider, 2023)
    goal = factories.goal(agreement)
    factories.change_target(goal, "integrationen", "12.6")
    factories.level_target(goal, "k2", 10)
    _figures(provider, put_figures, integrations_2023)
    return agreement


def _figures(provider, put_figures, integrations_2023):
    put_figures(
        provider,
        "integrationen",
        months(2022, 1, 12, 100) | months(2023, 1, 6, integrations_2023),
    )
    put_figures(provider, "elb", months(2021, 12, 19, 10000))


def test_ministry_sees_every_provider_and_the_land_total(
    client_for, ministry_user, coesfeld, borken, put_figures
):
    _agreement_with_figures(coesfeld, put_figures, 110)  # +10 %: at risk
    _agreement_with_figures(borken, put_figures, 130)  # +30 %: on track
    response = client_for(ministry_user).get(URL)
    assert response.status_code == 200
    overview = response.context["overview"]
    assert [row.provider_pk for row in overview.rows] == [borken.pk, coesfeld.pk]
    totals = {cell.column.indicator: cell for cell in overview.land_rows[0].cells}
    # Land: (6×110 + 6×130) ÷ (6×100 + 6×100) − 1 = +20 %
    assert totals["integrationen"].text == "+20,0 %"
    # Land JFW K2 by June: 1,440 ÷ 20,000 × 100 = 7.2 % (not the mean of quotas)
    assert totals["k2"].text == "7,2 %"
    content = response.content.decode()
    assert "Land insgesamt" in content
    assert "gefährdet" in content
    assert "auf Kurs" in content
    progress = reverse("agreements:progress", args=[overview.rows[0].agreement_pk])
    assert progress in content


@pytest.mark.parametrize("user_fixture", ["coesfeld_user", "borken_user"])
def test_providers_get_404(request, client_for, user_fixture, borken_agreement):
    client = client_for(request.getfixturevalue(user_fixture))
    assert client.get(URL).status_code == 404
    assert client.get(reverse("overview_latest")).status_code == 404


def test_overview_without_year_opens_the_latest_year_in_force(
    client_for, ministry_user, borken, coesfeld
):
    factories.agreement(borken, 2023)
    # A new draft for next year is not in force: the steering year stays 2023.
    services.agreement_create(provider=coesfeld, year=2024)
    client = client_for(ministry_user)
    response = client.get(reverse("overview_latest"))
    assert response.status_code == 302
    assert response.url == URL
    home = client.get(reverse("home"))
    assert home.context["year"] == 2023


def test_filters_by_status_and_provider(
    client_for, ministry_user, coesfeld, borken, put_figures
):
    _agreement_with_figures(coesfeld, put_figures, 110)
    _agreement_with_figures(borken, put_figures, 130)
    client = client_for(ministry_user)

    def providers(**params):
        rows = client.get(URL, params).context["rows"]
        return [row.provider_name for row in rows]

    assert providers(status="at_risk") == [coesfeld.name]
    assert providers(status="on_track") == [
        borken.name,
        coesfeld.name,
    ]  # K2 on track for both
    assert providers(provider=borken.pk) == [borken.name]
    assert providers(status="missed") == []


def _queries_for(client):
    """Queries of the overview with stored results but without the page cache."""
    from django.core.cache import cache

    assert client.get(URL).status_code == 200  # stores the results
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_providers(
    client_for, ministry_user, ministry, put_figures
):
    client = client_for(ministry_user)
    for number in range(3):
        _agreement_with_figures(_provider(ministry, number), put_figures, 110)
    with_three = _queries_for(client)
    for number in range(3, 30):
        _agreement_with_figures(_provider(ministry, number), put_figures, 110)
    assert _queries_for(client) == with_three
    # 3 check whether the stored page and table are current; with the
    # database cache up to 23 more read and write the page, the table and its
    # rows, and 45 the Land's kept parts (8 buckets of 5 statements each and
    # its sums; with Redis one round trip).
    assert with_three <= 90


def test_after_one_providers_change_only_its_results_are_judged_again(
    client_for, ministry_user, ministry, coesfeld, put_figures
):
    from agreements.models import TargetResult

    client = client_for(ministry_user)
    for number in range(5):
        _agreement_with_figures(_provider(ministry, number), put_figures, 110)
    _agreement_with_figures(coesfeld, put_figures, 110)
    assert client.get(URL).status_code == 200
    before = dict(TargetResult.objects.values_list("target_id", "computed_at"))
    put_figures(coesfeld, "integrationen", months(2023, 7, 1, 400))
    assert client.get(URL).status_code == 200
    after = dict(TargetResult.objects.values_list("target_id", "computed_at"))
    changed = {pk for pk in after if after[pk] != before[pk]}
    coesfeld_targets = set(
        Target.objects.filter(goal__agreement__provider=coesfeld).values_list(
            "pk", flat=True
        )
    )
    assert changed == coesfeld_targets


def _get(client):
    """The page, and whether it was put together (not taken from the page cache)."""
    with CaptureQueriesContext(connection) as queries:
        content = client.get(URL).content.decode()
    # Every assembly compares with the Land's own targets.
    computed = any(
        "agreements_landtarget" in q["sql"] for q in queries.captured_queries
    )
    return content, computed


def test_overview_is_cached_until_figures_or_targets_change(
    client_for, ministry_user, coesfeld, put_figures
):
    from indicators.models import MonthlyValue
    from indicators.services import value_change

    agreement = _agreement_with_figures(coesfeld, put_figures, 110)
    client = client_for(ministry_user)
    content, computed = _get(client)
    assert computed
    assert "+10,0 %" in content
    content, computed = _get(client)
    assert not computed  # served from the cache
    assert "+10,0 %" in content
    assert "<table" in content
    assert "&lt;table" not in content  # a cached table is not escaped

    put_figures(coesfeld, "integrationen", months(2023, 7, 1, 400))
    put_figures(coesfeld, "elb", months(2023, 7, 1, 10000))
    content, computed = _get(client)
    assert computed
    assert "Juli 2023" in content

    value = MonthlyValue.objects.filter(provider=coesfeld).first()
    value_change(value, value.value, "Korrektur").save()
    assert _get(client)[1]

    target = Target.objects.get(goal__agreement=agreement, indicator="integrationen")
    target.target_value = Decimal(50)
    target.save()
    content, computed = _get(client)
    assert computed
    assert "gefährdet" in content


def test_the_cached_page_is_the_computed_page_with_the_table_once(
    client_for, ministry_user, coesfeld, borken, put_figures
):
    """The table goes into the page as the cache's bytes (not through the
    template): whether computed or cached, the page is the same, holds the
    table exactly once, in its place, and no trace of the mark."""
    _agreement_with_figures(coesfeld, put_figures, 110)
    _agreement_with_figures(borken, put_figures, 130)
    client = client_for(ministry_user)
    computed, was_computed = _get(client)
    cached, was_cached_computed = _get(client)
    assert (was_computed, was_cached_computed) == (True, False)
    tokens = re.compile(r'(nonce|value)="[^"]*"')
    assert tokens.sub("", cached) == tokens.sub("", computed)
    table = overview_fragment(ministry_user, 2023)
    assert cached.count(table) == 1
    assert FRAGMENT_SLOT not in cached
    before, _, after = cached.partition(table)
    assert '<main id="inhalt"' in before
    assert "</main>" in after
    assert "Coesfeld" in table
    assert "Coesfeld" not in after


# --- the version in force ---------------------------------------------------------


def _signed(agreement, user):
    services.agreement_finalize(agreement=agreement, acting_user=user)
    return services.agreement_sign(
        agreement=agreement,
        acting_user=user,
        signatures=SIGNATURES,
        signed_copy=scanned_upload(),
    )


def _k3_cell(client, provider):
    assert client.get(URL).status_code == 200
    overview = year_overview(client.user, 2023)
    row = next(row for row in overview.rows if row.provider == provider)
    return row, next(iter(row.cells.values()))


def test_draft_amendment_never_changes_what_the_overview_judges(
    client_for, ministry_user, borken, put_figures
):
    """Borken 2023: K3 −5.2 % signed; a draft amendment relaxes it to −1 %."""
    signed = factories.agreement(borken, 2023, status="draft")
    goal = factories.goal(signed, number="III", title="LZB")
    factories.change_target(goal, "k3", "-5.2", comparator="lte")
    put_figures(borken, "lzb", months(2022, 1, 12, 1000) | months(2023, 1, 12, 980))
    signed = _signed(signed, ministry_user)
    client = client_for(ministry_user)
    client.user = ministry_user
    row, cell = _k3_cell(client, borken)
    assert (row.agreement.pk, cell.status) == (signed.pk, "missed")  # −2.0 %

    amendment = services.agreement_amend(agreement=signed, acting_user=ministry_user)
    target = Target.objects.get(goal__agreement=amendment)
    target.target_value = Decimal("-1.0")
    target.save()
    for status in ("draft", "negotiation", "final"):
        Agreement.objects.filter(pk=amendment.pk).update(status=status)
        row, cell = _k3_cell(client, borken)
        assert (row.agreement.pk, cell.status) == (signed.pk, "missed"), status
    assert "verfehlt" in client.get(reverse("home")).content.decode()
    progress = client.get(reverse("agreements:progress", args=[amendment.pk]))
    content = progress.content.decode()
    assert "Diese Fassung ist nicht in Kraft" in content
    assert "Nach der geltenden Fassung 1:" in content

    amendment.refresh_from_db()
    amendment = services.agreement_sign(
        agreement=amendment,
        acting_user=ministry_user,
        signatures=SIGNATURES,
        signed_copy=scanned_upload(),
    )
    row, cell = _k3_cell(client, borken)
    assert (row.agreement.pk, cell.status) == (amendment.pk, "achieved")


def test_rows_show_status_and_version(client_for, ministry_user, coesfeld, borken):
    factories.agreement(coesfeld, 2023, status="final")
    factories.agreement(borken, 2023)
    factories.agreement(borken, 2024, status="draft")
    content = strip_tags(client_for(ministry_user).get(URL).content.decode())
    assert "Fassung 1 · Endfassung, noch nicht unterzeichnet" in content
    assert "Fassung 1 · In Verhandlung, noch nicht unterzeichnet" in content


# --- Land totals and the Land target ---------------------------------------------


def test_land_rows_say_which_providers_they_cover(
    client_for, ministry_user, ministry, coesfeld, borken, put_figures
):
    _agreement_with_figures(coesfeld, put_figures, 110)
    _figures(borken, put_figures, 130)  # figures, but no agreement in 2023
    overview = client_for(ministry_user).get(URL).context["overview"]
    everyone, with_agreement = overview.land_rows
    assert everyone.note == "alle 2 Träger mit Monatswerten"
    assert with_agreement.note == "1 Träger mit geltender Vereinbarung 2023"
    integrations = overview.columns.index(
        next(c for c in overview.columns if c.indicator == "integrationen")
    )
    assert everyone.cells[integrations].text == "+20,0 %"
    assert with_agreement.cells[integrations].text == "+10,0 %"


def test_land_target_from_the_providers_targets_and_the_lands_own(
    client_for, ministry_user, ministry, coesfeld, borken, put_figures
):
    """Integrations 2022: 1,200 each; targets +12.6 % and +4 % → +8.3 %."""
    for provider, value in ((coesfeld, "12.6"), (borken, "4")):
        goal = factories.goal(factories.agreement(provider, 2023))
        factories.change_target(goal, "integrationen", value)
        _figures(provider, put_figures, 105)
    LandTarget.objects.create(
        ministry=ministry,
        year=2023,
        indicator="integrationen",
        aspect="change",
        comparator="gte",
        target_value=Decimal("9.0"),
    )
    overview = client_for(ministry_user).get(URL).context["overview"]
    _column, implied, own, verdict, count = overview.comparison[0]
    # (1,200 × 1.126 + 1,200 × 1.04) ÷ 2,400 − 1 = +8.3 %
    assert implied.text == "+8,3 %"
    assert count == 2
    assert own.target_value == Decimal("9.0")
    assert verdict == "Die Trägerziele bleiben hinter dem Landesziel zurück."


# --- export ----------------------------------------------------------------------


def test_export_judges_the_version_in_force_like_the_page(
    client_for, ministry_user, coesfeld, borken, put_figures
):
    import io

    from openpyxl import load_workbook

    _agreement_with_figures(coesfeld, put_figures, 110)
    factories.agreement(borken, 2023, status="draft")  # not in force: no row
    client = client_for(ministry_user)
    csv_text = client.get(
        reverse("overview_export", args=[2023, "csv"])
    ).content.decode()
    lines = csv_text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Träger;AGS;Fassung;Status;Datenstand")
    coesfeld_line = next(line for line in lines if line.startswith("Kreis Coesfeld"))
    assert "In Verhandlung, noch nicht unterzeichnet" in coesfeld_line
    assert "10,0;gefährdet" in coesfeld_line
    again = client.get(reverse("overview_export", args=[2023, "csv"]))
    assert again.content.decode() == csv_text  # from the stored results: the same
    assert not any(line.startswith("Kreis Borken") for line in lines)
    assert any(line.startswith("Land insgesamt") for line in lines)
    xlsx = client.get(reverse("overview_export", args=[2023, "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["A2"].value == "Kreis Coesfeld"
    assert sheet["F1"].value.startswith("K2 Integrationsquote")
    assert (sheet["F2"].value, sheet["F2"].number_format) == (6.6, "0.0")
    assert (sheet["H2"].value, sheet["I2"].value) == (10.0, "gefährdet")


@pytest.mark.parametrize("user_fixture", ["coesfeld_user", "borken_user"])
def test_providers_get_404_for_the_export(request, client_for, user_fixture):
    client = client_for(request.getfixturevalue(user_fixture))
    assert client.get(reverse("overview_export", args=[2023, "csv"])).status_code == 404


def test_years_in_force_are_the_years_of_the_versions_in_force(
    ministry_user, coesfeld, borken
):
    """The start page's cheap query names the same years as ``in_force``."""
    for provider, year, status in [
        (coesfeld, 2022, "draft"),
        (coesfeld, 2023, "negotiation"),
        (borken, 2024, "final"),
        (borken, 2025, "draft"),
    ]:
        factories.set_status(factories.agreement(provider, year), status)
    _signed(factories.agreement(borken, 2021), ministry_user)
    visible = Agreement.objects.visible_to(ministry_user)
    expected = set(visible.in_force().values_list("year", flat=True))
    assert expected == {2021, 2023, 2024}
    assert visible.years_in_force() == expected

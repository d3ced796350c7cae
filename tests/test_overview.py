"""The ministry's overview: three users, Land total, filters, fixed query count."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements import services
from agreements.models import Goal, Target
from tests.conftest import months
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
    agreement = services.agreement_create(provider=provider, year=2023)
    goal = Goal.objects.create(agreement=agreement, number="II", title="Integration")
    Target.objects.create(
        goal=goal,
        kind="change",
        indicator="integrationen",
        wording="…",
        target_value=Decimal("12.6"),
        comparator="gte",
        direction="higher",
    )
    Target.objects.create(
        goal=goal,
        kind="level",
        indicator="k2",
        wording="…",
        unit="percent",
        target_value=Decimal(10),
        comparator="gte",
        direction="higher",
        position=1,
    )
    put_figures(
        provider,
        "integrationen",
        months(2022, 1, 12, 100) | months(2023, 1, 6, integrations_2023),
    )
    put_figures(provider, "elb", months(2021, 12, 19, 10000))
    return agreement


def test_ministry_sees_every_provider_and_the_land_total(
    client_for, ministry_user, coesfeld, borken, put_figures
):
    _agreement_with_figures(coesfeld, put_figures, 110)  # +10 %: at risk
    _agreement_with_figures(borken, put_figures, 130)  # +30 %: on track
    response = client_for(ministry_user).get(URL)
    assert response.status_code == 200
    overview = response.context["overview"]
    assert [row.provider for row in overview.rows] == [borken, coesfeld]
    totals = {cell.column.indicator: cell for cell in overview.totals}
    # Land: (6×110 + 6×130) ÷ (6×100 + 6×100) − 1 = +20 %
    assert totals["integrationen"].text == "+20,0 %"
    # Land JFW K2 by June: 1,440 ÷ 20,000 × 100 = 7.2 % (not the mean of quotas)
    assert totals["k2"].text == "7,2 %"
    content = response.content.decode()
    assert "Land insgesamt" in content
    assert "gefährdet" in content
    assert "auf Kurs" in content
    progress = reverse("agreements:progress", args=[overview.rows[0].agreement.pk])
    assert progress in content


@pytest.mark.parametrize("user_fixture", ["coesfeld_user", "borken_user"])
def test_providers_get_404(request, client_for, user_fixture, borken_agreement):
    client = client_for(request.getfixturevalue(user_fixture))
    assert client.get(URL).status_code == 404
    assert client.get(reverse("overview_latest")).status_code == 404


def test_overview_without_year_opens_the_latest(
    client_for, ministry_user, borken_agreement
):
    response = client_for(ministry_user).get(reverse("overview_latest"))
    assert response.status_code == 302
    assert response.url == URL


def test_filters_by_status_and_provider(
    client_for, ministry_user, coesfeld, borken, put_figures
):
    _agreement_with_figures(coesfeld, put_figures, 110)
    _agreement_with_figures(borken, put_figures, 130)
    client = client_for(ministry_user)

    def providers(**params):
        rows = client.get(URL, params).context["rows"]
        return [row.provider.short_name for row, _ in rows]

    assert providers(status="at_risk") == ["Coesfeld"]
    assert providers(status="on_track") == [
        "Borken",
        "Coesfeld",
    ]  # K2 on track for both
    assert providers(provider=borken.pk) == ["Borken"]
    assert providers(status="missed") == []


def _queries_for(client):
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
    # 6 of them check whether the cached table is current; with the database
    # cache up to 6 more read and write it (none with Redis).
    assert with_three <= 22


def _get(client):
    """The page, and whether the table was computed (not taken from the cache)."""
    with CaptureQueriesContext(connection) as queries:
        content = client.get(URL).content.decode()
    computed = any("agreements_goal" in q["sql"] for q in queries.captured_queries)
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

"""The start page for the ministry, the own provider and another provider."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from agreements.models import Goal, Target
from tests.conftest import months

pytestmark = pytest.mark.django_db


@pytest.fixture
def coesfeld_2023(coesfeld, put_figures):
    from agreements import services

    agreement = services.agreement_create(provider=coesfeld, year=2023)
    agreement.status = "negotiation"  # in force, not yet signed
    agreement.save()
    goal = Goal.objects.create(agreement=agreement, number="III", title="LZB")
    Target.objects.create(
        goal=goal,
        kind="change",
        indicator="k3",
        label="Weniger Langzeitbezug",
        target_value=Decimal("-5.2"),
        comparator="lte",
    )
    # figures for 2022 and January to March 2023; April is missing
    put_figures(coesfeld, "lzb", months(2022, 1, 12, 1000) | months(2023, 1, 3, 990))
    put_figures(coesfeld, "lzb", {datetime.date(2023, 5, 1): Decimal(980)})
    return agreement


def test_ministry_start_page_lists_what_needs_attention(
    client_for, ministry_user, coesfeld_2023
):
    response = client_for(ministry_user).get(reverse("home"))
    assert response.status_code == 200
    assert response.context["year"] == 2023
    (line,) = response.context["attention"]  # one target needs attention
    assert coesfeld_2023.provider.name in line
    assert f"#vorgabe-{coesfeld_2023.goals.get().targets.get().pk}" in line
    content = response.content.decode()
    assert "Braucht Aufmerksamkeit" in content
    assert reverse("overview", args=[2023]) in content


def test_provider_start_page_shows_targets_and_missing_months(
    client_for, coesfeld_user, coesfeld_2023
):
    response = client_for(coesfeld_user).get(reverse("home"))
    assert response.status_code == 200
    missing = response.context["missing_months"]
    assert datetime.date(2023, 4, 1) in missing
    assert datetime.date(2023, 1, 1) not in missing
    content = response.content.decode()
    assert "Weniger Langzeitbezug" in content
    assert "Fehlende Monatswerte 2023" in content
    assert "/monatswerte/05558/2023-04/" in content
    assert "Braucht Aufmerksamkeit" not in content


def test_other_provider_sees_nothing_of_coesfeld(
    client_for, borken_user, coesfeld_2023
):
    response = client_for(borken_user).get(reverse("home"))
    assert response.status_code == 200
    assert response.context["year"] is None
    assert "Weniger Langzeitbezug" not in response.content.decode()


def test_start_page_query_count_is_bounded(
    client_for, ministry_user, coesfeld_2023, django_assert_max_num_queries
):
    client = client_for(ministry_user)
    # The first request judges the targets and stores the results; with the
    # database cache up to 19 queries read and write the page, its part and
    # the overview's table (none with Redis).
    with django_assert_max_num_queries(44):
        client.get(reverse("home"))
    # The second request is the stored page: session, user, steering year,
    # content version and the page itself.
    with django_assert_max_num_queries(5):
        response = client.get(reverse("home"))
    assert "Braucht Aufmerksamkeit" in response.content.decode()

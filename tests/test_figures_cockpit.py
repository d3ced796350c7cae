"""The cockpit (Meldestand): every provider × month judged on a fixed day."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from indicators import reporting
from indicators.deadlines import Deadline, ReportState
from indicators.elements import ensure_default_elements
from indicators.models import MonthlyValue, ReportingCalendar
from tests.conftest import _provider

pytestmark = pytest.mark.django_db

d = datetime.date
TODAY = d(2025, 6, 10)


def report(provider, month, status, code="elb"):
    """One value of ``code`` for ``month`` with data status ``status``."""
    element = ensure_default_elements()[code]
    MonthlyValue.objects.create(
        provider=provider,
        month=month,
        element=element,
        sex="total",
        value=Decimal(100),
        data_status=status,
        source="manual",
        changed_at=timezone.now(),
    )


@pytest.fixture
def coesfeld_2025(coesfeld):
    """Jan t-0 (t-3 overdue), Feb t-0, Mar t-3, Apr and May without figures."""
    report(coesfeld, d(2025, 1, 1), "t0")
    report(coesfeld, d(2025, 2, 1), "t0")
    report(coesfeld, d(2025, 3, 1), "t3")
    report(coesfeld, d(2025, 3, 1), "t3", code="bg")
    return coesfeld


def test_cockpit_states_of_a_provider_on_a_fixed_day(coesfeld_2025):
    (row,) = reporting.cockpit([coesfeld_2025], 2025, TODAY)
    states = [(r.state, r.deadline, r.deadline_kind) for r in row.reports[:7]]
    assert states == [
        (ReportState.OVERDUE, d(2025, 5, 20), Deadline.T3),
        (ReportState.REPORTED, d(2025, 6, 20), Deadline.T3),
        (ReportState.FINAL, None, None),
        (ReportState.OVERDUE, d(2025, 5, 20), Deadline.T0),
        (ReportState.DUE, d(2025, 6, 20), Deadline.T0),
        (ReportState.NOT_DUE, d(2025, 7, 20), Deadline.T0),
        (ReportState.NOT_DUE, d(2025, 8, 20), Deadline.T0),
    ]
    assert row.counts == {
        ReportState.OVERDUE: 2,
        ReportState.REPORTED: 1,
        ReportState.FINAL: 1,
        ReportState.DUE: 1,
        ReportState.NOT_DUE: 7,
    }


def test_a_month_is_final_only_when_every_value_is_t3(coesfeld_2025):
    report(coesfeld_2025, d(2025, 3, 1), "t0", code="lzb")
    (row,) = reporting.cockpit([coesfeld_2025], 2025, TODAY)
    assert row.reports[2].state == ReportState.REPORTED


def test_months_before_the_first_reported_month_need_no_report(coesfeld_2025):
    (row,) = reporting.cockpit([coesfeld_2025], 2024, TODAY)
    assert {r.state for r in row.reports} == {ReportState.NOT_REQUIRED}


def test_the_ministrys_calendar_moves_the_deadlines(coesfeld_2025, ministry):
    ReportingCalendar.objects.create(
        ministry=ministry, due_day=5, reporting_since=d(2024, 11, 1)
    )
    (row,) = reporting.cockpit([coesfeld_2025], 2025, TODAY)
    assert row.reports[4].state == ReportState.OVERDUE  # May was due on 5 June
    (row,) = reporting.cockpit([coesfeld_2025], 2024, TODAY)
    assert [r.state for r in row.reports[9:]] == [
        ReportState.NOT_REQUIRED,
        ReportState.OVERDUE,
        ReportState.OVERDUE,
    ]


def test_overdue_months_names_t0_and_t3_deadlines(coesfeld_2025):
    overdue = reporting.overdue_months(coesfeld_2025, TODAY)
    assert [(r.month, r.deadline_kind) for r in overdue] == [
        (d(2025, 1, 1), Deadline.T3),
        (d(2025, 4, 1), Deadline.T0),
    ]
    # On 1 July February's t-3 and May's t-0 are late too; June is not due yet.
    later = reporting.overdue_months(coesfeld_2025, d(2025, 7, 1))
    assert [(r.month, r.deadline_kind) for r in later] == [
        (d(2025, 1, 1), Deadline.T3),
        (d(2025, 2, 1), Deadline.T3),
        (d(2025, 4, 1), Deadline.T0),
        (d(2025, 5, 1), Deadline.T0),
    ]


def test_a_provider_without_any_figures_is_overdue_from_january(coesfeld):
    overdue = reporting.overdue_months(coesfeld, d(2025, 3, 1))
    assert [r.month for r in overdue] == [d(2025, 1, 1)]


# --- the page ---------------------------------------------------------------------


def cockpit_url(year=2025):
    return reverse("indicators:cockpit", args=[year])


@pytest.fixture
def fixed_today(monkeypatch):
    monkeypatch.setattr("indicators.reporting_views.timezone.localdate", lambda: TODAY)


def test_cockpit_three_users(
    client_for,
    ministry_user,
    coesfeld_user,
    borken_user,
    coesfeld_2025,
    borken,
    fixed_today,
):
    response = client_for(ministry_user).get(cockpit_url())
    assert response.status_code == 200
    assert [row.provider for row in response.context["rows"]] == [borken, coesfeld_2025]

    response = client_for(coesfeld_user).get(cockpit_url())
    assert [row.provider for row in response.context["rows"]] == [coesfeld_2025]
    content = response.content.decode()
    assert "2 Monate sind überfällig." in content
    assert reverse("indicators:grid", args=["05558", d(2025, 4, 1)]) in content

    response = client_for(borken_user).get(cockpit_url())
    assert [row.provider for row in response.context["rows"]] == [borken]
    content = response.content.decode()
    assert "Coesfeld" not in content
    assert "05558" not in content


def test_cockpit_page_writes_every_state_out(
    client_for, coesfeld_user, coesfeld_2025, fixed_today
):
    content = client_for(coesfeld_user).get(cockpit_url()).content.decode()
    for text in (
        "überfällig, Januar 2025",
        "gemeldet (t-0), Februar 2025",
        "endgültig (t-3), März 2025",
        "überfällig, April 2025",
        "fällig, Mai 2025",
        "noch nicht fällig, Juni 2025",
        "Frist 20.5.",
    ):
        assert text in content


def test_cockpit_latest_redirects_to_this_year(client_for, coesfeld_user, fixed_today):
    response = client_for(coesfeld_user).get(reverse("indicators:cockpit_latest"))
    assert response.url == cockpit_url(2025)


def test_cockpit_query_count_does_not_grow_with_providers(
    client_for, ministry_user, coesfeld_2025, borken, django_assert_num_queries
):
    client = client_for(ministry_user)
    client.get(cockpit_url())
    with django_assert_num_queries(8):
        client.get(cockpit_url())
    for number in range(5):
        provider = _provider(
            borken.supervisor, f"Kreis {number}", f"K{number}", f"0999{number}"
        )
        report(provider, d(2025, 1, 1), "t3")
    with django_assert_num_queries(8):
        response = client.get(cockpit_url())
    assert len(response.context["rows"]) == 7


def test_start_page_names_the_overdue_months(client_for, coesfeld_user, coesfeld):
    from agreements import services

    services.agreement_create(provider=coesfeld, year=2023)
    report(coesfeld, d(2023, 1, 1), "t3")
    report(coesfeld, d(2023, 3, 1), "t3")
    content = client_for(coesfeld_user).get(reverse("home")).content.decode()
    assert "Überfällige Monatswerte" in content
    assert reverse("indicators:grid", args=["05558", d(2023, 2, 1)]) in content
    assert "Februar 2023</a>: Werte fällig seit 20.3.2023" in content

"""The reporting calendar: deadlines (pure) and the ministry's settings page."""

import datetime

import pytest
from django.urls import reverse

from indicators.deadlines import (
    CalendarRules,
    Deadline,
    ReminderStage,
    ReportState,
    reminder_stage,
    report_state,
)
from indicators.models import ReportingCalendar

d = datetime.date
RULES = CalendarRules(due_day=20, final_after_months=3, remind_days_before=5)
JAN = d(2025, 1, 1)


def test_deadlines_of_a_month():
    assert RULES.deadline(JAN, Deadline.T0) == d(2025, 2, 20)
    assert RULES.deadline(JAN, Deadline.T3) == d(2025, 5, 20)
    december = d(2024, 12, 1)
    assert RULES.deadline(december, Deadline.T0) == d(2025, 1, 20)
    assert RULES.deadline(december, Deadline.T3) == d(2025, 4, 20)


@pytest.mark.parametrize(
    ("data_status", "today", "state", "deadline"),
    [
        (None, d(2025, 1, 31), ReportState.NOT_DUE, d(2025, 2, 20)),
        (None, d(2025, 2, 1), ReportState.DUE, d(2025, 2, 20)),
        (None, d(2025, 2, 20), ReportState.DUE, d(2025, 2, 20)),
        (None, d(2025, 2, 21), ReportState.OVERDUE, d(2025, 2, 20)),
        ("t0", d(2025, 2, 10), ReportState.REPORTED, d(2025, 5, 20)),
        ("t0", d(2025, 5, 20), ReportState.REPORTED, d(2025, 5, 20)),
        ("t0", d(2025, 5, 21), ReportState.OVERDUE, d(2025, 5, 20)),
        ("t3", d(2030, 1, 1), ReportState.FINAL, None),
    ],
)
def test_report_state_on_a_fixed_day(data_status, today, state, deadline):
    report = report_state(
        JAN, data_status=data_status, rules=RULES, today=today, first_month=JAN
    )
    assert (report.state, report.deadline) == (state, deadline)


def test_months_before_the_first_month_are_not_required():
    report = report_state(
        d(2024, 12, 1),
        data_status=None,
        rules=RULES,
        today=d(2026, 1, 1),
        first_month=JAN,
    )
    assert report.state == ReportState.NOT_REQUIRED


def test_first_month_is_the_calendars_else_the_first_reported():
    today = d(2026, 11, 22)
    assert RULES.first_month(d(2013, 1, 1), today) == d(2013, 1, 1)
    assert RULES.first_month(None, today) == d(2026, 1, 1)
    since = CalendarRules(reporting_since=d(2024, 7, 1))
    assert since.first_month(d(2013, 1, 1), today) == d(2024, 7, 1)


@pytest.mark.parametrize(
    ("data_status", "today", "stage"),
    [
        (None, d(2025, 2, 14), None),  # six days before
        (None, d(2025, 2, 15), ReminderStage.BEFORE),
        (None, d(2025, 2, 20), ReminderStage.BEFORE),
        (None, d(2025, 2, 21), ReminderStage.OVERDUE),
        ("t0", d(2025, 3, 1), None),
        ("t0", d(2025, 5, 16), ReminderStage.BEFORE),  # t-3 due on 20 May
        ("t0", d(2025, 5, 21), ReminderStage.OVERDUE),
        ("t3", d(2025, 5, 21), None),
    ],
)
def test_reminder_stage(data_status, today, stage):
    report = report_state(
        JAN, data_status=data_status, rules=RULES, today=today, first_month=JAN
    )
    assert reminder_stage(report, RULES, today) == stage


def test_no_reminder_before_the_deadline_when_turned_off():
    rules = CalendarRules(remind_days_before=0)
    report = report_state(
        JAN, data_status=None, rules=rules, today=d(2025, 2, 20), first_month=JAN
    )
    assert reminder_stage(report, rules, d(2025, 2, 20)) is None


# --- the page ---------------------------------------------------------------------

URL = "/monatswerte/meldefristen/"


@pytest.mark.django_db
def test_calendar_page_three_users(
    client_for, ministry_user, coesfeld_user, borken_user, coesfeld, borken
):
    assert reverse("indicators:calendar") == URL
    response = client_for(ministry_user).get(URL)
    assert response.status_code == 200
    assert response.context["can_edit"] is True
    assert "bis zum 20. des Folgemonats" in response.content.decode()
    for user in (coesfeld_user, borken_user):
        response = client_for(user).get(URL)
        assert response.status_code == 200
        assert response.context["can_edit"] is False
        assert 'name="due_day"' not in response.content.decode()
        assert client_for(user).post(URL, {"due_day": 5}).status_code == 403
    assert not ReportingCalendar.objects.exists()


@pytest.mark.django_db
def test_ministry_reader_may_not_change_the_calendar(client_for, ministry_reader):
    assert client_for(ministry_reader).get(URL).status_code == 200
    assert client_for(ministry_reader).post(URL, {"due_day": 5}).status_code == 403


@pytest.mark.django_db
def test_ministry_editor_sets_the_deadlines_with_history(
    client_for, ministry_user, ministry
):
    client = client_for(ministry_user)
    data = {
        "due_day": "15",
        "final_after_months": "3",
        "remind_days_before": "7",
        "reporting_since": "2024-01",
        "version": "0",
    }
    response = client.post(URL, data)
    assert response.status_code == 302
    calendar = ReportingCalendar.objects.get(ministry=ministry)
    assert (calendar.due_day, calendar.remind_days_before) == (15, 7)
    assert calendar.reporting_since == d(2024, 1, 1)
    assert calendar.updated_by == ministry_user
    assert calendar.history.get().history_user == ministry_user
    content = client.get(URL).content.decode()
    assert "bis zum 15. des Folgemonats" in content
    assert "Januar 2024" in content


@pytest.mark.django_db
def test_calendar_rejects_a_day_that_not_every_month_has(client_for, ministry_user):
    data = {"due_day": "31", "final_after_months": "3", "remind_days_before": "5"}
    response = client_for(ministry_user).post(URL, data)
    assert response.status_code == 200
    assert "due_day" in response.context["form"].errors
    assert response.content.decode().count("Fehler:") >= 1
    assert not ReportingCalendar.objects.exists()

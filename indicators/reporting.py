"""The reporting calendar: who must report which month by when.

Selectors load what the cockpit and the start page need in a fixed number of
queries and hand plain values to the pure rules of ``deadlines.py``; the one
write is ``reporting_calendar_update``.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Min, Q
from django.utils import timezone

from zielsteuerung import versioning
from zielsteuerung.accounts.models import Organisation

from .deadlines import MonthReport, ReportState, months_from, report_state
from .models import (
    DataStatus,
    MonthApproval,
    MonthlyValue,
    Reminder,
    ReportingCalendar,
    ReportingMonth,
)
from .months import months_of_year

# The order of the counts and the legend in the cockpit: most urgent first.
COUNTED_STATES = [
    ReportState.OVERDUE,
    ReportState.DUE,
    ReportState.REPORTED,
    ReportState.FINAL,
    ReportState.NOT_DUE,
]


def calendar_for(ministry):
    """The ministry's saved calendar, or an unsaved one with the defaults."""
    found = ReportingCalendar.objects.filter(ministry=ministry).first()
    return found or ReportingCalendar(ministry=ministry)


def rules_by_ministry(ministry_ids):
    """{ministry id: CalendarRules} for ``ministry_ids``: one query."""
    saved = {
        calendar.ministry_id: calendar.rules
        for calendar in ReportingCalendar.objects.filter(ministry_id__in=ministry_ids)
    }
    default = ReportingCalendar().rules
    return {pk: saved.get(pk, default) for pk in ministry_ids}


def calendar_version(ministry):
    """The calendar form's version: its latest history id (0 before the first)."""
    history = ReportingCalendar.history.filter(ministry_id=ministry.pk)
    return str(versioning.history_version(history))


@transaction.atomic
def reporting_calendar_update(
    *,
    ministry,
    due_day,
    final_after_months,
    remind_days_before,
    reporting_since,
    acting_user,
    version=None,
):
    """Save the ministry's calendar (creating it on first use); keep history.

    With ``version`` (the form's), raise ``EditConflict`` when someone saved
    the calendar after the form was opened.
    """
    Organisation.objects.select_for_update().filter(pk=ministry.pk).exists()
    if version is not None:
        versioning.check_version(version, calendar_version(ministry))
    calendar = ReportingCalendar.objects.select_for_update().filter(
        ministry=ministry
    ).first() or ReportingCalendar(ministry=ministry)
    calendar.due_day = due_day
    calendar.final_after_months = final_after_months
    calendar.remind_days_before = remind_days_before
    calendar.reporting_since = reporting_since
    calendar.updated_at, calendar.updated_by = timezone.now(), acting_user
    calendar._history_user = acting_user
    calendar.full_clean()
    calendar.save()
    return calendar


def month_statuses(provider_ids, months=None):
    """{(provider id, month): "t0" | "t3"} of every month with figures.

    A month counts as t-3 only when all its values are t-3. One query;
    ``months`` limits it to those months.
    """
    values = MonthlyValue.objects.filter(provider_id__in=provider_ids)
    if months is not None:
        values = values.filter(month__in=months)
    rows = (
        values.values_list("provider_id", "month")
        .annotate(provisional=Count("pk", filter=Q(data_status=DataStatus.PROVISIONAL)))
        .order_by()
    )
    return {
        (provider_id, month): DataStatus.PROVISIONAL
        if provisional
        else DataStatus.FINAL
        for provider_id, month, provisional in rows
    }


def first_reported_months(provider_ids):
    """{provider id: the first month with figures}: one query."""
    rows = (
        MonthlyValue.objects.filter(provider_id__in=provider_ids)
        .values_list("provider_id")
        .annotate(first=Min("month"))
        .order_by()
    )
    return dict(rows)


@dataclass
class CockpitCell:
    report: MonthReport
    approval: str = MonthApproval.OPEN
    reminders: list = field(default_factory=list)  # Reminder, oldest first


@dataclass
class CockpitRow:
    provider: object
    cells: list  # CockpitCell per month of the year
    counts: dict = field(default_factory=dict)  # ReportState → number of months

    @property
    def reports(self):
        return [cell.report for cell in self.cells]

    def count_list(self):
        return [(state, self.counts.get(state, 0)) for state in COUNTED_STATES]


def cockpit(providers, year, today):
    """One row per provider: each month of ``year`` as it stands on ``today``.

    ``providers`` come from the access policy. Seven queries, whatever their
    number: calendars, figures, first months, approvals and reminders.
    """
    providers = list(providers)
    ids = [provider.pk for provider in providers]
    rules = rules_by_ministry({provider.supervisor_id for provider in providers})
    months = months_of_year(year)
    statuses = month_statuses(ids, months)
    firsts = first_reported_months(ids)
    approvals = _approvals(ids, months)
    by_id = {provider.pk: provider for provider in providers}
    reminders = defaultdict(list)
    for reminder in Reminder.objects.filter(
        provider_id__in=ids, month__in=months
    ).order_by("sent_at", "pk"):
        reminder.provider = by_id[reminder.provider_id]
        reminders[(reminder.provider_id, reminder.month)].append(reminder)
    rows = []
    for provider in providers:
        provider_rules = rules[provider.supervisor_id]
        first = provider_rules.first_month(firsts.get(provider.pk), today)
        cells = [
            CockpitCell(
                report_state(
                    month,
                    data_status=statuses.get((provider.pk, month)),
                    rules=provider_rules,
                    today=today,
                    first_month=first,
                ),
                approvals.get((provider.pk, month), MonthApproval.OPEN),
                reminders[(provider.pk, month)],
            )
            for month in months
        ]
        row = CockpitRow(provider, cells)
        for cell in cells:
            row.counts[cell.report.state] = row.counts.get(cell.report.state, 0) + 1
        rows.append(row)
    return rows


def _approvals(provider_ids, months):
    """{(provider id, month): approval} of the months not open: one query."""
    rows = (
        ReportingMonth.objects.filter(provider_id__in=provider_ids, month__in=months)
        .exclude(approval=MonthApproval.OPEN)
        .values_list("provider_id", "month", "approval")
    )
    return {(provider_id, month): approval for provider_id, month, approval in rows}


def overdue_months(provider, today) -> list[MonthReport]:
    """Every overdue month of ``provider`` on ``today``, oldest first.

    A month is overdue when its figures (t-0) or its final figures (t-3) are
    past the deadline of the ministry's calendar. Two queries.
    """
    rules = rules_by_ministry([provider.supervisor_id])[provider.supervisor_id]
    statuses = {
        month: status
        for (_provider, month), status in month_statuses([provider.pk]).items()
    }
    first = rules.first_month(min(statuses, default=None), today)
    this_month = datetime.date(today.year, today.month, 1)
    reports = (
        report_state(
            month,
            data_status=statuses.get(month),
            rules=rules,
            today=today,
            first_month=first,
        )
        for month in months_from(first, this_month)
    )
    return [report for report in reports if report.is_overdue]

"""The reporting calendar: who must report which month by when.

Selectors load what the cockpit and the start page need in a fixed number of
queries and hand plain values to the pure rules of ``deadlines.py``; the one
write is ``reporting_calendar_update``.
"""

from django.db import transaction
from django.utils import timezone

from .models import ReportingCalendar


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


@transaction.atomic
def reporting_calendar_update(
    *,
    ministry,
    due_day,
    final_after_months,
    remind_days_before,
    reporting_since,
    acting_user,
):
    """Save the ministry's calendar (creating it on first use); keep history."""
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

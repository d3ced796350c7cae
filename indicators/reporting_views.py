"""Pages of the reporting calendar: the ministry's deadlines and the cockpit.

Providers are fetched through the policy's scopes; templates get ``can_edit``
and never test roles themselves.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from zielsteuerung import versioning
from zielsteuerung.accounts import policy
from zielsteuerung.versioning import EditConflict

from . import reporting
from .deadlines import Deadline, ReportState
from .models import ReportingCalendar
from .months import add_months, months_of_year
from .reporting_forms import ReportingCalendarForm


def reporting_calendar(request):
    """The deadlines of the user's ministry; its editors may change them."""
    ministry = policy.ministries_visible_to(request.user).first()
    if ministry is None:
        raise Http404
    can_edit = policy.can_edit_reporting_calendar(request.user, ministry)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied(_("Nur das Ministerium legt die Meldefristen fest."))
    calendar = reporting.calendar_for(ministry)
    form = ReportingCalendarForm(
        request.POST or None,
        initial={
            "due_day": calendar.due_day,
            "final_after_months": calendar.final_after_months,
            "remind_days_before": calendar.remind_days_before,
            "reporting_since": calendar.reporting_since,
        },
    )
    version = versioning.posted_version(request, reporting.calendar_version(ministry))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            reporting.reporting_calendar_update(
                ministry=ministry,
                acting_user=request.user,
                version=version,
                **form.cleaned_data,
            )
        except EditConflict as conflict:
            history = ReportingCalendar.history.filter(ministry_id=ministry.pk)
            since = versioning.part(version, 0)
            changes = versioning.their_changes(history, since, form.fields)
            versioning.mark_conflicts([(form, changes)])
            version, status = conflict.version, 409
            calendar = reporting.calendar_for(ministry)
        else:
            messages.success(request, _("Die Meldefristen wurden gespeichert."))
            return redirect("indicators:calendar")
    example = add_months(timezone.localdate().replace(day=1), -1)
    return render(
        request,
        "indicators/calendar.html",
        {
            "ministry": ministry,
            "calendar": calendar,
            "form": form,
            "can_edit": can_edit,
            "example_month": example,
            "example_t0": calendar.rules.deadline(example, Deadline.T0),
            "example_t3": calendar.rules.deadline(example, Deadline.T3),
            "changes": _calendar_changes(calendar),
            "version": version,
        },
        status=status,
    )


def _calendar_changes(calendar):
    if calendar.pk is None:
        return []
    return calendar.history.select_related("history_user").order_by("-history_date")[
        :10
    ]


def cockpit_latest(request):
    """``/monatswerte/meldestand/``: the current year."""
    return redirect("indicators:cockpit", year=timezone.localdate().year)


def cockpit(request, year):
    """Every visible provider × month of ``year`` with its reporting state.

    Ministry users see all providers of their ministry, provider users their
    own row only.
    """
    if not 2000 <= year <= 2100:
        raise Http404
    today = timezone.localdate()
    providers = policy.providers_visible_to(request.user).order_by("name")
    rows = reporting.cockpit(providers, year, today)
    return render(
        request,
        "indicators/cockpit.html",
        {
            "year": year,
            "today": today,
            "months": months_of_year(year),
            "rows": rows,
            "states": reporting.COUNTED_STATES,
            "overdue_total": sum(
                row.counts.get(ReportState.OVERDUE, 0) for row in rows
            ),
            "providers_overdue": sum(
                1 for row in rows if row.counts.get(ReportState.OVERDUE)
            ),
            "is_ministry": policy.is_ministry_user(request.user),
            "reminders": sorted(
                (r for row in rows for cell in row.cells for r in cell.reminders),
                key=lambda reminder: reminder.sent_at,
                reverse=True,
            ),
        },
    )

"""The reporting calendar as pure functions: deadlines and the state of a month.

No ORM and no clock: every judgement takes ``today`` as an argument, so the
cockpit, the start page, the reminders and the tests all agree on one rule.

A month's figures are due on ``due_day`` of the following month (t-0); the
final figures (t-3) are due ``final_after_months`` months after that. A month
is *noch nicht fällig* until it has ended, *fällig* until its deadline,
*überfällig* after it; once reported it is *gemeldet (t-0)* until the t-3
deadline passes (then *überfällig* again) or *endgültig (t-3)*.
"""

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from .months import add_months

DEFAULT_DUE_DAY = 20
DEFAULT_FINAL_AFTER_MONTHS = 3
DEFAULT_REMIND_DAYS_BEFORE = 5


class ReportState(models.TextChoices):
    NOT_REQUIRED = "not_required", _("keine Meldepflicht")
    NOT_DUE = "not_due", _("noch nicht fällig")
    DUE = "due", _("fällig")
    OVERDUE = "overdue", _("überfällig")
    REPORTED = "reported", _("gemeldet (t-0)")
    FINAL = "final", _("endgültig (t-3)")


class Deadline(models.TextChoices):
    """Which of a month's two deadlines is meant."""

    T0 = "t0", _("Meldung (t-0)")
    T3 = "t3", _("endgültige Werte (t-3)")


class ReminderStage(models.TextChoices):
    BEFORE = "before", _("vor der Frist")
    OVERDUE = "overdue", _("Frist überschritten")


@dataclass(frozen=True)
class CalendarRules:
    """A ministry's reporting calendar as plain values."""

    due_day: int = DEFAULT_DUE_DAY
    final_after_months: int = DEFAULT_FINAL_AFTER_MONTHS
    remind_days_before: int = DEFAULT_REMIND_DAYS_BEFORE
    reporting_since: datetime.date | None = None

    def deadline(self, month, kind):
        """The day by which ``month``'s figures of ``kind`` (t0/t3) are due."""
        later = 1 if kind == Deadline.T0 else 1 + self.final_after_months
        return add_months(month, later).replace(day=self.due_day)

    def first_month(self, first_reported, today):
        """The first month that must be reported.

        The ministry's ``reporting_since``; without it, the provider's first
        month with figures; without any figures, January of ``today``'s year.
        """
        if self.reporting_since is not None:
            return self.reporting_since.replace(day=1)
        if first_reported is not None:
            return first_reported
        return datetime.date(today.year, 1, 1)


@dataclass(frozen=True)
class MonthReport:
    """How one provider's month stands on a given day."""

    month: datetime.date
    state: str
    deadline: datetime.date | None = None
    deadline_kind: str | None = None

    @property
    def label(self):
        return ReportState(self.state).label

    @property
    def is_overdue(self):
        return self.state == ReportState.OVERDUE


def report_state(month, *, data_status, rules, today, first_month):
    """The MonthReport of ``month``.

    ``data_status`` is None while the month has no figures, else ``t0`` or
    ``t3``; ``first_month`` is the first month that must be reported.
    """
    if month < first_month:
        return MonthReport(month, ReportState.NOT_REQUIRED)
    if data_status == "t3":
        return MonthReport(month, ReportState.FINAL)
    if data_status == "t0":
        final = rules.deadline(month, Deadline.T3)
        state = ReportState.OVERDUE if today > final else ReportState.REPORTED
        return MonthReport(month, state, final, Deadline.T3)
    due = rules.deadline(month, Deadline.T0)
    if today < add_months(month, 1):
        state = ReportState.NOT_DUE
    elif today <= due:
        state = ReportState.DUE
    else:
        state = ReportState.OVERDUE
    return MonthReport(month, state, due, Deadline.T0)


def reminder_stage(report, rules, today):
    """Which reminder ``report`` calls for today: before, overdue or None.

    *Before*: within ``remind_days_before`` days of an open deadline (0 turns
    these off). *Overdue*: once the deadline has passed.
    """
    if report.state == ReportState.OVERDUE:
        return ReminderStage.OVERDUE
    if report.state not in (ReportState.DUE, ReportState.REPORTED):
        return None
    if rules.remind_days_before <= 0:
        return None
    days_left = (report.deadline - today).days
    if 0 <= days_left <= rules.remind_days_before:
        return ReminderStage.BEFORE
    return None


def months_from(first, last):
    """Every month from ``first`` to ``last`` (both included)."""
    result, month = [], first
    while month <= last:
        result.append(month)
        month = add_months(month, 1)
    return result

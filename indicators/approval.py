"""Complete and accepted months, as DHIS2 does it.

A provider's editor reports a month as complete once it passes validation;
the supervising ministry's editor accepts it; an accepted month is locked
(the grid and the import refuse changes) until a ministry editor reopens it
with a reason. Changing the values of a complete month withdraws the
completion. Every step is a ``ReportingMonthEvent`` in the month's history.

``TRANSITIONS`` is the one table of these steps: the services, the pages and
the buttons all read it; who may take a step is asked of the policy.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from zielsteuerung.accounts import policy

from . import services, validation
from .models import MonthAction, MonthApproval, ReportingMonth, Sex


@dataclass(frozen=True)
class Transition:
    sources: tuple
    target: str
    allowed: object  # policy function (user, provider) → bool
    needs_reason: bool = False


TRANSITIONS = {
    MonthAction.COMPLETE: Transition(
        (MonthApproval.OPEN,), MonthApproval.COMPLETE, policy.can_complete_months
    ),
    MonthAction.ACCEPT: Transition(
        (MonthApproval.COMPLETE,), MonthApproval.ACCEPTED, policy.can_accept_months
    ),
    MonthAction.REOPEN: Transition(
        (MonthApproval.COMPLETE, MonthApproval.ACCEPTED),
        MonthApproval.OPEN,
        policy.can_reopen_months,
        needs_reason=True,
    ),
}


class MonthNotReady(Exception):
    """The month cannot be reported complete: ``problems`` says why."""

    def __init__(self, problems):
        super().__init__(problems)
        self.problems = problems


def available_actions(user, reporting_month):
    """The steps ``user`` may take on ``reporting_month`` now."""
    return [
        action
        for action, transition in TRANSITIONS.items()
        if reporting_month.approval in transition.sources
        and transition.allowed(user, reporting_month.provider)
    ]


def month_problems(provider, month):
    """Why the month does not pass validation yet; empty when it does.

    Every element × sex needs a value, women + men must not exceed the total,
    and a value that moves more than 30 % needs a comment, as in the grid.
    """
    rows, _reporting = services.month_grid(provider, month)
    cells = [(row.element, cell) for row in rows for cell in row.cells.values()]
    missing = [
        f"{element.label} ({Sex(cell.sex).label})"
        for element, cell in cells
        if cell.current is None
    ]
    if len(missing) == len(cells):
        return [_("Für diesen Monat gibt es noch keine Werte.")]
    problems = []
    if missing:
        problems.append(_("Es fehlen Werte: %(list)s.") % {"list": ", ".join(missing)})
    for row in rows:
        problems.extend(_row_problems(row))
    return problems


def _row_problems(row):
    values = {sex: cell.value for sex, cell in row.cells.items()}
    if row.element.split_by_sex and validation.split_exceeds_total(
        values.get(Sex.TOTAL), values.get(Sex.WOMEN), values.get(Sex.MEN)
    ):
        yield f"{row.element.label}: " + str(
            validation.split_error(
                values[Sex.TOTAL], values.get(Sex.WOMEN), values.get(Sex.MEN)
            )
        )
    for sex, cell in row.cells.items():
        if cell.current is None or cell.current.comment:
            continue
        jumps = cell.jumps(cell.value)
        if jumps:
            yield _("%(element)s (%(sex)s): %(jumps)s, ohne Kommentar.") % {
                "element": row.element.label,
                "sex": Sex(sex).label,
                "jumps": "; ".join(str(jump) for jump in jumps),
            }


def reporting_month_complete(*, provider, month, acting_user):
    """Report the month as complete; MonthNotReady with the problems if not."""
    problems = month_problems(provider, month)
    if problems:
        raise MonthNotReady(problems)
    return _take(provider, month, MonthAction.COMPLETE, acting_user)


def reporting_month_accept(*, provider, month, version, acting_user):
    """Accept (and so lock) a complete month as it was when the page showed it."""
    return _take(provider, month, MonthAction.ACCEPT, acting_user, version=version)


def reporting_month_reopen(*, provider, month, reason, acting_user):
    """Open a complete or accepted month again; the reason goes into its history."""
    return _take(provider, month, MonthAction.REOPEN, acting_user, reason=reason)


@transaction.atomic
def _take(provider, month, action, user, *, reason="", version=None):
    transition = TRANSITIONS[action]
    reporting, _created = ReportingMonth.objects.select_for_update().get_or_create(
        provider=provider, month=month
    )
    if not transition.allowed(user, provider):
        raise PermissionDenied(_("Diesen Schritt dürfen Sie nicht ausführen."))
    if reporting.approval not in transition.sources:
        raise PermissionDenied(
            _("Der Monat ist %(state)s; dieser Schritt geht jetzt nicht.")
            % {"state": reporting.get_approval_display()}
        )
    if version is not None and reporting.version != version:
        raise services.MonthConflict(reporting)
    if transition.needs_reason and not reason.strip():
        raise PermissionDenied(_("Dieser Schritt braucht eine Begründung."))
    services.month_step_record(
        reporting, action, transition.target, user, reason.strip()
    )
    return reporting

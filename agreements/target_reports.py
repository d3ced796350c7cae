"""The Jobcenter reports on its qualitative and local targets; the ministry decides.

A report proposes a status with a text and evidence. The ministry confirms
it or corrects the status (with a reason); its decision becomes the
target's ``TargetAssessment``, whose history keeps every change. A newer
report replaces a pending older one; nothing is ever deleted.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zielsteuerung.accounts import policy

from . import year_end
from .models import (
    QualitativeStatus,
    ReportDecision,
    Target,
    TargetAssessment,
    TargetKind,
    TargetReport,
)

DECIDED = (QualitativeStatus.ACHIEVED, QualitativeStatus.MISSED)


class ReportError(Exception):
    """The report does not fit (German message)."""


def reportable(target):
    """Targets a person judges: qualitative ones and local numbers without figures."""
    return not target.judged_by_figures and target.kind != TargetKind.MONITORING


def _record(instance, acting_user, reason=None):
    instance._history_user = acting_user
    instance._change_reason = reason
    instance.save()


@transaction.atomic
def target_report_create(
    *, target, proposed_status, text, evidence, acting_user, actual_value=None
):
    agreement = target.goal.agreement
    if not policy.can_report_on_targets(acting_user, agreement):
        raise PermissionDenied(_("Den Stand melden die Jobcenter für ihre Ziele."))
    if not reportable(target):
        raise ReportError(_("Diese Zielvorgabe wird aus den Monatswerten bewertet."))
    Target.objects.select_for_update().filter(pk=target.pk).exists()
    year_end.refuse_if_recorded(target, ReportError)
    # By its own key: the model's order joins target, goal, agreement and
    # Träger, and their rows would be locked as well.
    pending = (
        target.reports.select_for_update()
        .filter(decision=ReportDecision.PENDING)
        .order_by("pk")
    )
    for older in pending:
        older.decision = ReportDecision.SUPERSEDED
        _record(older, acting_user)
    report = TargetReport(
        target=target,
        proposed_status=proposed_status,
        actual_value=actual_value,
        text=text.strip(),
        evidence=evidence.strip(),
        reported_by=acting_user,
    )
    _record(report, acting_user)
    return report


@transaction.atomic
def target_report_decide(*, report, status, note, acting_user):
    """Confirm ``report`` (``status`` as proposed) or correct its status."""
    report = TargetReport.objects.select_for_update().get(pk=report.pk)
    target = report.target
    if not policy.can_assess_targets(acting_user, target.goal.agreement):
        raise PermissionDenied(_("Nur das Ministerium bestätigt Berichte."))
    if not report.is_pending:
        raise ReportError(_("Über diesen Bericht ist schon entschieden."))
    year_end.refuse_if_recorded(target, ReportError)
    confirmed = status == report.proposed_status
    if not confirmed and not (note or "").strip():
        raise ReportError(_("Bitte begründen, warum der Stand abweicht."))
    report.decision = (
        ReportDecision.CONFIRMED if confirmed else ReportDecision.CORRECTED
    )
    report.decided_status = status
    report.decision_note = (note or "").strip()
    report.decided_by = acting_user
    report.decided_at = timezone.now()
    _record(report, acting_user)
    assessment = TargetAssessment.objects.filter(target=target).first()
    assessment = assessment or TargetAssessment(target=target)
    assessment.status = status
    assessment.actual_value = report.actual_value
    assessment.evidence = _evidence(report)
    assessment.assessed_by = acting_user
    reason = (
        _("Bericht des Jobcenters bestätigt")
        if confirmed
        else _("Bericht des Jobcenters korrigiert: %(note)s")
        % {"note": report.decision_note}
    )
    _record(assessment, acting_user, reason[:100])
    return report


def _evidence(report):
    parts = [report.text, report.evidence]
    if report.decision_note:
        parts.append(_("Ministerium: %(note)s") % {"note": report.decision_note})
    return "\n\n".join(part for part in parts if part)


def latest_reports(targets):
    """``{target id: newest report}`` for ``targets``: one query."""
    latest = {}
    for report in TargetReport.objects.filter(target__in=targets).select_related(
        "reported_by", "decided_by"
    ):
        latest.setdefault(report.target_id, report)
    return latest


def report_context(agreement, user, targets):
    """What the progress page shows of the reports: newest per target, rights.

    Sets ``latest_report`` on each of ``targets`` (one query).
    """
    latest = latest_reports(targets)
    for target in targets:
        target.latest_report = latest.get(target.pk)
    return {
        "can_report": policy.can_report_on_targets(user, agreement),
    }

"""The Jobcenter reports on a qualitative or local target; the ministry decides.

Fetched through ``Agreement.objects.visible_to`` (another provider: 404).
Reporting asks ``policy.can_report_on_targets``, deciding
``policy.can_assess_targets``; anyone else gets 403.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from zielsteuerung.accounts import policy

from . import target_reports as reports
from . import year_end
from .models import Agreement, Target, TargetReport
from .target_report_forms import DecisionForm, ReportForm
from .wording import short_rule, target_text


def _target_for(request, pk, target_pk):
    agreement = get_object_or_404(
        Agreement.objects.visible_to(request.user).select_related("provider"), pk=pk
    )
    target = get_object_or_404(
        Target.objects.select_related("goal"), goal__agreement=agreement, pk=target_pk
    )
    if not reports.reportable(target):
        raise PermissionDenied(
            _("Diese Zielvorgabe wird aus den Monatswerten bewertet.")
        )
    return agreement, target


def _progress(agreement, target):
    url = reverse("agreements:progress", args=[agreement.pk])
    return redirect(f"{url}#vorgabe-{target.pk}")


def _context(agreement, target, **extra):
    return {
        "agreement": agreement,
        "target": target,
        "text": target_text(target, agreement.year),
        "rule": short_rule(target),
        "reports": list(target.reports.select_related("reported_by", "decided_by")),
        **extra,
    }


def target_report(request, pk, target_pk):
    """The Jobcenter reports the status of a target, with text and evidence."""
    agreement, target = _target_for(request, pk, target_pk)
    if not policy.can_report_on_targets(request.user, agreement):
        raise PermissionDenied(_("Den Stand melden die Jobcenter für ihre Ziele."))
    closed = bool(year_end.recorded_target_ids([target]))
    if closed and request.method != "POST":
        messages.error(request, year_end.result_recorded_message())
        return _progress(agreement, target)
    form = ReportForm(
        request.POST or None, instance=TargetReport(target=target), target=target
    )
    template = "agreements/target_reports/report.html"
    if closed:  # closed while the page was open: say so first, keep the text
        form.is_valid()
        form.add_error(None, year_end.result_recorded_message())
        context = _context(agreement, target, form=form)
        return render(request, template, context, status=409)
    if request.method == "POST" and form.is_valid():
        try:
            reports.target_report_create(
                target=target,
                proposed_status=form.cleaned_data["proposed_status"],
                actual_value=form.cleaned_data.get("actual_value"),
                text=form.cleaned_data["text"],
                evidence=form.cleaned_data["evidence"],
                acting_user=request.user,
            )
        except reports.ReportError as error:  # closed meanwhile: keep the text
            form.add_error(None, str(error))
            context = _context(agreement, target, form=form)
            return render(request, template, context, status=409)
        messages.success(
            request, _("Ihr Bericht ist gespeichert; das Ministerium prüft ihn.")
        )
        return _progress(agreement, target)
    return render(request, template, _context(agreement, target, form=form))


def target_report_decide(request, pk, target_pk, report_pk):
    """The ministry confirms a report or corrects its status."""
    agreement, target = _target_for(request, pk, target_pk)
    if not policy.can_assess_targets(request.user, agreement):
        raise PermissionDenied(_("Nur das Ministerium bestätigt Berichte."))
    report = get_object_or_404(target.reports, pk=report_pk)
    if not report.is_pending:
        messages.error(request, _("Über diesen Bericht ist schon entschieden."))
        return _progress(agreement, target)
    if request.method != "POST" and year_end.recorded_target_ids([target]):
        messages.error(request, year_end.result_recorded_message())
        return _progress(agreement, target)
    form = DecisionForm(request.POST or None, report=report)
    template = "agreements/target_reports/decide.html"
    if request.method == "POST" and form.is_valid():
        try:
            reports.target_report_decide(
                report=report,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                acting_user=request.user,
            )
        except reports.ReportError as error:
            form.add_error(None, str(error))
            context = _context(agreement, target, form=form, report=report)
            return render(request, template, context, status=409)
        messages.success(request, _("Der Stand der Zielvorgabe ist eingetragen."))
        return _progress(agreement, target)
    return render(
        request, template, _context(agreement, target, form=form, report=report)
    )

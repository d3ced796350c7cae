"""Pages about the progress of agreements: per agreement and the overview."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zielsteuerung.accounts import policy

from .forms import TargetAssessmentForm
from .models import Agreement, Target, TargetAssessment
from .overview import STATUS_FILTERS, year_overview
from .presentation import progress_view
from .progress import agreement_progress


def _visible_agreement(request, pk):
    return get_object_or_404(
        Agreement.objects.visible_to(request.user).select_related("provider"), pk=pk
    )


def agreement_progress_page(request, pk):
    agreement = _visible_agreement(request, pk)
    goals = [
        (goal, [progress_view(progress) for progress in progresses])
        for goal, progresses in agreement_progress(agreement)
    ]
    return render(
        request,
        "agreements/progress.html",
        {
            "agreement": agreement,
            "goals": goals,
            "can_assess": policy.can_assess_targets(request.user, agreement),
        },
    )


def target_assess(request, pk, target_pk):
    agreement = _visible_agreement(request, pk)
    if not policy.can_assess_targets(request.user, agreement):
        raise PermissionDenied(_("Nur das Ministerium trägt Einschätzungen ein."))
    target = get_object_or_404(Target, goal__agreement=agreement, pk=target_pk)
    if target.indicator and target.kind != "qualitative":
        raise PermissionDenied(
            _("Diese Zielvorgabe wird aus den Monatswerten bewertet.")
        )
    assessment = TargetAssessment.objects.filter(target=target).first()
    form = TargetAssessmentForm(
        request.POST or None,
        instance=assessment or TargetAssessment(target=target),
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.instance.assessed_by = request.user
            form.save()
        messages.success(request, _("Die Einschätzung wurde gespeichert."))
        url = reverse("agreements:progress", args=[agreement.pk])
        return redirect(f"{url}#vorgabe-{target.pk}")
    return render(
        request,
        "agreements/target_assess.html",
        {"agreement": agreement, "target": target, "form": form},
    )


def _overview_allowed(request):
    if not policy.can_see_overview(request.user):
        raise Http404(_("Die Übersicht ist dem Ministerium vorbehalten."))


def overview_latest(request):
    """``/uebersicht/``: the latest year that has agreements."""
    _overview_allowed(request)
    years = Agreement.objects.visible_to(request.user).values_list("year", flat=True)
    year = max(years, default=timezone.localdate().year)
    return redirect("overview", year=year)


def overview_page(request, year):
    _overview_allowed(request)
    overview = year_overview(request.user, year)
    status = request.GET.get("status", "")
    provider = request.GET.get("provider", "")
    rows = [
        (row, [_cell(row.cells.get(column)) for column in overview.columns])
        for row in overview.rows
        if (not status or status in row.statuses())
        and (not provider or str(row.provider.pk) == provider)
    ]
    years = sorted(
        set(Agreement.objects.visible_to(request.user).values_list("year", flat=True))
    )
    return render(
        request,
        "agreements/overview.html",
        {
            "overview": overview,
            "rows": rows,
            "years": years,
            "status_filters": STATUS_FILTERS,
            "selected_status": status,
            "selected_provider": provider,
            "counts": [(label, overview.counts[key]) for key, label in STATUS_FILTERS],
        },
    )


def _cell(progress):
    return progress_view(progress) if progress else None

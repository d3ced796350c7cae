"""Pages about the progress of agreements: per agreement and the overview."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from zielsteuerung.accounts import policy

from .forms import TargetAssessmentForm
from .models import Agreement, Target, TargetAssessment
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

"""Pages about the progress of agreements: start page, progress, overview."""

import datetime
import hashlib

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.attainment import Status
from indicators.selectors import months_without_figures
from zielsteuerung.accounts import policy

from .forms import TargetAssessmentForm
from .models import Agreement, Target, TargetAssessment
from .overview import STATUS_FILTERS, content_version, steering_year, year_overview
from .presentation import progress_view
from .progress import agreement_progress
from .target_reports import report_context
from .wording import short_rule, target_text


def _visible_agreement(request, pk):
    return get_object_or_404(
        Agreement.objects.visible_to(request.user).select_related("provider"), pk=pk
    )


def agreement_progress_page(request, pk):
    """Progress of one version; a version not in force is compared with it."""
    agreement = _visible_agreement(request, pk)
    in_force = agreement.version_in_force()
    compared = {}
    if in_force is not None and in_force.pk != agreement.pk:
        compared = matching_progress(
            agreement_progress(in_force, with_course=False), in_force.year
        )
    goals = [
        (
            goal,
            [
                progress_view(
                    progress,
                    agreement.year,
                    compared=compared.get(match_key(progress)),
                )
                for progress in progresses
            ],
        )
        for goal, progresses in agreement_progress(agreement)
    ]
    targets = [row.target for _goal, rows in goals for row in rows]
    return render(
        request,
        "agreements/progress.html",
        {
            "agreement": agreement,
            "in_force": in_force,
            "is_in_force": in_force is not None and in_force.pk == agreement.pk,
            "goals": goals,
            "can_assess": policy.can_assess_targets(request.user, agreement),
            **report_context(agreement, request.user, targets),
        },
    )


def match_key(progress):
    """Targets of two versions correspond by goal number and what they measure."""
    target = progress.target
    return (target.goal.number, target.indicator, target.kind, target.position)


def matching_progress(goals, year):
    return {
        match_key(progress): progress_view(progress, year)
        for _goal, progresses in goals
        for progress in progresses
    }


def target_assess(request, pk, target_pk):
    agreement = _visible_agreement(request, pk)
    if not policy.can_assess_targets(request.user, agreement):
        raise PermissionDenied(_("Nur das Ministerium trägt Einschätzungen ein."))
    target = get_object_or_404(Target, goal__agreement=agreement, pk=target_pk)
    if target.judged_by_figures:
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
        {
            "agreement": agreement,
            "target": target,
            "form": form,
            "text": target_text(target, agreement.year),
            "rule": short_rule(target),
        },
    )


def overview_allowed(request):
    if not policy.can_see_overview(request.user):
        raise Http404(_("Die Übersicht ist dem Ministerium vorbehalten."))


def overview_latest(request):
    """``/uebersicht/``: the steering year (latest with agreements in force)."""
    overview_allowed(request)
    year = steering_year(request.user) or timezone.localdate().year
    return redirect("overview", year=year)


def cached_fragment(template, parts, make_context):
    """``template`` rendered with ``make_context()``, cached until inputs change.

    The key holds ``parts`` and the content version (the highest history ids
    of agreements, targets, assessments and figures), so any change shows at
    once; computing the overview of all providers takes about a second.
    """
    parts = [template, *parts, content_version()]
    key = "fragment:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    content = cache.get(key)
    if content is None:
        content = render_to_string(template, make_context())
        cache.set(key, content, OVERVIEW_CACHE_SECONDS)
    return content


def overview_page(request, year):
    """All providers × targets; the table is cached until any input changes."""
    overview_allowed(request)
    status = request.GET.get("status", "")
    provider = request.GET.get("provider", "")
    content = cached_fragment(
        "agreements/_overview_content.html",
        [
            request.user.organisation_id,
            policy.can_edit_land_targets(request.user),
            year,
            status,
            provider,
        ],
        lambda: _overview_context(request.user, year, status, provider),
    )
    return render(
        request, "agreements/overview.html", {"content": content, "year": year}
    )


def _overview_context(user, year, status, provider):
    overview = year_overview(user, year)
    rows = [
        (row, [_cell(row.cells.get(column), year) for column in overview.columns])
        for row in overview.rows
        if (not status or status in row.statuses())
        and (not provider or str(row.provider.pk) == provider)
    ]
    years = sorted(
        set(
            Agreement.objects.visible_to(user).in_force().values_list("year", flat=True)
        )
        | {year}
    )
    return {
        "overview": overview,
        "rows": rows,
        "years": years,
        "status_filters": STATUS_FILTERS,
        "selected_status": status,
        "selected_provider": provider,
        "counts": [(label, overview.counts[key]) for key, label in STATUS_FILTERS],
        "can_edit_land_targets": policy.can_edit_land_targets(user),
    }


def _cell(progress, year):
    return progress_view(progress, year) if progress else None


OVERVIEW_CACHE_SECONDS = 600
ATTENTION = (Status.AT_RISK, Status.MISSED, Status.NOT_ASSESSABLE)


def home(request):
    """Start page: what needs attention in the current agreement year."""
    user = request.user
    if user.organisation_id is None:
        if user.is_staff:
            return redirect("admin:index")
        return render(request, "home_no_organisation.html", status=403)
    visible = Agreement.objects.visible_to(user)
    year = steering_year(user)
    context = {
        "year": year,
        "is_ministry": policy.is_ministry_user(user),
        "can_create": policy.can_edit_agreements(user),
        "agreements": visible.select_related("provider").order_by(
            "-year", "provider__name"
        )[:8],
    }
    if year is not None and context["is_ministry"]:
        context["ministry_start"] = cached_fragment(
            "agreements/_home_ministry.html",
            [user.organisation_id, year],
            lambda: {"year": year, **_ministry_start(user, year)},
        )
    elif year is not None:
        context.update(_provider_start(user, visible, year))
    return render(request, "home.html", context)


def _ministry_start(user, year):
    overview = year_overview(user, year)
    attention = [
        (row, progress_view(progress, year))
        for row in overview.rows
        for progress in row.cells.values()
        if progress.status in ATTENTION
    ]
    latest = max((row.as_of for row in overview.rows if row.as_of), default=None)
    behind = [row for row in overview.rows if row.as_of is None or row.as_of < latest]
    return {
        "overview": overview,
        "counts": [(label, overview.counts[key]) for key, label in STATUS_FILTERS],
        "attention": attention[:15],
        "attention_more": max(len(attention) - 15, 0),
        "behind": behind,
    }


def _provider_start(user, visible, year):
    agreement = visible.filter(year=year).in_force().first()
    rows = [
        progress_view(progress, year)
        for _, progresses in agreement_progress(agreement, with_course=False)
        for progress in progresses
    ]
    today = timezone.localdate()
    until = min(today.replace(day=1), datetime.date(year, 12, 1))
    return {
        "agreement": agreement,
        "progress_rows": rows,
        "missing_months": months_without_figures(agreement.provider, year, until),
        "provider": agreement.provider,
    }

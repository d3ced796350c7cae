"""Pages about the progress of agreements: start page, progress, overview."""

import datetime
import hashlib
import zlib
from types import SimpleNamespace

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from indicators.attainment import Status
from indicators.reporting import overdue_months
from indicators.selectors import months_without_figures
from zielsteuerung import versioning
from zielsteuerung.accounts import policy
from zielsteuerung.page_cache import cached_page
from zielsteuerung.versioning import EditConflict, EditGone

from . import services
from .forms import ExplanationForm, TargetAssessmentForm
from .models import Agreement, Target, TargetAssessment, TargetKind
from .overview import STATUS_FILTERS, content_version, steering_year
from .overview_table import overview_table, row_html, table_counts, table_overview
from .presentation import progress_view
from .progress import EXPLAIN, TargetProgress, agreement_progress
from .results import current_results
from .target_reports import report_context
from .wording import short_rule, target_text
from .year_end import official_result, recorded_target_ids, result_recorded_message


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
    recorded = recorded_target_ids(targets)
    for target in targets:
        target.result_recorded = target.pk in recorded
    return render(
        request,
        "agreements/progress.html",
        {
            "agreement": agreement,
            "in_force": in_force,
            "is_in_force": in_force is not None and in_force.pk == agreement.pk,
            "goals": goals,
            "can_assess": policy.can_assess_targets(request.user, agreement),
            "can_explain": policy.can_explain_targets(request.user, agreement),
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
    target = Target.objects.filter(goal__agreement=agreement, pk=target_pk).first()
    if target is None and request.method != "POST":
        raise Http404
    if target is not None and target.judged_by_figures:
        raise PermissionDenied(
            _("Diese Zielvorgabe wird aus den Monatswerten bewertet.")
        )
    closed = target is not None and bool(recorded_target_ids([target]))
    if closed and request.method != "POST":
        return _closed_target(request, agreement, target)
    stand_in = target or Target(kind=TargetKind.QUALITATIVE)
    assessment = TargetAssessment.objects.filter(target=target).first()
    form = TargetAssessmentForm(
        request.POST or None,
        instance=assessment or TargetAssessment(target=stand_in),
    )
    current = services.assessment_version(target) if target else ""
    context = {
        "agreement": agreement,
        "target": stand_in,
        "form": form,
        "version": versioning.posted_version(request, current),
        "text": target_text(target, agreement.year) if target else None,
        "rule": short_rule(target) if target else "",
    }
    template = "agreements/target_assess.html"
    if request.method != "POST" or not form.is_valid():
        return render(request, template, context)
    try:
        if target is None:
            raise EditGone(_("Die Zielvorgabe wurde inzwischen gelöscht."))
        services.target_assessment_save(
            target=target,
            form=form,
            version=context["version"],
            acting_user=request.user,
        )
    except EditGone as gone:
        versioning.keep_input([form], str(gone))
        return render(request, template, context, status=409)
    except EditConflict as conflict:
        history = TargetAssessment.history.filter(target_id=target.pk)
        since = versioning.part(context["version"], 0)
        changes = versioning.their_changes(history, since, form.fields)
        versioning.mark_conflicts([(form, changes)])
        context["version"] = conflict.version
        return render(request, template, context, status=409)
    messages.success(request, _("Die Einschätzung wurde gespeichert."))
    url = reverse("agreements:progress", args=[agreement.pk])
    return redirect(f"{url}#vorgabe-{target.pk}")


def _closed_target(request, agreement, target):
    """A target with a year-end result: back to the progress page, saying why."""
    messages.error(request, result_recorded_message())
    url = reverse("agreements:progress", args=[agreement.pk])
    return redirect(f"{url}#vorgabe-{target.pk}")


def target_explain(request, pk, target_pk):
    """The Jobcenter explains a target that is at risk or missed."""
    agreement = _visible_agreement(request, pk)
    if not policy.can_explain_targets(request.user, agreement):
        raise PermissionDenied(_("Nur das Jobcenter erklärt seine Zielvorgaben."))
    target = get_object_or_404(Target, goal__agreement=agreement, pk=target_pk)
    result = current_results([(target, agreement.provider_id)], agreement.year).get(
        target.pk
    )
    if result is None or result.judgement.status not in EXPLAIN:
        messages.info(
            request,
            _(
                "Diese Zielvorgabe ist weder gefährdet noch verfehlt: "
                "es gibt nichts zu erklären."
            ),
        )
        return redirect(
            f"{reverse('agreements:progress', args=[pk])}#vorgabe-{target.pk}"
        )
    form = ExplanationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.target_explanation_create(
            target=target,
            status=result.judgement.status,
            as_of=result.judgement.as_of,
            text=form.cleaned_data["text"],
            acting_user=request.user,
        )
        messages.success(request, _("Die Erklärung ist gespeichert."))
        return redirect(
            f"{reverse('agreements:progress', args=[pk])}#vorgabe-{target.pk}"
        )
    view = progress_view(TargetProgress(target, result), agreement.year)
    return render(
        request,
        "agreements/target_explain.html",
        {"agreement": agreement, "target": target, "row": view, "form": form},
    )


def overview_allowed(request):
    if not policy.can_see_overview(request.user):
        raise Http404(_("Die Übersicht ist dem Ministerium vorbehalten."))


def overview_latest(request):
    """``/uebersicht/``: the steering year (latest with agreements in force)."""
    overview_allowed(request)
    year = steering_year(request.user) or timezone.localdate().year
    return redirect("overview", year=year)


def cached_fragment(template, parts, make_context, version=None):
    """``template`` rendered with ``make_context()``, cached until inputs change."""
    content = cached_fragment_bytes(template, parts, make_context, version)
    return mark_safe(content.decode())  # noqa: S308 - our HTML


def cached_fragment_bytes(template, parts, make_context, version=None):
    """The same as UTF-8 bytes, as the cache holds them.

    The key holds ``parts`` and the content version (the highest history ids
    of agreements, targets, assessments and figures), so any change shows at
    once; computing the overview of all providers takes about a second.
    """
    parts = [template, *parts, version or content_version()]
    key = "fragment:v2:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    stored = cache.get(key)
    if stored is not None:
        return zlib.decompress(stored)
    content = render_to_string(template, make_context()).encode()
    # Stored compressed: the national overview is ~0.8 MB of HTML, ~40 KB
    # compressed, which every request would otherwise read from the cache.
    cache.set(key, zlib.compress(content, 1), OVERVIEW_CACHE_SECONDS)
    return content


# Where the overview page's template puts the table: the page is rendered
# around this mark and the table's stored bytes go in unchanged. Decoding,
# joining and encoding again ~0.8 MB of HTML cost more than the rest of a
# cached request. Escaped text can never contain the mark.
FRAGMENT_SLOT = "<!-- zs:table -->"


def overview_page(request, year):
    """All providers × targets; the page is cached until any input changes."""
    overview_allowed(request)
    status = request.GET.get("status", "")
    provider = request.GET.get("provider", "")
    template, parts, make_context = _overview_fragment_args(
        request.user, year, status, provider
    )
    version = content_version()  # read once for the page's key and the table's

    def render_page(extra):
        table = cached_fragment_bytes(template, parts, make_context, version)
        response = render(
            request,
            "agreements/overview.html",
            {"content": mark_safe(FRAGMENT_SLOT), "year": year, **extra},  # noqa: S308 - a constant
        )
        head, slot, tail = response.content.partition(FRAGMENT_SLOT.encode())
        if not slot:
            raise ImproperlyConfigured(
                "agreements/overview.html has lost {{ content }}"
            )
        response.content = head + table + tail
        return response

    return cached_page(request, [template, *parts, version], render_page)


def overview_fragment(user, year, status="", provider=""):
    """The overview table of ``user``'s ministry, from the cache if current."""
    return cached_fragment(*_overview_fragment_args(user, year, status, provider))


def _overview_fragment_args(user, year, status, provider):
    return (
        "agreements/_overview_content.html",
        [
            user.organisation_id,
            policy.can_edit_land_targets(user),
            year,
            status,
            provider,
        ],
        lambda: _overview_context(user, year, status, provider),
    )


def ministry_start_fragment(user, year, version=None):
    """The ministry's part of the start page, from the cache if current."""
    return cached_fragment(
        "agreements/_home_ministry.html",
        [user.organisation_id, year],
        lambda: {"year": year, **_ministry_start(user, year)},
        version,
    )


def _overview_context(user, year, status, provider):
    table = overview_table(user, year, _row_renderer(user, year))
    overview = table_overview(table, user, year)
    rows = [
        row
        for row in overview.rows
        if (not status or status in row.statuses_shown())
        and (not provider or str(row.provider_pk) == provider)
    ]
    years = sorted(Agreement.objects.visible_to(user).years_in_force() | {year})
    return {
        "overview": overview,
        "rows": rows,
        # Joined here: 405 rows through the template's loop cost ~40 ms.
        "rows_html": mark_safe("\n".join(row_html(row) for row in rows)),  # noqa: S308 - rows our template rendered
        "provider_options": format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (
                    row.provider_pk,
                    " selected" if str(row.provider_pk) == provider else "",
                    row.provider_name,
                )
                for row in overview.rows
            ),
        ),
        "years": years,
        "status_filters": STATUS_FILTERS,
        "selected_status": status,
        "selected_provider": provider,
        "counts": [(label, overview.counts[key]) for key, label in STATUS_FILTERS],
        "can_edit_land_targets": policy.can_edit_land_targets(user),
    }


def _row_renderer(user, year):
    """Renders overview rows with their cells in the table's columns."""

    def render(rows, columns, as_of, *, complete):
        pairs = [
            (
                row,
                [
                    _cell(row.cells.get(column), year, row.results.get(column))
                    for column in columns
                ],
            )
            for row in rows
        ]
        if complete:  # keeps the HTML of rows that show what they showed before
            html = rendered_rows(
                as_of, pairs, f"{user.organisation_id}:{year}", prune=True
            )
        else:
            html = [_row_html(as_of, r, c) for r, c in pairs]
        return [
            (text, _attention_lines(row, year))
            for row, text in zip(rows, html, strict=True)
        ]

    return render


ATTENTION_TEMPLATE = "agreements/_home_attention_row.html"


def _attention_lines(row, year):
    """The start page's lines for the row's targets that need attention."""
    return [
        render_to_string(
            ATTENTION_TEMPLATE, {"row": row, "cell": progress_view(progress, year)}
        )
        for column, progress in row.cells.items()
        if row.status_of(column) in ATTENTION  # a closed year: its official result
    ]


ROW_TEMPLATE = "agreements/_overview_row.html"


def _row_html(as_of, row, cells):
    """One overview row; ``as_of`` is the month the whole table has reached."""
    return render_to_string(
        ROW_TEMPLATE, {"table_as_of": as_of, "row": row, "cells": cells}
    )


def rendered_rows(as_of, rows, table, *, prune):
    """Each row's HTML, kept where the row shows what it showed before.

    All rows of one table live in one cache entry (one read, one write,
    whatever the cache backend); a row's key holds everything the row
    template shows, so after one provider's figures change only its row is
    rendered again. ``prune`` drops rows no longer shown (unfiltered tables).
    """
    store_key = f"overview-rows:{table}"
    stored = cache.get(store_key) or {}
    keys = [_row_key(as_of, row, cells) for row, cells in rows]
    missing = {}
    for key, (row, cells) in zip(keys, rows, strict=True):
        if key not in stored:
            missing[key] = _row_html(as_of, row, cells)
    if missing or (prune and len(stored) != len(keys)):
        kept = {k: stored[k] for k in keys if k in stored} if prune else stored
        cache.set(store_key, {**kept, **missing}, OVERVIEW_CACHE_SECONDS)
    return [mark_safe(stored.get(key) or missing[key]) for key in keys]  # noqa: S308


def _row_key(as_of, row, cells):
    agreement = row.agreement
    parts = [
        ROW_TEMPLATE,
        as_of,
        agreement.pk,
        agreement.version,
        agreement.status,
        row.provider.name,
        row.as_of,
        row.closed,
        row.data_status_text,
        row.others,
        *(_cell_key(cell) for cell in cells),
    ]
    return "row:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _cell_key(cell):
    if cell is None:
        return None
    official = cell.official
    return (
        cell.target.pk,
        cell.sort_value,
        cell.actual_text,
        cell.revision_text,
        cell.badge,
        official
        and (
            official.sort_value,
            official.result.value_text,
            official.badge,
            official.revision_note,
        ),
    )


def _cell(progress, year, result=None):
    if not progress:
        return None
    view = progress_view(progress, year)
    if result is not None:  # a closed year: the official result counts
        view.official = official_result(result, progress.judgement)
    return view


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
    if context["is_ministry"]:
        # Everything the ministry's start page shows follows the content
        # version (agreements, targets, figures), the year and today.
        version = content_version()
        return cached_page(
            request,
            ["home.html", year, timezone.localdate(), version],
            lambda extra: render(
                request,
                "home.html",
                {**_ministry_home(user, year, context, version), **extra},
            ),
        )
    # Overdue figures are named whether or not an agreement is in force.
    context["provider"] = user.organisation
    context["overdue_months"] = overdue_months(user.organisation, timezone.localdate())
    if year is not None:
        context.update(_provider_start(user, visible, year))
    return render(request, "home.html", context)


def _ministry_home(user, year, context, version):
    if year is None:
        return context
    start = ministry_start_fragment(user, year, version)
    return {**context, "ministry_start": start}


def _ministry_start(user, year):
    """Status counts, targets that need attention, Träger behind: from the
    overview's kept table (computed again only where figures moved)."""
    table = overview_table(user, year, _row_renderer(user, year))
    rows = table.rows
    counts = table_counts(rows)
    attention = [mark_safe(line) for row in rows for line in row.attention]  # noqa: S308
    latest = max((row.as_of for row in rows if row.as_of), default=None)
    behind = [row for row in rows if row.as_of is None or row.as_of < latest]
    return {
        "overview": SimpleNamespace(as_of=table.as_of, rows=rows),
        "counts": [(label, counts[key]) for key, label in STATUS_FILTERS],
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
        "explanations_needed": [
            row
            for row in rows
            if row.progress.needs_explanation
            and policy.can_explain_targets(user, agreement)
        ],
        "missing_months": months_without_figures(agreement.provider, year, until),
        "provider": agreement.provider,
    }

"""Pages of the year rollover: the state's focus areas, the rollover itself,
and the review list of a new agreement.

Pages about all providers of a year are the ministry's: provider staff get
404, as for the overview. Readers see them; writing needs an editor (403).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from zielsteuerung import versioning
from zielsteuerung.accounts import policy

from . import focus_areas as focus
from . import rollover
from .models import MAX_YEAR, MIN_YEAR, Agreement, FocusArea, FocusAreaLockedError
from .overview import steering_year
from .rollover_forms import FocusAreaFormSet, RolloverForm


def _ministry_of(request, year):
    if not policy.can_see_year_pages(request.user):
        raise Http404(_("Diese Seite ist dem Ministerium vorbehalten."))
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404(_("Dieses Jahr gibt es nicht."))
    return request.user.organisation


def focus_areas_edit(request, year):
    """The state's focus areas of ``year``, printed by all its agreements.

    The page carries the version it was opened at: a save over someone
    else's changes shows them and keeps what was typed (409); so does a save
    after an agreement of the year was finalised meanwhile.
    """
    ministry = _ministry_of(request, year)
    may_edit = policy.can_edit_focus_areas(request.user, ministry)
    if request.method == "POST" and not may_edit:
        raise PermissionDenied(_("Sie dürfen diese Schwerpunkte nicht ändern."))
    locked = focus.focus_areas_locked(ministry, year)
    queryset = FocusArea.objects.of(ministry, year)
    current = focus.focus_areas_version(ministry, year)
    version = versioning.posted_version(request, current)
    data, revived = request.POST or None, []
    if data is not None and version != current:
        data, revived = versioning.rebase_formset_data(
            data, "form", ["title", "text"], list(queryset)
        )
    formset = FocusAreaFormSet(data, queryset=queryset)
    areas = list(queryset)
    context = {
        "year": year,
        "formset": formset,
        "areas": areas,
        "can_edit": may_edit and (not locked or request.method == "POST"),
        "locked": locked,
        "locking_agreements": list(focus.locking_agreements(ministry, year)),
        "literal_years": focus.literal_years(areas),
        "previous_count": FocusArea.objects.of(ministry, year - 1).count(),
        "version": version,
    }
    template = "agreements/rollover/focus_areas.html"
    if request.method != "POST":
        return render(request, template, context)
    if locked:
        return _focus_not_saved(request, template, context)
    if version != current:
        return _focus_conflict(request, template, context, current, revived)
    if not formset.is_valid():
        return render(request, template, context)
    try:
        focus.focus_areas_save(
            ministry=ministry,
            year=year,
            areas=formset.ordered(),
            deleted=formset.to_delete(),
            version=version,
            acting_user=request.user,
        )
    except versioning.EditConflict as conflict:
        return _focus_conflict(request, template, context, conflict.version, [])
    except FocusAreaLockedError:
        return _focus_not_saved(request, template, context)
    messages.success(request, _("Die Schwerpunkte wurden gespeichert."))
    return redirect("agreements:focus_areas", year=year)


def _focus_not_saved(request, template, context):
    """Locked meanwhile: the typed text stays on the page to be copied."""
    formset = context["formset"]
    formset.is_valid()
    formset._non_form_errors = formset.error_class(
        [str(FocusAreaLockedError().args[0])], renderer=formset.renderer
    )
    return render(request, template, context, status=409)


def _focus_conflict(request, template, context, current, revived):
    """Someone saved the year's areas meanwhile: show their changes beside ours."""
    since = versioning.part(context["version"], 0)
    formset = context["formset"]
    formset.is_valid()
    changes = []
    for form in formset.forms:
        if form.instance.pk:
            history = FocusArea.history.filter(id=form.instance.pk)
            found = versioning.their_changes(history, since, form.fields)
            versioning.mark_conflict(form, found)
            changes.append(found)
    for index in revived:
        formset.forms[index].add_error(
            None,
            _(
                "Dieser Schwerpunkt wurde inzwischen gelöscht. Ihre Eingabe steht "
                "hier; beim Speichern wird er neu angelegt."
            ),
        )
    ministry, year = request.user.organisation, context["year"]
    history = FocusArea.history.filter(ministry_id=ministry.pk, year=year)
    changes += versioning.saved_since(history, since)
    formset._non_form_errors = formset.error_class(
        [versioning.conflict_message(changes)], renderer=formset.renderer
    )
    return render(request, template, {**context, "version": current}, status=409)


@require_POST
def focus_areas_copy(request, year):
    """Start the year with last year's focus areas."""
    ministry = _ministry_of(request, year)
    if focus.focus_areas_locked(ministry, year):
        raise PermissionDenied(_("Sie dürfen diese Schwerpunkte nicht ändern."))
    copied = focus.focus_areas_copy(
        ministry=ministry, from_year=year - 1, to_year=year, acting_user=request.user
    )
    messages.success(
        request,
        _("%(n)s Schwerpunkte aus %(year)s übernommen. Bitte prüfen und anpassen.")
        % {"n": copied, "year": year - 1},
    )
    return redirect("agreements:focus_areas", year=year)


def rollover_latest(request):
    """``/zielvereinbarungen/jahreswechsel/``: from the steering year on."""
    _ministry_of(request, MIN_YEAR)
    year = steering_year(request.user) or timezone.localdate().year
    return redirect("agreements:rollover", year=year)


def rollover_page(request, year):
    """Preview of next year's agreements; creates those the editor ticks."""
    _ministry_of(request, year + 1)
    can_roll_over = policy.can_roll_over(request.user)
    if request.method == "POST" and not can_roll_over:
        raise PermissionDenied(_("Nur das Ministerium legt Zielvereinbarungen an."))
    plan = rollover.rollover_plan(request.user, year)
    # Every visible provider may be posted: one created meanwhile is skipped.
    choices = [(str(row.provider.pk), row.provider.name) for row in plan.rows]
    form = RolloverForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        created = rollover.agreements_roll_over(
            year=year,
            providers=form.cleaned_data["providers"],
            acting_user=request.user,
        )
        skipped = len(form.cleaned_data["providers"]) - len(created)
        message = ngettext(
            "%(n)s Zielvereinbarung %(year)s angelegt.",
            "%(n)s Zielvereinbarungen %(year)s angelegt.",
            len(created),
        ) % {"n": len(created), "year": year + 1}
        if skipped:
            message += " " + ngettext(
                "%(n)s Träger übersprungen: Er hat schon eine Vereinbarung.",
                "%(n)s Träger übersprungen: Sie haben schon eine Vereinbarung.",
                skipped,
            ) % {"n": skipped}
        messages.success(request, message)
        return redirect("agreements:rollover", year=year)
    creatable = {str(row.provider.pk) for row in plan.creatable}
    boxes = {
        box.data["value"]: box
        for box in form["providers"]
        if box.data["value"] in creatable
    }
    return render(
        request,
        "agreements/rollover/rollover.html",
        {
            "plan": plan,
            "year": year,
            "new_year": year + 1,
            "form": form,
            "rows": [(row, boxes.get(str(row.provider.pk))) for row in plan.rows],
            "can_roll_over": can_roll_over and bool(creatable),
        },
    )


@require_POST
def review_item_tick(request, pk, item_pk):
    agreement = get_object_or_404(
        Agreement.objects.visible_to(request.user).select_related("provider"), pk=pk
    )
    item = get_object_or_404(agreement.review_items, pk=item_pk)
    rollover.review_item_tick(
        item=item, done=request.POST.get("done") == "1", acting_user=request.user
    )
    return redirect(f"{agreement.get_absolute_url()}#pruefpunkt-{item.pk}")

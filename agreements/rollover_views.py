"""Pages of the year rollover: the state's focus areas, the rollover itself,
and the review list of a new agreement.

Pages about all providers of a year are the ministry's: provider staff get
404, as for the overview. Readers see them; writing needs an editor (403).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zielsteuerung.accounts import policy

from . import focus_areas as focus
from .models import MAX_YEAR, MIN_YEAR, FocusArea
from .rollover_forms import FocusAreaFormSet


def _ministry_of(request, year):
    if not policy.can_see_year_pages(request.user):
        raise Http404(_("Diese Seite ist dem Ministerium vorbehalten."))
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404(_("Dieses Jahr gibt es nicht."))
    return request.user.organisation


def focus_areas_edit(request, year):
    """The state's focus areas of ``year``, printed by all its agreements."""
    ministry = _ministry_of(request, year)
    locked = focus.focus_areas_locked(ministry, year)
    can_edit = policy.can_edit_focus_areas(request.user, ministry) and not locked
    if request.method == "POST" and not can_edit:
        raise PermissionDenied(_("Sie dürfen diese Schwerpunkte nicht ändern."))
    queryset = FocusArea.objects.of(ministry, year)
    formset = FocusAreaFormSet(request.POST or None, queryset=queryset)
    if request.method == "POST" and formset.is_valid():
        focus.focus_areas_save(
            ministry=ministry,
            year=year,
            areas=formset.ordered(),
            deleted=formset.to_delete(),
            acting_user=request.user,
        )
        messages.success(request, _("Die Schwerpunkte wurden gespeichert."))
        return redirect("agreements:focus_areas", year=year)
    areas = list(queryset)
    return render(
        request,
        "agreements/rollover/focus_areas.html",
        {
            "year": year,
            "formset": formset,
            "areas": areas,
            "can_edit": can_edit,
            "locked": locked,
            "final_agreements": list(focus.final_agreements(ministry, year)),
            "literal_years": focus.literal_years(areas),
            "previous_count": FocusArea.objects.of(ministry, year - 1).count(),
        },
    )


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

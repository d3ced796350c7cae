"""The Land's own targets of a year, agreed with the federal ministry."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from zielsteuerung import versioning
from zielsteuerung.accounts import policy
from zielsteuerung.versioning import EditConflict

from . import services
from .forms import LandTargetFormSet
from .models import MAX_YEAR, MIN_YEAR, LandTarget


def land_targets_edit(request, year):
    """Record the Land's targets of ``year``; the overview compares them."""
    if not policy.can_see_overview(request.user):
        raise Http404(_("Die Landesziele sind dem Ministerium vorbehalten."))
    if not policy.can_edit_land_targets(request.user):
        raise PermissionDenied(_("Sie dürfen die Landesziele nicht ändern."))
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404(_("Dieses Jahr gibt es nicht."))
    ministry = request.user.organisation
    queryset = LandTarget.objects.filter(ministry=ministry, year=year)
    current = services.land_targets_version(ministry, year)
    version = versioning.posted_version(request, current)
    data = request.POST or None
    if data is not None and version != current:
        data, _revived = versioning.rebase_formset_data(
            data, "form", _LAND_FIELDS, list(queryset)
        )
    formset = LandTargetFormSet(data, queryset=queryset)
    context = {"formset": formset, "year": year, "version": version}
    if request.method == "POST" and (version != current or formset.is_valid()):
        try:
            services.land_targets_save(
                ministry=ministry,
                year=year,
                formset=formset,
                version=version,
                acting_user=request.user,
            )
        except EditConflict as conflict:
            _mark_land_conflict(formset, version)
            context["version"] = conflict.version
            return render(request, "agreements/land_targets.html", context, status=409)
        messages.success(request, _("Die Landesziele wurden gespeichert."))
        return redirect("overview", year=year)
    return render(request, "agreements/land_targets.html", context)


_LAND_FIELDS = ["indicator", "aspect", "comparator", "target_value", "note"]


def _mark_land_conflict(formset, since):
    pairs = [
        (
            form,
            versioning.their_changes(
                LandTarget.history.filter(id=form.instance.pk),
                versioning.part(since, 0),
                form.fields,
            ),
        )
        for form in formset.forms
        if form.instance.pk
    ]
    pairs = pairs or [(formset.forms[0], versioning.TheirChanges({}, "", None))]
    versioning.mark_conflicts(pairs)

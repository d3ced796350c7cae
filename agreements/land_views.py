"""The Land's own targets of a year, agreed with the federal ministry."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from zielsteuerung.accounts import policy

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
    formset = LandTargetFormSet(request.POST or None, queryset=queryset)
    if request.method == "POST" and formset.is_valid():
        with transaction.atomic():
            for land_target in formset.save(commit=False):
                land_target.ministry, land_target.year = ministry, year
                land_target.save()
            for land_target in formset.deleted_objects:
                land_target.delete()
        messages.success(request, _("Die Landesziele wurden gespeichert."))
        return redirect("overview", year=year)
    return render(
        request, "agreements/land_targets.html", {"formset": formset, "year": year}
    )

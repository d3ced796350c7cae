"""The state's focus areas of a year: writing and copying them.

The areas belong to a ministry and a year and are printed by every agreement
of that ministry and year (``printing.print_document``). Once one of those
agreements is final or signed they are locked (``models.focus``).
"""

import re

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from zielsteuerung import versioning
from zielsteuerung.accounts import policy
from zielsteuerung.accounts.models import Organisation

from .models import LOCKED_STATUSES, Agreement, FocusArea
from .models.focus import locked_years
from .years import move_years

_YEAR = re.compile(r"(?<![\d.{])(?:19|20)\d\d(?![\d}])")


def _require(user, ministry):
    if not policy.can_edit_focus_areas(user, ministry):
        raise PermissionDenied(_("Sie dürfen die Schwerpunkte nicht ändern."))


def focus_areas_locked(ministry, year):
    """Whether an agreement of the ministry and year is final or signed."""
    return bool(locked_years([(ministry.pk, year)]))


def locking_agreements(ministry, year):
    """The agreements of the year that lock its focus areas (final or signed)."""
    return Agreement.objects.filter(
        provider__supervisor=ministry, year=year, status__in=LOCKED_STATUSES
    ).select_related("provider")


def focus_areas_version(ministry, year):
    """The version of the year's focus areas (``zielsteuerung.versioning``)."""
    history = FocusArea.history.filter(ministry_id=ministry.pk, year=year)
    return str(versioning.history_version(history))


def literal_years(areas):
    """``[(title, [years])]`` of areas naming a year literally (not {jahr})."""
    found = []
    for area in areas:
        years = sorted(set(_YEAR.findall(f"{area.title} {area.text}")))
        if years:
            found.append((area.title, years))
    return found


def _record(area, acting_user):
    area._history_user = acting_user
    area.save()


@transaction.atomic
def focus_areas_save(*, ministry, year, areas, deleted, version, acting_user):
    """Save ``areas`` in this order (positions 0, 1 …) and delete ``deleted``.

    ``version`` is the one the page was opened at: ``EditConflict`` if someone
    saved the year's areas meanwhile.
    """
    _require(acting_user, ministry)
    Organisation.objects.select_for_update().filter(pk=ministry.pk).exists()
    versioning.check_version(version, focus_areas_version(ministry, year))
    for area in deleted:
        area._history_user = acting_user
        area.delete()
    for position, area in enumerate(areas):
        area.ministry, area.year, area.position = ministry, year, position
        _record(area, acting_user)


@transaction.atomic
def focus_areas_copy(*, ministry, from_year, to_year, acting_user, check=True):
    """Start ``to_year`` with the areas of ``from_year``; nothing if it has some.

    Years in the texts move on to ``{jahr}`` and ``{vorjahr}`` where that is
    safe; the page lists the years left. Returns the number of areas copied.
    ``check=False`` is for services that asked the policy themselves (the
    rollover).
    """
    if check:
        _require(acting_user, ministry)
    if FocusArea.objects.of(ministry, to_year).exists():
        return 0
    sources = list(FocusArea.objects.of(ministry, from_year))
    for area in sources:
        copy = FocusArea(
            ministry=ministry,
            year=to_year,
            position=area.position,
            title=move_years(area.title, from_year).text,
            text=move_years(area.text, from_year).text,
        )
        _record(copy, acting_user)
    return len(sources)

"""Writes that touch several objects: creating, copying and ordering."""

import datetime

from django.db import transaction
from django.db.models import Max

from .models import Agreement, FocusArea, Goal, Party, PartyRole, Target

_COPIED_TEXT_FIELDS = (
    "legal_basis",
    "preamble",
    "references",
    "goals_intro",
    "cooperation",
)
_COPIED_PARTY_FIELDS = (
    "representative_salutation",
    "representative_name",
    "representative_function",
    "in_representation",
    "signing_place",
)


@transaction.atomic
def agreement_create(*, provider, year, copy_previous=False):
    """Create a draft agreement with both parties under the names valid in ``year``.

    With ``copy_previous`` the latest earlier agreement of the provider lends
    its texts, focus areas, goals and targets; its representatives are taken
    over in any case, since they rarely change from one year to the next.
    """
    previous = (
        Agreement.objects.filter(provider=provider, year__lt=year)
        .order_by("-year", "-version")
        .first()
    )
    agreement = Agreement(provider=provider, year=year)
    if previous and copy_previous:
        for field in _COPIED_TEXT_FIELDS:
            setattr(agreement, field, getattr(previous, field))
    agreement.save()
    _create_parties(agreement, previous)
    if previous and copy_previous:
        _copy_structure(previous, agreement)
    return agreement


def _create_parties(agreement, previous):
    first_day = datetime.date(agreement.year, 1, 1)
    organisations = {
        PartyRole.MINISTRY: agreement.provider.supervisor,
        PartyRole.PROVIDER: agreement.provider,
    }
    earlier = (
        {party.role: party for party in previous.parties.all()} if previous else {}
    )
    for role, organisation in organisations.items():
        names = organisation.names_on(first_day)
        party = Party(
            agreement=agreement,
            role=role,
            organisation=organisation,
            name=names.name,
            short_name=names.short_name,
            signing_place=organisation.seat,
        )
        if role in earlier:
            for field in _COPIED_PARTY_FIELDS:
                setattr(party, field, getattr(earlier[role], field))
        party.save()


def _copy_structure(source, target_agreement):
    for area in source.focus_areas.all():
        FocusArea.objects.create(
            agreement=target_agreement,
            position=area.position,
            title=area.title,
            text=area.text,
        )
    for goal in source.goals.prefetch_related("targets"):
        targets = list(goal.targets.all())
        goal.pk = None
        goal.agreement = target_agreement
        goal.save()
        for target in targets:
            target.pk = None
            target.goal = goal
            target.save()


def next_position(queryset):
    """The position after the last one in ``queryset``."""
    highest = queryset.aggregate(highest=Max("position"))["highest"]
    return 0 if highest is None else highest + 1


@transaction.atomic
def goal_create(*, goal):
    goal.position = next_position(Goal.objects.filter(agreement=goal.agreement))
    goal.save()
    return goal


@transaction.atomic
def target_create(*, target):
    target.position = next_position(Target.objects.filter(goal=target.goal))
    target.save()
    return target


@transaction.atomic
def item_move(*, item, siblings, offset):
    """Move ``item`` ``offset`` places (−1 up, +1 down) among ``siblings``.

    Positions are renumbered 0, 1, 2 … so gaps and ties from older data
    cannot make a move jump or do nothing. Returns whether anything moved.
    """
    ordered = list(siblings.select_for_update().order_by("position", "pk"))
    index = next(i for i, sibling in enumerate(ordered) if sibling.pk == item.pk)
    new_index = index + offset
    if not 0 <= new_index < len(ordered):
        return False
    ordered.insert(new_index, ordered.pop(index))
    for position, sibling in enumerate(ordered):
        if sibling.position != position:
            sibling.position = position
            sibling.save(update_fields=["position"])
    return True


@transaction.atomic
def focus_areas_renumber(*, agreement):
    """Give focus areas positions in the order they are shown."""
    for position, area in enumerate(agreement.focus_areas.order_by("position", "pk")):
        if area.position != position:
            area.position = position
            area.save(update_fields=["position"])

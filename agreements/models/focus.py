"""The state's focus areas (Schwerpunkte) of a year, shared by all its agreements.

A ministry states its focus areas once per year; every agreement of that
ministry and year prints them. They are part of what is printed for
signature: as soon as one agreement of the ministry and year is final or
signed, its focus areas are locked like the agreement itself
(``FocusAreaLockedError``; bulk ``update()``, ``delete()``,
``bulk_create()`` and ``bulk_update()`` too).
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zielsteuerung.accounts.models import Organisation, OrganisationKind

from .agreement import (
    LOCKED_STATUSES,
    MAX_YEAR,
    MIN_YEAR,
    Agreement,
    AgreementLockedError,
)


class FocusAreaLockedError(AgreementLockedError):
    """Something tried to change the focus areas of a year already signed."""

    def __init__(self):
        super(AgreementLockedError, self).__init__(
            _(
                "Eine Zielvereinbarung dieses Jahres ist schon als Endfassung "
                "festgelegt oder unterzeichnet. Die Schwerpunkte sind Teil davon "
                "und können nicht mehr geändert werden."
            )
        )


def locked_years(pairs):
    """Which of the ``(ministry id, year)`` pairs have a final or signed agreement."""
    pairs = set(pairs)
    if not pairs:
        return set()
    condition = Q()
    for ministry_id, year in pairs:
        condition |= Q(provider__supervisor_id=ministry_id, year=year)
    locked = Agreement.objects.filter(condition, status__in=LOCKED_STATUSES)
    return set(locked.values_list("provider__supervisor_id", "year"))


class FocusAreaQuerySet(models.QuerySet):
    def of(self, ministry, year):
        return self.filter(ministry=ministry, year=year)

    def _refuse_if_locked(self, changes=None):
        """The rows' years, and the years an update would move them to."""
        pairs = set(self.values_list("ministry_id", "year"))
        changes = changes or {}
        ministry = changes.get("ministry_id", changes.get("ministry"))
        ministry = getattr(ministry, "pk", ministry)
        pairs |= {
            (ministry or ministry_id, changes.get("year", year))
            for ministry_id, year in pairs
        }
        if locked_years(pairs):
            raise FocusAreaLockedError

    def update(self, **kwargs):
        self._refuse_if_locked(kwargs)
        return super().update(**kwargs)

    def delete(self):
        self._refuse_if_locked()
        return super().delete()

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        if locked_years({(obj.ministry_id, obj.year) for obj in objs}):
            raise FocusAreaLockedError
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        stored = self.filter(pk__in=[obj.pk for obj in objs])
        pairs = {(obj.ministry_id, obj.year) for obj in objs}
        if locked_years(pairs | set(stored.values_list("ministry_id", "year"))):
            raise FocusAreaLockedError
        return super().bulk_update(objs, fields, *args, **kwargs)


class FocusArea(models.Model):
    """One of the state's focus areas of a year."""

    ministry = models.ForeignKey(
        Organisation,
        verbose_name=_("Ministerium"),
        on_delete=models.PROTECT,
        related_name="focus_areas",
        limit_choices_to={"kind": OrganisationKind.MINISTRY},
    )
    year = models.PositiveSmallIntegerField(
        _("Jahr"), validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]
    )
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    title = models.CharField(_("Titel"), max_length=300)
    text = models.TextField(_("Text"), blank=True)

    history = HistoricalRecords()
    objects = FocusAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("Schwerpunkt")
        verbose_name_plural = _("Schwerpunkte")
        ordering = ["ministry", "year", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=MIN_YEAR) & Q(year__lte=MAX_YEAR),
                name="focus_area_year_in_range",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self._refuse_if_locked()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_locked()
        return super().delete(*args, **kwargs)

    def _refuse_if_locked(self):
        """The year it is saved into, or the one it was stored in, is locked."""
        pairs = [(self.ministry_id, self.year)]
        if self.pk is not None:
            pairs += (
                type(self)
                ._base_manager.filter(pk=self.pk)
                .values_list("ministry_id", "year")
            )
        if locked_years(pairs):
            raise FocusAreaLockedError

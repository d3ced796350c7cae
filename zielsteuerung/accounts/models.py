"""Organisations (the ministry and the providers) and their users."""

import datetime

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class OrganisationKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministerium")
    PROVIDER = "provider", _("Zugelassener kommunaler Träger")


class OrganisationQuerySet(models.QuerySet):
    def providers(self):
        return self.filter(kind=OrganisationKind.PROVIDER)

    def ministries(self):
        return self.filter(kind=OrganisationKind.MINISTRY)


class Organisation(models.Model):
    """The ministry of a state, or a provider (Träger) with its Jobcenter.

    The name fields hold the current names; earlier ones are kept as
    ``OrganisationName`` rows so that a document of 2014 can show the name
    that was valid in 2014.
    """

    kind = models.CharField(_("Art"), max_length=20, choices=OrganisationKind.choices)
    name = models.CharField(
        _("Amtlicher Name"),
        max_length=200,
        help_text=_("z. B. „Kreis Coesfeld“ oder der volle Name des Ministeriums"),
    )
    short_name = models.CharField(
        _("Kurzname"), max_length=60, help_text=_("z. B. „Coesfeld“ oder „MAGS NRW“")
    )
    regional_key = models.CharField(
        _("Regionalschlüssel"),
        max_length=12,
        unique=True,
        validators=[RegexValidator(r"^\d{2,12}$", _("Nur Ziffern, z. B. 05558."))],
        help_text=_(
            "Amtlicher Gemeindeschlüssel (AGS), z. B. 05558 für Kreis Coesfeld"
        ),
    )
    jobcenter_name = models.CharField(
        _("Name des Jobcenters"),
        max_length=200,
        blank=True,
        help_text=_("z. B. „Jobcenter des Kreises Coesfeld“ (nur bei Trägern)"),
    )
    seat = models.CharField(
        _("Sitz"),
        max_length=100,
        blank=True,
        help_text=_("Ort, der im Unterschriftenblock steht, z. B. Düsseldorf"),
    )
    supervisor = models.ForeignKey(
        "self",
        verbose_name=_("Zuständiges Ministerium"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="providers",
        limit_choices_to={"kind": OrganisationKind.MINISTRY},
        help_text=_("Bei Trägern: das Landesministerium, mit dem sie vereinbaren"),
    )
    requires_second_factor = models.BooleanField(
        _("Zweiter Faktor verpflichtend"),
        default=False,
        help_text=_(
            "Alle Benutzer dieser Organisation – bei einem Ministerium auch die "
            "Benutzer seiner Träger – melden sich mit einem Einmalcode aus einer "
            "Authenticator-App an."
        ),
    )

    objects = OrganisationQuerySet.as_manager()
    # Admin changes keep old → new (who, when).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Organisation")
        verbose_name_plural = _("Organisationen")
        ordering = ["kind", "short_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="ministry", supervisor__isnull=True)
                | Q(kind="provider", supervisor__isnull=False),
                name="provider_has_supervising_ministry",
                violation_error_message=_(
                    "Ein Träger braucht ein zuständiges Ministerium, "
                    "ein Ministerium hat keines."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_ministry(self):
        return self.kind == OrganisationKind.MINISTRY

    def names_on(self, day):
        """The names valid on ``day`` (a date), as an ``OrganisationName``."""
        for former in self.former_names.all():  # ordered by valid_until
            if day <= former.valid_until:
                return former
        return OrganisationName(
            organisation=self,
            name=self.name,
            short_name=self.short_name,
            jobcenter_name=self.jobcenter_name,
            valid_until=datetime.date.max,
        )


class OrganisationName(models.Model):
    """A name an organisation had until a date (e.g. MAIS NRW until 2017)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="former_names"
    )
    name = models.CharField(_("Amtlicher Name"), max_length=200)
    short_name = models.CharField(_("Kurzname"), max_length=60)
    jobcenter_name = models.CharField(
        _("Name des Jobcenters"), max_length=200, blank=True
    )
    valid_until = models.DateField(_("Gültig bis"))

    class Meta:
        verbose_name = _("Früherer Name")
        verbose_name_plural = _("Frühere Namen")
        ordering = ["organisation", "valid_until"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "valid_until"], name="one_name_per_end_date"
            )
        ]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    EDITOR = "editor", _("Bearbeitung")
    READER = "reader", _("Nur lesen")


class User(AbstractUser):
    """A person who signs in; belongs to one organisation.

    Superusers for the technical admin may exist without an organisation;
    they see the admin only, not the business pages.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("Organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    role = models.CharField(
        _("Rolle"), max_length=20, choices=Role.choices, default=Role.READER
    )
    # Admin changes keep old → new; the password hash and sign-in times stay
    # out of the history.
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta(AbstractUser.Meta):
        verbose_name = _("Benutzer")
        verbose_name_plural = _("Benutzer")

    def __str__(self):
        return self.get_full_name() or self.username

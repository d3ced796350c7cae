"""Organisations (the ministry and the providers) and their users."""

import datetime

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import PermissionDenied
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from . import grammar


class OrganisationKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministerium")
    PROVIDER = "provider", _("Zugelassener kommunaler Träger")


class Gender(models.TextChoices):
    MASCULINE = grammar.MASCULINE, _("der (z. B. der Kreis)")
    FEMININE = grammar.FEMININE, _("die (z. B. die Stadt)")
    NEUTER = grammar.NEUTER, _("das (z. B. das Ministerium)")


class Salutation(models.TextChoices):
    """How a signatory is addressed: „Herrn Landrat …“, „Frau Staatssekretärin …“."""

    NONE = "", _("ohne Anrede")
    MR = "mr", _("Herr")
    MS = "ms", _("Frau")


class NameGrammar(models.Model):
    """How a name is declined after its article: „dem Bayerischen …“.

    Blank fields are guessed from the name (``grammar.guess``); people
    correct them where the guess is wrong.
    """

    gender = models.CharField(
        _("Artikel"), max_length=1, choices=Gender.choices, blank=True
    )
    name_nominative = models.CharField(
        _("Name nach „der/die/das“"),
        max_length=200,
        blank=True,
        help_text=_("z. B. „Bayerische Staatsministerium für …“"),
    )
    name_dative = models.CharField(
        _("Name nach „dem/der“"),
        max_length=200,
        blank=True,
        help_text=_("z. B. „Bayerischen Staatsministerium für …“"),
    )
    name_accusative = models.CharField(
        _("Name nach „den/die/das“"),
        max_length=200,
        blank=True,
        help_text=_("z. B. „Bayerische Staatsministerium für …“"),
    )

    class Meta:
        abstract = True

    def name_forms(self):
        return grammar.forms(
            self.name,
            self.gender,
            self.name_nominative,
            self.name_dative,
            self.name_accusative,
        )

    def fill_grammar(self):
        """Fill blank grammar fields with the guess, e.g. before a form shows them."""
        forms = self.name_forms()
        self.gender = forms.gender
        self.name_nominative = forms.nominative
        self.name_dative = forms.dative
        self.name_accusative = forms.accusative


class OrganisationQuerySet(models.QuerySet):
    def providers(self):
        return self.filter(kind=OrganisationKind.PROVIDER)

    def ministries(self):
        return self.filter(kind=OrganisationKind.MINISTRY)


class Organisation(NameGrammar):
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
    state_name = models.CharField(
        _("Land"),
        max_length=100,
        blank=True,
        help_text=_("Bei Ministerien: das Land, z. B. „Nordrhein-Westfalen“"),
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
    signatory_salutation = models.CharField(
        _("Anrede der unterzeichnenden Person"),
        max_length=5,
        choices=Salutation.choices,
        blank=True,
    )
    signatory_function = models.CharField(
        _("Funktion der unterzeichnenden Person"),
        max_length=100,
        blank=True,
        help_text=_("Heutige Inhaberin oder heutiger Inhaber, z. B. Landrat"),
    )
    signatory_name = models.CharField(
        _("Name der unterzeichnenden Person"),
        max_length=200,
        blank=True,
        help_text=_(
            "Neue Vereinbarungen schlagen sie als Vertretung vor; leer lassen, "
            "um die Vertretung der letzten Vereinbarung zu übernehmen."
        ),
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

    def clean(self):
        self.fill_grammar()

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
            gender=self.gender,
            name_nominative=self.name_nominative,
            name_dative=self.name_dative,
            name_accusative=self.name_accusative,
            valid_until=datetime.date.max,
        )


class OrganisationName(NameGrammar):
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

    def clean(self):
        self.fill_grammar()


class Role(models.TextChoices):
    EDITOR = "editor", _("Bearbeitung")
    READER = "reader", _("Nur lesen")


class UserDeletionRefused(PermissionDenied):
    """Users are deactivated, never deleted: their names stay in every history."""

    def __init__(self):
        super().__init__(
            _(
                "Benutzer werden nicht gelöscht, sondern deaktiviert: ihr Name "
                "bleibt in jedem Änderungsverlauf erhalten."
            )
        )


class UserQuerySet(models.QuerySet):
    def delete(self):
        raise UserDeletionRefused

    delete.queryset_only = True


class KeptUserManager(UserManager.from_queryset(UserQuerySet)):
    """Django's user manager whose querysets refuse ``delete()``."""


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
    manages_users = models.BooleanField(
        _("Benutzerverwaltung"),
        default=False,
        help_text=_(
            "Legt Benutzer des Ministeriums und seiner Träger an, deaktiviert "
            "sie, vergibt Rollen, setzt den zweiten Faktor zurück und legt "
            "Träger an. Nur für Benutzer eines Ministeriums."
        ),
    )
    # Admin changes keep old → new; the password hash and sign-in times stay
    # out of the history.
    history = HistoricalRecords(excluded_fields=["password", "last_login"])
    objects = KeptUserManager()

    class Meta(AbstractUser.Meta):
        verbose_name = _("Benutzer")
        verbose_name_plural = _("Benutzer")

    def __str__(self):
        return self.get_full_name() or self.username

    def delete(self, *args, **kwargs):
        raise UserDeletionRefused

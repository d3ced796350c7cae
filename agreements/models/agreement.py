"""The agreement itself, its status and the lock on signed ones."""

import secrets

from django.core.exceptions import PermissionDenied
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zielsteuerung.accounts import policy
from zielsteuerung.accounts.models import Organisation, OrganisationKind

MIN_YEAR = 2005  # the first year of the SGB II
MAX_YEAR = 2100
DEFAULT_LEGAL_BASIS = "§ 48b Abs. 1 S. 1 Nr. 4 SGB II"


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    NEGOTIATION = "negotiation", _("In Verhandlung")
    FINAL = "final", _("Endfassung")
    SIGNED = "signed", _("Unterzeichnet")


class AgreementLockedError(PermissionDenied):
    """Something tried to change a signed agreement."""

    def __init__(self):
        super().__init__(
            _(
                "Die Zielvereinbarung ist unterzeichnet und kann nicht mehr "
                "geändert werden. Legen Sie eine Änderungsvereinbarung an."
            )
        )


class LockedQuerySet(models.QuerySet):
    """Bulk ``update()`` and ``delete()`` refuse rows of signed agreements."""

    def _refuse_if_signed(self):
        lookup = self.model.signed_status_lookup
        if self.filter(**{lookup: AgreementStatus.SIGNED}).exists():
            raise AgreementLockedError

    def update(self, **kwargs):
        self._refuse_if_signed()
        return super().update(**kwargs)

    def delete(self):
        self._refuse_if_signed()
        return super().delete()


class LockedWhenSigned(models.Model):
    """Refuses to save or delete once the agreement this belongs to is signed.

    ``signed_status_lookup`` leads from the model to its agreement's status;
    ``parent_lookup`` is (lookup on Agreement, attribute of this object) that
    finds the agreement this object is being saved into.
    """

    signed_status_lookup = "agreement__status"
    parent_lookup = ("pk", "agreement_id")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._refuse_if_signed()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_signed()
        return super().delete(*args, **kwargs)

    def _refuse_if_signed(self):
        """One query: the stored row's agreement or the new one is signed."""
        lookup, attribute = self.parent_lookup
        condition = Q(**{lookup: getattr(self, attribute)})
        if self.pk is not None:
            stored = self.signed_status_lookup.removesuffix("status")
            stored = stored.removesuffix("__") or "pk"
            rows = type(self)._base_manager.filter(pk=self.pk)
            condition |= Q(pk__in=rows.values(stored))
        signed = Agreement.objects.filter(condition, status=AgreementStatus.SIGNED)
        if signed.exists():
            raise AgreementLockedError


class AgreementQuerySet(LockedQuerySet):
    def visible_to(self, user):
        return self.filter(provider__in=policy.providers_visible_to(user))

    def for_year(self, year):
        return self.filter(year=year)

    def in_force(self):
        """Per provider and year the version in force.

        The latest signed version; before anything is signed, the latest final
        or negotiated version (not yet signed). Drafts — new agreements and
        draft amendments alike — are never in force.
        """
        same = self.model._base_manager.filter(
            provider=OuterRef("provider"), year=OuterRef("year")
        )
        signed = same.filter(status=AgreementStatus.SIGNED)
        newer = same.filter(version__gt=OuterRef("version"))
        pending = [AgreementStatus.FINAL, AgreementStatus.NEGOTIATION]
        return self.filter(
            Q(status=AgreementStatus.SIGNED)
            & ~Exists(newer.filter(status=AgreementStatus.SIGNED))
            | Q(status__in=pending)
            & ~Exists(signed)
            & ~Exists(newer.filter(status__in=pending))
        )


def _agreement_file_path(instance, prefix):
    """``zielvereinbarungen/05558/2014-fassung-1/archiv-<random>.pdf``.

    The random part keeps names unguessable; files are served only through
    views that ask the policy, never from MEDIA_URL.
    """
    return (
        f"zielvereinbarungen/{instance.provider.regional_key}/"
        f"{instance.year}-fassung-{instance.version}/"
        f"{prefix}-{secrets.token_hex(8)}.pdf"
    )


def signed_copy_path(instance, filename):
    return _agreement_file_path(instance, "unterschrieben")


def archive_path(instance, filename):
    return _agreement_file_path(instance, "archiv")


class Agreement(LockedWhenSigned):
    """One provider's agreement with its ministry for one year."""

    provider = models.ForeignKey(
        Organisation,
        verbose_name=_("Träger"),
        on_delete=models.PROTECT,
        related_name="agreements",
        limit_choices_to={"kind": OrganisationKind.PROVIDER},
    )
    year = models.PositiveSmallIntegerField(
        _("Jahr"), validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]
    )
    version = models.PositiveSmallIntegerField(
        _("Fassung"),
        default=1,
        editable=False,
        help_text=_("1 für die ursprüngliche Vereinbarung, ab 2 für Änderungen"),
    )
    status = models.CharField(
        _("Status"),
        max_length=20,
        choices=AgreementStatus.choices,
        default=AgreementStatus.DRAFT,
    )
    legal_basis = models.CharField(
        _("Rechtsgrundlage"), max_length=200, default=DEFAULT_LEGAL_BASIS
    )
    preamble = models.TextField(
        _("Präambel"),
        blank=True,
        help_text=_(
            "Absätze durch Leerzeilen trennen; Aufzählungen mit „- “ beginnen."
        ),
    )
    references = models.TextField(
        _("Bezugsdokumente"),
        blank=True,
        help_text=_(
            "Übergeordnete Planungsdokumente des Jahres und die Anlage "
            "(Lokales Planungsdokument)."
        ),
    )
    goals_intro = models.TextField(
        _("Einleitung zu den Zielen"),
        blank=True,
        help_text=_("Satz vor den Zielen, z. B. wozu sich die Partner verpflichten."),
    )
    cooperation = models.TextField(
        _("Zusammenarbeit"),
        blank=True,
        help_text=_("Steuerungsdialoge und Beurteilung der Zielerreichung."),
    )
    focus_heading = models.CharField(
        _("Überschrift der Schwerpunkte"),
        max_length=300,
        blank=True,
        help_text=_("Leer lassen für die übliche Überschrift mit Land und Jahr."),
    )
    goals_heading = models.CharField(
        _("Überschrift der Ziele"),
        max_length=300,
        blank=True,
        help_text=_(
            "Leer lassen für „1. Ziele {jahr}“. Platzhalter: {jahr}, {jobcenter}."
        ),
    )
    cooperation_heading = models.CharField(
        _("Überschrift der Zusammenarbeit"),
        max_length=300,
        blank=True,
        help_text=_("Leer lassen für „2. Zusammenarbeit“."),
    )
    amends = models.ForeignKey(
        "self",
        verbose_name=_("Ändert"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="amendments",
        help_text=_("Die unterzeichnete Fassung, die diese Vereinbarung ändert"),
    )
    signed_at = models.DateTimeField(
        _("Unterzeichnung erfasst am"), null=True, blank=True, editable=False
    )
    signed_copy = models.FileField(
        _("Unterschriebene Fassung"),
        upload_to=signed_copy_path,
        blank=True,
        editable=False,
    )
    archive_pdf = models.FileField(
        _("Archivexemplar"), upload_to=archive_path, blank=True, editable=False
    )
    archive_sha256 = models.CharField(
        _("SHA-256 des Archivexemplars"), max_length=64, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Geändert am"), auto_now=True)

    history = HistoricalRecords()
    objects = AgreementQuerySet.as_manager()

    signed_status_lookup = "status"
    parent_lookup = ("pk", "pk")

    class Meta:
        verbose_name = _("Zielvereinbarung")
        verbose_name_plural = _("Zielvereinbarungen")
        ordering = ["-year", "provider__short_name", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "year", "version"],
                name="one_agreement_per_provider_year_version",
                violation_error_message=_(
                    "Für diesen Träger und dieses Jahr gibt es bereits eine "
                    "Zielvereinbarung."
                ),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=MIN_YEAR) & Q(year__lte=MAX_YEAR),
                name="agreement_year_in_range",
            ),
            models.CheckConstraint(
                condition=Q(version=1, amends__isnull=True)
                | Q(version__gt=1, amends__isnull=False),
                name="amendment_refers_to_predecessor",
            ),
            models.CheckConstraint(
                condition=~Q(status="signed") | ~Q(archive_sha256=""),
                name="signed_agreement_is_archived",
            ),
        ]

    def __str__(self):
        return _("Zielvereinbarung %(year)s – %(provider)s") % {
            "year": self.year,
            "provider": self.provider.name,
        }

    def get_absolute_url(self):
        return reverse("agreements:detail", args=[self.pk])

    @property
    def is_editable(self):
        """Content may change until it is frozen as final or signed."""
        return self.status in (AgreementStatus.DRAFT, AgreementStatus.NEGOTIATION)

    @property
    def is_in_negotiation(self):
        return self.status == AgreementStatus.NEGOTIATION

    @property
    def is_final(self):
        return self.status == AgreementStatus.FINAL

    @property
    def is_signed(self):
        return self.status == AgreementStatus.SIGNED

    @property
    def is_amendment(self):
        return self.amends_id is not None

    def has_amendment(self):
        """Whether a newer version (an amendment) of this agreement exists."""
        return self.amendments.exists()

    def version_in_force(self):
        """The version of this provider's agreement for the year that is in force."""
        return (
            Agreement.objects.filter(provider_id=self.provider_id, year=self.year)
            .in_force()
            .first()
        )

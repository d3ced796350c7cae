"""Agreements (Zielvereinbarungen), their parties, goals and targets.

A signed agreement is a legal document: it and everything in it are locked.
``LockedWhenSigned`` refuses ``save()`` and ``delete()`` of a signed agreement
and of its parties, focus areas, goals and targets, and ``LockedQuerySet``
refuses bulk ``update()`` and ``delete()`` touching them; both raise
``AgreementLockedError`` (a ``PermissionDenied``, so a request that somehow
gets there answers 403). The only way to change a signed agreement is an
amendment: a new version that starts as a draft copy (``services.agreement_amend``).
Raw SQL and ``QuerySet._update`` are not guarded.
"""

import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from indicators import registry
from indicators.months import MONTH_NAMES
from indicators.registry import Unit
from zielsteuerung.accounts import policy
from zielsteuerung.accounts.models import Organisation, OrganisationKind
from zielsteuerung.numbers import format_decimal, relative_change

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


class PartyRole(models.TextChoices):
    MINISTRY = "ministry", _("Ministerium")
    PROVIDER = "provider", _("Träger")


class Salutation(models.TextChoices):
    NONE = "", _("ohne Anrede")
    MR = "mr", _("Herr")
    MS = "ms", _("Frau")


_FEMININE_HEADS = ("stadt", "verwaltung", "region", "gemeinde")


@dataclass
class Articles:
    """Definite articles for an organisation's name (``der Kreis``, ``die Stadt``)."""

    nominative: str
    dative: str
    accusative: str

    @classmethod
    def for_name(cls, name):
        head = name.split(" ")[0].lower()
        if "ministerium" in head:
            return cls("das", "dem", "das")
        if head.endswith(_FEMININE_HEADS):
            return cls("die", "der", "die")
        return cls("der", "dem", "den")


class Party(LockedWhenSigned):
    """A party of one agreement, with the names valid for it and its signatory."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="parties"
    )
    role = models.CharField(_("Rolle"), max_length=20, choices=PartyRole.choices)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("Organisation"), on_delete=models.PROTECT
    )
    name = models.CharField(
        _("Name im Vertrag"),
        max_length=200,
        help_text=_("Der zum Zeitpunkt der Vereinbarung gültige amtliche Name."),
    )
    short_name = models.CharField(
        _("Kurzname im Vertrag"), max_length=60, help_text=_("z. B. „MAGS NRW“")
    )
    representative_salutation = models.CharField(
        _("Anrede"), max_length=5, choices=Salutation.choices, blank=True
    )
    representative_name = models.CharField(
        _("Vertreten durch"),
        max_length=200,
        blank=True,
        help_text=_("Name der unterzeichnenden Person, z. B. Dr. Kai Zwicker"),
    )
    representative_function = models.CharField(
        _("Funktion"),
        max_length=100,
        blank=True,
        help_text=_("z. B. Staatssekretär oder Landrat"),
    )
    in_representation = models.BooleanField(
        _("„In Vertretung“"),
        default=False,
        help_text=_(
            "Ankreuzen, wenn in Vertretung der Ministerin oder des Ministers "
            "gezeichnet wird."
        ),
    )
    signing_place = models.CharField(
        _("Ort der Unterschrift"), max_length=100, blank=True
    )
    signing_date = models.DateField(_("Datum der Unterschrift"), null=True, blank=True)

    history = HistoricalRecords()
    objects = LockedQuerySet.as_manager()

    class Meta:
        verbose_name = _("Vertragspartei")
        verbose_name_plural = _("Vertragsparteien")
        ordering = ["agreement", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "role"], name="one_party_per_role"
            )
        ]

    def __str__(self):
        return self.name

    @property
    def articles(self):
        """The articles that go with the party's name, e.g. ``der Stadt Essen``."""
        return Articles.for_name(self.name)

    @property
    def representative(self):
        """``Herrn Staatssekretär Dr. Wilhelm Schäffer`` as in „vertreten durch …“."""
        salutation = {Salutation.MR: "Herrn", Salutation.MS: "Frau"}.get(
            self.representative_salutation, ""
        )
        parts = [salutation, self.representative_function, self.representative_name]
        return " ".join(part for part in parts if part)


class FocusArea(LockedWhenSigned):
    """One of the state's focus areas (Schwerpunkte) of the year."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="focus_areas"
    )
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    title = models.CharField(_("Titel"), max_length=300)
    text = models.TextField(_("Text"), blank=True)

    history = HistoricalRecords()
    objects = LockedQuerySet.as_manager()

    class Meta:
        verbose_name = _("Schwerpunkt")
        verbose_name_plural = _("Schwerpunkte")
        ordering = ["agreement", "position", "pk"]

    def __str__(self):
        return self.title


class Goal(LockedWhenSigned):
    """A numbered section of the goals (I, II, IV-A …)."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="goals"
    )
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    number = models.CharField(
        _("Nummer"), max_length=20, help_text=_("z. B. I, II oder IV-A")
    )
    title = models.CharField(_("Titel"), max_length=300)
    text = models.TextField(
        _("Erläuterung"),
        blank=True,
        help_text=_(
            "Absätze durch Leerzeilen trennen; Aufzählungen mit „- “ beginnen."
        ),
    )

    history = HistoricalRecords()
    objects = LockedQuerySet.as_manager()

    class Meta:
        verbose_name = _("Ziel")
        verbose_name_plural = _("Ziele")
        ordering = ["agreement", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"],
                name="goal_number_unique_per_agreement",
                violation_error_message=_(
                    "Diese Nummer ist in der Vereinbarung schon vergeben."
                ),
            )
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def get_absolute_url(self):
        return (
            reverse("agreements:detail", args=[self.agreement_id]) + f"#ziel-{self.pk}"
        )


class TargetKind(models.TextChoices):
    CHANGE = "change", _("Veränderung gegenüber Vorjahr (%)")
    LEVEL = "level", _("Wert einer Kennzahl")
    COUNT = "count", _("Anzahl")
    GAP = "gap", _("Abstand in Prozentpunkten")
    MONITORING = "monitoring", _("Nur Beobachtung (Monitoring)")
    QUALITATIVE = "qualitative", _("Qualitatives Ziel")


NUMERIC_KINDS = (TargetKind.CHANGE, TargetKind.LEVEL, TargetKind.COUNT, TargetKind.GAP)


class Comparator(models.TextChoices):
    AT_LEAST = "gte", _("mindestens (≥)")
    AT_MOST = "lte", _("höchstens (≤)")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Höher ist besser")
    LOWER = "lower", _("Niedriger ist besser")


class QualitativeStatus(models.TextChoices):
    OPEN = "open", _("Offen")
    IN_PROGRESS = "in_progress", _("In Arbeit")
    ACHIEVED = "achieved", _("Erreicht")
    MISSED = "missed", _("Nicht erreicht")


class Target(LockedWhenSigned):
    """A target under a goal: numeric, monitoring-only or qualitative."""

    signed_status_lookup = "goal__agreement__status"
    parent_lookup = ("goals__pk", "goal_id")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="targets")
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    kind = models.CharField(_("Art"), max_length=20, choices=TargetKind.choices)
    indicator = models.CharField(
        _("Kennzahl"),
        max_length=40,
        choices=registry.indicator_choices,
        blank=True,
        help_text=_("Leer lassen bei lokalen Zielen ohne gesetzliche Kennzahl."),
    )
    wording = models.TextField(
        _("Formulierung"),
        help_text=_("Der Satz, wie er in der Vereinbarung stehen soll."),
    )
    unit = models.CharField(
        _("Einheit"), max_length=20, choices=Unit.choices, blank=True
    )
    baseline_value = models.DecimalField(
        _("Ausgangswert"), max_digits=16, decimal_places=3, null=True, blank=True
    )
    baseline_year = models.PositiveSmallIntegerField(
        _("Ausgangswert: Jahr"),
        null=True,
        blank=True,
        validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)],
    )
    baseline_month = models.PositiveSmallIntegerField(
        _("Ausgangswert: Monat"),
        null=True,
        blank=True,
        choices=[(number, name) for number, name in enumerate(MONTH_NAMES, start=1)],
        help_text=_("Leer lassen, wenn der Ausgangswert für das ganze Jahr gilt."),
    )
    target_value = models.DecimalField(
        _("Zielwert"), max_digits=16, decimal_places=3, null=True, blank=True
    )
    comparator = models.CharField(
        _("Erreicht bei"), max_length=5, choices=Comparator.choices, blank=True
    )
    direction = models.CharField(
        _("Richtung"), max_length=10, choices=Direction.choices, blank=True
    )
    deadline = models.DateField(_("Frist"), null=True, blank=True)
    status = models.CharField(
        _("Stand"),
        max_length=20,
        choices=QualitativeStatus.choices,
        default=QualitativeStatus.OPEN,
    )
    evidence = models.TextField(_("Nachweis"), blank=True)

    history = HistoricalRecords()
    objects = LockedQuerySet.as_manager()

    class Meta:
        verbose_name = _("Zielvorgabe")
        verbose_name_plural = _("Zielvorgaben")
        ordering = ["goal", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=NUMERIC_KINDS) | Q(target_value__isnull=False),
                name="numeric_target_has_value",
            ),
            models.CheckConstraint(
                condition=~Q(kind="count") | Q(target_value__gte=0),
                name="count_target_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(baseline_month__isnull=True)
                | Q(baseline_month__gte=1, baseline_month__lte=12),
                name="baseline_month_valid",
            ),
        ]

    def __str__(self):
        return self.wording[:80]

    @property
    def is_numeric(self):
        return self.kind in NUMERIC_KINDS

    @property
    def indicator_info(self):
        return registry.get(self.indicator)

    @property
    def unit_symbol(self):
        return registry.UNIT_SYMBOLS.get(self.unit, "")

    @property
    def baseline_unit_symbol(self):
        """A change target's baseline is a level of its indicator, not a per cent."""
        if self.kind in (TargetKind.CHANGE, TargetKind.GAP) and self.indicator_info:
            return registry.UNIT_SYMBOLS.get(self.indicator_info.unit, "")
        return self.unit_symbol

    @property
    def baseline_period(self):
        """``Dezember 2013`` or ``2013``; empty when no period is given."""
        if not self.baseline_year:
            return ""
        if self.baseline_month:
            return f"{MONTH_NAMES[self.baseline_month - 1]} {self.baseline_year}"
        return str(self.baseline_year)

    @property
    def implied_change(self):
        """For a level target with a baseline: the relative change it means."""
        if self.kind != TargetKind.LEVEL:
            return None
        return relative_change(self.baseline_value, self.target_value)

    def rule_text(self):
        """The attainment rule in short German words, e.g. ``mindestens +12,6 %``."""
        if self.kind == TargetKind.MONITORING:
            return _("Wird beobachtet, kein Zielwert")
        if self.kind == TargetKind.QUALITATIVE:
            if self.deadline:
                return _("Umsetzung bis %(date)s") % {
                    "date": self.deadline.strftime("%-d.%-m.%Y")
                }
            return _("Umsetzung im Vereinbarungsjahr")
        comparator = {
            Comparator.AT_LEAST: _("mindestens"),
            Comparator.AT_MOST: _("höchstens"),
        }.get(self.comparator, "")
        signed = self.kind in (TargetKind.CHANGE, TargetKind.GAP)
        value = format_decimal(self.target_value, sign=signed)
        unit = self.unit_symbol
        text = " ".join(part for part in (str(comparator), value, unit) if part)
        if self.kind == TargetKind.CHANGE:
            return _("%(rule)s gegenüber dem Vorjahr") % {"rule": text}
        if self.kind == TargetKind.GAP:
            return _("Veränderung des Abstands: %(rule)s") % {"rule": text}
        return text

    def clean(self):
        self._derive_unit()
        errors = {}
        if self.is_numeric:
            self._clean_numeric(errors)
        elif self.target_value is not None:
            errors["target_value"] = (
                _(
                    "Beobachtungsziele haben keinen Zielwert. Lassen Sie das Feld "
                    "leer oder wählen Sie eine andere Art."
                )
                if self.kind == TargetKind.MONITORING
                else _("Qualitative Ziele haben keinen Zahlenwert; bitte leeren.")
            )
        if self.kind in (TargetKind.CHANGE, TargetKind.GAP) and not self.indicator:
            errors["indicator"] = _(
                "Eine Veränderung lässt sich nur für eine Kennzahl messen. "
                "Bitte wählen."
            )
        self._clean_signs(errors)
        self._clean_consistency(errors)
        if errors:
            raise ValidationError(errors)

    def _derive_unit(self):
        """Changes are per cent and gaps points; a level takes its indicator's unit."""
        if self.kind == TargetKind.CHANGE:
            self.unit = Unit.PERCENT
        elif self.kind == TargetKind.GAP:
            self.unit = Unit.PERCENTAGE_POINTS
        elif not self.unit and self.indicator_info is not None:
            self.unit = self.indicator_info.unit

    def _clean_numeric(self, errors):
        if self.target_value is None:
            errors["target_value"] = _(
                "Ein Ziel dieser Art braucht einen Zielwert. Tragen Sie ihn ein "
                "oder wählen Sie „Nur Beobachtung“."
            )
        if not self.comparator:
            errors["comparator"] = _(
                "Bitte angeben, ob der Zielwert mindestens oder höchstens "
                "erreicht werden soll."
            )
        if not self.direction:
            errors["direction"] = _(
                "Bitte angeben, ob höher oder niedriger besser ist."
            )
        if self.kind in (TargetKind.LEVEL, TargetKind.COUNT) and not self.unit:
            errors["unit"] = _("Bitte eine Einheit wählen.")

    def _clean_signs(self, errors):
        counts = self.kind == TargetKind.COUNT or self.unit in (
            Unit.COUNT,
            Unit.PERSONS,
        )
        if counts and self.kind != TargetKind.CHANGE:
            for field in ("target_value", "baseline_value"):
                value = getattr(self, field)
                if value is not None and value < 0:
                    errors.setdefault(field, _("Anzahlen können nicht negativ sein."))
        if self.baseline_value is not None and not self.baseline_year:
            errors.setdefault(
                "baseline_year",
                _("Bitte das Jahr angeben, auf das sich der Ausgangswert bezieht."),
            )

    def _clean_consistency(self, errors):
        contradicting = {
            (Comparator.AT_LEAST, Direction.LOWER),
            (Comparator.AT_MOST, Direction.HIGHER),
        }
        if (self.comparator, self.direction) in contradicting:
            errors.setdefault(
                "comparator",
                _(
                    "„Erreicht bei“ passt nicht zur Richtung: wenn niedriger besser "
                    "ist, gilt „höchstens“, sonst „mindestens“."
                ),
            )

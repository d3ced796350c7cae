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


class Step(models.TextChoices):
    """The steps of the workflow (who may take them: the policy module)."""

    FINALIZE = "finalize", _("Endfassung festlegen")
    REOPEN = "reopen", _("Zurück zum Entwurf")
    SIGN = "sign", _("Unterzeichnung erfassen")
    AMEND = "amend", _("Änderungsvereinbarung anlegen")


# The one table of workflow transitions: step → (from, to). The policy asks
# it whether a step is open now, the services whether they may take it, the
# model lock which status changes a frozen agreement may still save, and the
# admin which agreements are read-only. An amendment leaves the signed
# version as it is and starts a new one as a draft (``to`` is None).
TRANSITIONS = {
    Step.FINALIZE: (
        {AgreementStatus.DRAFT, AgreementStatus.NEGOTIATION},
        AgreementStatus.FINAL,
    ),
    Step.REOPEN: ({AgreementStatus.FINAL}, AgreementStatus.DRAFT),
    Step.SIGN: ({AgreementStatus.FINAL}, AgreementStatus.SIGNED),
    Step.AMEND: ({AgreementStatus.SIGNED}, None),
}
# Content (texts, parties, focus areas, goals, targets) changes only in these;
# the edit form moves between them freely.
EDITABLE_STATUSES = frozenset({AgreementStatus.DRAFT, AgreementStatus.NEGOTIATION})
# Final: the text printed for signature. Signed: the legal document.
LOCKED_STATUSES = frozenset({AgreementStatus.FINAL, AgreementStatus.SIGNED})


def step_open(status, step):
    """Whether ``step`` may be taken from ``status`` (the table above)."""
    return status in TRANSITIONS[step][0]


def step_target(step):
    """The status ``step`` leads to (``TRANSITIONS``)."""
    return TRANSITIONS[step][1]


def status_change_allowed(old, new):
    """Whether an agreement may be saved with its status moved ``old`` → ``new``."""
    if old == new or {old, new} <= EDITABLE_STATUSES:
        return True
    return any(
        old in sources and new == target for sources, target in TRANSITIONS.values()
    )


class AgreementLockedError(PermissionDenied):
    """Something tried to change a final or signed agreement."""

    def __init__(self, status=AgreementStatus.SIGNED):
        super().__init__(_LOCKED_MESSAGES.get(status, _UNDEFINED_CHANGE))


_LOCKED_MESSAGES = {
    AgreementStatus.FINAL: _(
        "Die Zielvereinbarung ist als Endfassung festgelegt; ihr Inhalt kann "
        "nicht mehr geändert werden. Setzen Sie sie mit Begründung zurück zum "
        "Entwurf, um sie zu ändern."
    ),
    AgreementStatus.SIGNED: _(
        "Die Zielvereinbarung ist unterzeichnet und kann nicht mehr geändert "
        "werden. Legen Sie eine Änderungsvereinbarung an."
    ),
}
_UNDEFINED_CHANGE = _("Dieser Statuswechsel ist im Ablauf nicht vorgesehen.")


def _refuse_locked(statuses):
    """Raise for the strongest lock among ``statuses`` (signed before final)."""
    for status in (AgreementStatus.SIGNED, AgreementStatus.FINAL):
        if status in statuses:
            raise AgreementLockedError(status)


def _locked_statuses(queryset):
    """The final and signed statuses among the agreements of ``queryset``'s rows."""
    lookup = queryset.model.signed_status_lookup
    rows = queryset.filter(**{f"{lookup}__in": LOCKED_STATUSES})
    return set(rows.values_list(lookup, flat=True).distinct())


class LockedQuerySet(models.QuerySet):
    """Bulk writes refuse rows of final and signed agreements.

    ``update()``, ``delete()``, ``bulk_update()`` and ``bulk_create()``
    (also with ``update_conflicts``) check the agreements of the rows they
    would touch and of the agreements they would write into.
    """

    def _refuse_parents(self, parent_ids):
        """Refuse writing into a final or signed agreement (by parent id)."""
        parent_ids = set(parent_ids) - {None}
        if parent_ids:
            lookup = self.model.parent_lookup[0]
            found = Agreement._base_manager.filter(
                **{f"{lookup}__in": parent_ids}, status__in=LOCKED_STATUSES
            )
            _refuse_locked(set(found.values_list("status", flat=True)))

    def _parent_ids(self, objs):
        attribute = self.model.parent_lookup[1]
        return [getattr(obj, attribute) for obj in objs]

    def update(self, **kwargs):
        _refuse_locked(_locked_statuses(self))
        attribute = self.model.parent_lookup[1]
        for name in (attribute, attribute.removesuffix("_id")):
            value = kwargs.get(name)
            if isinstance(value, models.Model):
                value = value.pk
            if isinstance(value, int):
                self._refuse_parents([value])
        return super().update(**kwargs)

    def delete(self):
        _refuse_locked(_locked_statuses(self))
        return super().delete()

    def bulk_update(self, objs, fields, batch_size=None):
        objs = list(objs)
        self._refuse_parents(self._parent_ids(objs))
        return super().bulk_update(objs, fields, batch_size=batch_size)

    def bulk_create(self, objs, *args, update_conflicts=False, **kwargs):
        objs = list(objs)
        self._refuse_parents(self._parent_ids(objs))
        if update_conflicts:
            self._refuse_conflicting_rows(objs, kwargs.get("unique_fields"))
        return super().bulk_create(
            objs, *args, update_conflicts=update_conflicts, **kwargs
        )

    def _refuse_conflicting_rows(self, objs, unique_fields):
        """The stored rows an upsert would overwrite must not be locked."""
        attnames = [
            "pk" if name == "pk" else self.model._meta.get_field(name).attname
            for name in (unique_fields or ["pk"])
        ]
        condition = Q()
        for obj in objs:
            condition |= Q(**{name: getattr(obj, name) for name in attnames})
        if condition:
            rows = self.model._base_manager.filter(condition)
            _refuse_locked(_locked_statuses(rows))


class LockedWhenSigned(models.Model):
    """Refuses to save or delete once the agreement this belongs to is frozen.

    Final and signed agreements and their parts are locked. On a final
    agreement the signing step may still write its own fields
    (``step_fields``: status, signing data, place and date of signature and
    the names valid that day), and the agreement's status may move along
    ``TRANSITIONS`` (final → signed, final → draft); nothing else changes.
    ``signed_status_lookup`` leads from the model to its agreement's status;
    ``parent_lookup`` is (lookup on Agreement, attribute of this object) that
    finds the agreement this object is being saved into.
    """

    signed_status_lookup = "agreement__status"
    parent_lookup = ("pk", "agreement_id")
    step_fields = frozenset()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._refuse_if_locked()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_locked(deleting=True)
        return super().delete(*args, **kwargs)

    def _refuse_if_locked(self, deleting=False):
        """The stored row's agreement or the new one is final or signed."""
        lookup, attribute = self.parent_lookup
        condition = Q(**{lookup: getattr(self, attribute)})
        if self.pk is not None:
            stored = self.signed_status_lookup.removesuffix("status")
            stored = stored.removesuffix("__") or "pk"
            rows = type(self)._base_manager.filter(pk=self.pk)
            condition |= Q(pk__in=rows.values(stored))
        statuses = set(
            Agreement._base_manager.filter(condition).values_list("status", flat=True)
        )
        if deleting:
            _refuse_locked(statuses)
        if AgreementStatus.FINAL in statuses and self._changes_only(self.step_fields):
            statuses.discard(AgreementStatus.FINAL)
        if AgreementStatus.SIGNED in statuses and self._archive_only():
            statuses.discard(AgreementStatus.SIGNED)
        _refuse_locked(statuses)

    def _archive_only(self):
        """The archive copy, rendered after signing, is written once (only)."""
        return False

    def _changes_only(self, allowed):
        """Whether this save changes nothing but the fields in ``allowed``."""
        if self.pk is None:
            return False
        fields = [f for f in self._meta.concrete_fields if f.name not in _UNTRACKED]
        stored = (
            type(self)
            ._base_manager.filter(pk=self.pk)
            .values(*(f.attname for f in fields))
            .first()
        )
        if stored is None:
            return False
        changed = {
            f.name
            for f in fields
            if _comparable(stored[f.attname]) != _comparable(getattr(self, f.attname))
        }
        return changed <= allowed


_UNTRACKED = {"created_at", "updated_at"}


def _comparable(value):
    """File fields hold a FieldFile in memory and a name in the database."""
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    return value


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

    def years_in_force(self):
        """The years in which at least one agreement has a version in force.

        A provider's year has a version in force exactly when one of its
        versions is signed, final or under negotiation (``in_force`` then
        picks one of them), so no correlated subquery is needed: the start
        page asks this on every request.
        """
        in_force_statuses = [
            AgreementStatus.SIGNED,
            AgreementStatus.FINAL,
            AgreementStatus.NEGOTIATION,
        ]
        return set(
            self.filter(status__in=in_force_statuses)
            .order_by()
            .values_list("year", flat=True)
            .distinct()
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
    signed_copy_sha256 = models.CharField(
        _("SHA-256 der unterschriebenen Fassung"),
        max_length=64,
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

    # The archive copy is rendered by the worker after the signing commits:
    # a signed agreement takes it once, and nothing else.
    archive_fields = frozenset({"archive_pdf", "archive_sha256"})
    signed_status_lookup = "status"
    parent_lookup = ("pk", "pk")
    # What the workflow steps write on a final agreement (see TRANSITIONS).
    step_fields = frozenset(
        {
            "status",
            "signed_at",
            "signed_copy",
            "signed_copy_sha256",
            "archive_pdf",
            "archive_sha256",
        }
    )

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
                condition=~Q(status="signed") | ~Q(signed_copy=""),
                name="signed_agreement_has_signed_copy",
            ),
        ]

    def __str__(self):
        return _("Zielvereinbarung %(year)s – %(provider)s") % {
            "year": self.year,
            "provider": self.provider.name,
        }

    def save(self, *args, **kwargs):
        _refuse_undefined_status_change(self)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("agreements:detail", args=[self.pk])

    def _archive_only(self):
        stored = (
            Agreement._base_manager.filter(pk=self.pk)
            .values_list("archive_sha256", flat=True)
            .first()
        )
        return stored == "" and self._changes_only(self.archive_fields)

    @property
    def is_editable(self):
        """Content may change until it is frozen as final or signed."""
        return self.status in EDITABLE_STATUSES

    @property
    def is_locked(self):
        """Final or signed: content is frozen (the model and the admin refuse)."""
        return self.status in LOCKED_STATUSES

    def step_open(self, step):
        """Whether the workflow ``step`` may be taken now (``TRANSITIONS``)."""
        return step_open(self.status, step)

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


def _refuse_undefined_status_change(agreement):
    """A stored agreement's status moves only as ``TRANSITIONS`` say."""
    if agreement.pk is None:
        return
    old = (
        Agreement._base_manager.filter(pk=agreement.pk)
        .values_list("status", flat=True)
        .first()
    )
    if old is not None and not status_change_allowed(old, agreement.status):
        raise AgreementLockedError(old)

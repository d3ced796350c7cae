"""The parties and goals of an agreement."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zielsteuerung.accounts import grammar
from zielsteuerung.accounts.models import Gender, Organisation, Salutation

from .agreement import Agreement, LockedQuerySet, LockedWhenSigned


class PartyRole(models.TextChoices):
    MINISTRY = "ministry", _("Ministerium")
    PROVIDER = "provider", _("Träger")


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
        help_text=_(
            "Der am Tag der Unterschrift (vorher: heute) gültige amtliche Name."
        ),
    )
    short_name = models.CharField(
        _("Kurzname im Vertrag"), max_length=60, help_text=_("z. B. „MAGS NRW“")
    )
    gender = models.CharField(
        _("Artikel"), max_length=1, choices=Gender.choices, blank=True
    )
    name_nominative = models.CharField(
        _("Name nach „der/die/das“"), max_length=200, blank=True
    )
    name_dative = models.CharField(_("Name nach „dem/der“"), max_length=200, blank=True)
    name_accusative = models.CharField(
        _("Name nach „den/die/das“"), max_length=200, blank=True
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

    # The signing step records place, date and the names valid that day on
    # a final agreement; nothing else of a party changes once it is final.
    step_fields = frozenset(
        {
            "signing_place",
            "signing_date",
            "name",
            "short_name",
            "gender",
            "name_nominative",
            "name_dative",
            "name_accusative",
        }
    )

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
    def name_forms(self):
        return grammar.forms(
            self.name,
            self.gender,
            self.name_nominative,
            self.name_dative,
            self.name_accusative,
        )

    @property
    def nominative(self):
        """``das Ministerium für …``, ``der Kreis Borken``."""
        return self.name_forms.with_article(0)

    @property
    def dative(self):
        """``dem Bayerischen Staatsministerium …``, ``der Stadt Essen``."""
        return self.name_forms.with_article(1)

    @property
    def accusative(self):
        """``das Bayerische Staatsministerium …``, ``den Kreis Coesfeld``."""
        return self.name_forms.with_article(2)

    @property
    def representative(self):
        """``Herrn Staatssekretär Dr. Wilhelm Schäffer`` as in „vertreten durch …“."""
        salutation = {Salutation.MR: "Herrn", Salutation.MS: "Frau"}.get(
            self.representative_salutation, ""
        )
        parts = [salutation, self.representative_function, self.representative_name]
        return " ".join(part for part in parts if part)


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
    local_intro = models.TextField(
        _("Einleitung zu den lokalen Zielen"),
        blank=True,
        help_text=_(
            "Steht vor der Aufzählung der lokalen Ziele, z. B. „Darüber hinaus "
            "setzt sich das Jobcenter folgende Ziele:“"
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

"""The negotiation of an agreement: proposals of the Jobcenter, answers of the
ministry, round by round.

A ``Proposal`` is one thread: about a target's value (the Jobcenter proposes
a value, the ministry accepts, rejects or counters it, and so on) or a
comment on a target or a text of the agreement. Every ``ProposalRound`` is
kept — who, when, which value, which comment — with the agreement as it was
printed before the round (``state_before``) and, if the round changed it,
after (``state_after``), so any two negotiation states can be compared. Both
are part of the agreement and locked with it once it is signed.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .agreement import Agreement, LockedQuerySet, LockedWhenSigned
from .content import Goal
from .targets import Target


class ProposalSubject(models.TextChoices):
    VALUE = "value", _("Zielwert")
    COMMENT = "comment", _("Anmerkung")


class ProposalStatus(models.TextChoices):
    OPEN = "open", _("offen")
    ACCEPTED = "accepted", _("angenommen")
    REJECTED = "rejected", _("abgelehnt")
    CLOSED = "closed", _("erledigt")


class Side(models.TextChoices):
    MINISTRY = "ministry", _("Ministerium")
    PROVIDER = "provider", _("Jobcenter")


class RoundAction(models.TextChoices):
    PROPOSE = "propose", _("Vorschlag")
    COUNTER = "counter", _("Gegenvorschlag")
    ACCEPT = "accept", _("Angenommen")
    REJECT = "reject", _("Abgelehnt")
    COMMENT = "comment", _("Anmerkung")
    CLOSE = "close", _("Erledigt")


OFFERS = (RoundAction.PROPOSE, RoundAction.COUNTER)


class Proposal(LockedWhenSigned):
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="proposals"
    )
    subject = models.CharField(
        _("Gegenstand"), max_length=10, choices=ProposalSubject.choices
    )
    status = models.CharField(
        _("Stand"),
        max_length=10,
        choices=ProposalStatus.choices,
        default=ProposalStatus.OPEN,
    )
    target = models.ForeignKey(
        Target,
        verbose_name=_("Zielvorgabe"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
    )
    goal = models.ForeignKey(
        Goal,
        verbose_name=_("Ziel"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    section = models.CharField(
        _("Textteil"),
        max_length=40,
        blank=True,
        help_text=_("Bei Anmerkungen zu den Texten der Vereinbarung."),
    )
    about = models.CharField(
        _("Betrifft"),
        max_length=300,
        help_text=_("Wie der Gegenstand hieß, als der Vorschlag begann."),
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Begonnen von"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("Begonnen am"), default=timezone.now)

    history = HistoricalRecords()
    objects = LockedQuerySet.as_manager()

    class Meta:
        verbose_name = _("Vorschlag")
        verbose_name_plural = _("Vorschläge")
        ordering = ["agreement", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["target"],
                condition=Q(status="open", subject="value"),
                name="one_open_value_proposal_per_target",
                violation_error_message=_(
                    "Zu dieser Zielvorgabe ist schon ein Vorschlag offen."
                ),
            )
        ]

    def __str__(self):
        return f"{self.get_subject_display()}: {self.about}"

    @property
    def is_open(self):
        return self.status == ProposalStatus.OPEN

    @property
    def is_value(self):
        return self.subject == ProposalSubject.VALUE


class ProposalRoundQuerySet(LockedQuerySet):
    def without_states(self):
        """Rounds without the stored states, but knowing whether one changed."""
        return self.defer("state_before", "state_after").annotate(
            has_state_after=models.ExpressionWrapper(
                Q(state_after__isnull=False), output_field=models.BooleanField()
            )
        )


class ProposalRound(LockedWhenSigned):
    signed_status_lookup = "proposal__agreement__status"
    parent_lookup = ("proposals__pk", "proposal_id")

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="rounds"
    )
    number = models.PositiveSmallIntegerField(_("Runde"))
    side = models.CharField(_("Seite"), max_length=10, choices=Side.choices)
    action = models.CharField(_("Schritt"), max_length=10, choices=RoundAction.choices)
    value = models.DecimalField(
        _("Wert"), max_digits=16, decimal_places=3, null=True, blank=True
    )
    current_value = models.DecimalField(
        _("Geltender Wert"),
        max_digits=16,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_("Der Zielwert der Vereinbarung vor dieser Runde."),
    )
    comment = models.TextField(_("Anmerkung"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Von"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("Am"), default=timezone.now)
    state_before = models.JSONField(_("Stand vorher"), editable=False)
    state_after = models.JSONField(_("Stand nachher"), null=True, editable=False)

    history = HistoricalRecords(excluded_fields=["state_before", "state_after"])
    objects = ProposalRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("Verhandlungsrunde")
        verbose_name_plural = _("Verhandlungsrunden")
        ordering = ["proposal", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "number"], name="one_round_number_per_proposal"
            ),
            models.CheckConstraint(
                condition=~Q(action__in=["propose", "counter"])
                | Q(value__isnull=False),
                name="offer_has_a_value",
            ),
        ]

    def __str__(self):
        return f"{self.proposal} – {self.get_action_display()} ({self.number})"

    @property
    def is_offer(self):
        return self.action in OFFERS

    @property
    def changed_agreement(self):
        """Whether the round changed the agreement (``without_states`` tells it
        without loading the states)."""
        if "state_after" in self.get_deferred_fields():
            return self.has_state_after
        return self.state_after is not None

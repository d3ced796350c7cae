"""Steering dialogues (Steuerungsdialoge) and the actions agreed in them.

Usually two a year per agreement. A dialogue is planned (date, place,
participants), then prepared: its progress report is rendered once as PDF
and the bytes are kept with their SHA-256, never rendered again. Until the
meeting the ministry may prepare it again on purpose; the earlier report is
kept as a ``DialogueReportVersion``, never overwritten. After the meeting the
ministry records the minutes and the agreed actions; an action stays open,
and reappears in every later dialogue of the provider, until it is marked
done or dropped. A dialogue that does not take place is cancelled with a
reason (it stays in the list, its actions pass on to the next one); one
planned by mistake may be deleted while nothing rests on it.

Dialogues are progress data, not content of the agreement: they are never
locked by its signature. Each belongs to the version in force of its year
when it was planned.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .agreement import Agreement
from .targets import Target


class DialogueStatus(models.TextChoices):
    PLANNED = "planned", _("Geplant")
    PREPARED = "prepared", _("Vorbereitet")
    HELD = "held", _("Durchgeführt")
    CANCELLED = "cancelled", _("Abgesagt")


# The one table of what may be done with a dialogue in which status: the
# policy asks it (``dialogue.step_open``), the services refuse otherwise.
_PLANNED, _PREPARED, _HELD = (
    DialogueStatus.PLANNED,
    DialogueStatus.PREPARED,
    DialogueStatus.HELD,
)
DIALOGUE_STEPS = {
    "update": {_PLANNED, _PREPARED, _HELD},
    "prepare": {_PLANNED},
    "prepare_again": {_PREPARED},
    "comment": {_PLANNED, _PREPARED},
    "minute": {_PREPARED, _HELD},
    "agree_action": {_PREPARED, _HELD},
    "close_action": {_PLANNED, _PREPARED, _HELD},
    "cancel": {_PLANNED, _PREPARED},
    "delete": {_PLANNED},
}


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Offen")
    DONE = "done", _("Erledigt")
    DROPPED = "dropped", _("Entfallen")


def report_path(instance, filename):
    """``dialoge/05558/2023/bericht-<random>.pdf``: unguessable, never served raw."""
    agreement = instance.agreement
    return (
        f"dialoge/{agreement.provider.regional_key}/{agreement.year}/"
        f"bericht-{secrets.token_hex(8)}.pdf"
    )


def report_version_path(instance, filename):
    return report_path(instance.dialogue, filename)


class SteeringDialogueQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(agreement__in=Agreement.objects.visible_to(user))

    def of_year(self, provider, year):
        """Every dialogue of ``provider`` in ``year``, whatever version it rests on."""
        return self.filter(agreement__provider=provider, agreement__year=year)


class SteeringDialogue(models.Model):
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("Zielvereinbarung"),
        on_delete=models.PROTECT,
        related_name="dialogues",
    )
    held_on = models.DateField(_("Datum"))
    place = models.CharField(_("Ort"), max_length=200)
    participants = models.TextField(
        _("Teilnehmende"),
        help_text=_("Eine Person je Zeile, mit Funktion, z. B. „A. Beispiel, MAGS“."),
    )
    status = models.CharField(
        _("Stand"),
        max_length=20,
        choices=DialogueStatus.choices,
        default=DialogueStatus.PLANNED,
    )
    minutes = models.TextField(_("Protokoll"), blank=True)
    cancel_reason = models.TextField(_("Grund der Absage"), blank=True)
    report_pdf = models.FileField(
        _("Fortschrittsbericht"), upload_to=report_path, blank=True, editable=False
    )
    report_sha256 = models.CharField(
        _("SHA-256 des Berichts"), max_length=64, blank=True, editable=False
    )
    report_prepared_at = models.DateTimeField(
        _("Bericht erstellt am"), null=True, blank=True, editable=False
    )
    report_as_of = models.DateField(
        _("Monatswerte bis"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)

    history = HistoricalRecords()
    objects = SteeringDialogueQuerySet.as_manager()

    class Meta:
        verbose_name = _("Steuerungsdialog")
        verbose_name_plural = _("Steuerungsdialoge")
        ordering = ["held_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["planned", "cancelled"]) | ~Q(report_sha256=""),
                name="prepared_dialogue_has_report",
            ),
            models.CheckConstraint(
                condition=(Q(status="cancelled") & ~Q(cancel_reason=""))
                | (~Q(status="cancelled") & Q(cancel_reason="")),
                name="cancelled_dialogue_has_reason",
            ),
        ]

    def __str__(self):
        return _("Steuerungsdialog am %(date)s – %(provider)s") % {
            "date": self.held_on.strftime("%d.%m.%Y"),
            "provider": self.agreement.provider.name,
        }

    def get_absolute_url(self):
        return reverse("agreements:dialogue", args=[self.agreement_id, self.pk])

    @property
    def is_prepared(self):
        return bool(self.report_sha256)

    @property
    def is_held(self):
        return self.status == DialogueStatus.HELD

    @property
    def is_cancelled(self):
        return self.status == DialogueStatus.CANCELLED

    def step_open(self, step):
        """Whether ``step`` may be taken in the current status (``DIALOGUE_STEPS``)."""
        return self.status in DIALOGUE_STEPS[step]

    def participant_lines(self):
        return [line.strip() for line in self.participants.splitlines() if line.strip()]


class DialogueReportVersion(models.Model):
    """An earlier progress report of a dialogue, kept when it was prepared again.

    The file is the one stored then, moved here unchanged: served through the
    dialogue's pages only, never raw from the media folder.
    """

    dialogue = models.ForeignKey(
        SteeringDialogue,
        verbose_name=_("Steuerungsdialog"),
        on_delete=models.PROTECT,
        related_name="report_versions",
    )
    file = models.FileField(
        _("Fortschrittsbericht"), upload_to=report_version_path, editable=False
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    prepared_at = models.DateTimeField(_("Erstellt am"), editable=False)
    as_of = models.DateField(_("Monatswerte bis"), null=True, blank=True)
    replaced_at = models.DateTimeField(_("Ersetzt am"), editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Frühere Fassung des Fortschrittsberichts")
        verbose_name_plural = _("Frühere Fassungen des Fortschrittsberichts")
        ordering = ["prepared_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(sha256=""),
                name="report_version_has_sha256",
            ),
        ]

    def __str__(self):
        return _("Bericht vom %(date)s") % {
            "date": self.prepared_at.strftime("%d.%m.%Y %H:%M")
        }


class DialogueComment(models.Model):
    """The Jobcenter's explanation of a target or comment on the report.

    Comments written before the report is prepared go into it as the
    Jobcenter's explanations; later ones are its comments on the report,
    shown on the dialogue's page before the meeting.
    """

    dialogue = models.ForeignKey(
        SteeringDialogue,
        verbose_name=_("Steuerungsdialog"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    target = models.ForeignKey(
        Target,
        verbose_name=_("Zielvorgabe"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Leer lassen für eine Anmerkung zum Bericht insgesamt."),
    )
    text = models.TextField(_("Anmerkung"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Verfasst von"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("Verfasst am"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Anmerkung zum Steuerungsdialog")
        verbose_name_plural = _("Anmerkungen zum Steuerungsdialog")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:80]


class AgreedAction(models.Model):
    """An action agreed in a dialogue; open until a later one closes it."""

    dialogue = models.ForeignKey(
        SteeringDialogue,
        verbose_name=_("Vereinbart im Steuerungsdialog"),
        on_delete=models.PROTECT,
        related_name="actions",
    )
    description = models.TextField(_("Maßnahme"))
    owner = models.CharField(
        _("Verantwortlich"),
        max_length=200,
        help_text=_("Wer die Maßnahme umsetzt, z. B. „Jobcenter, Teamleitung U25“."),
    )
    due_on = models.DateField(_("Zu erledigen bis"), null=True, blank=True)
    status = models.CharField(
        _("Stand"),
        max_length=10,
        choices=ActionStatus.choices,
        default=ActionStatus.OPEN,
    )
    note = models.TextField(
        _("Vermerk"),
        blank=True,
        help_text=_("Was erreicht wurde oder warum die Maßnahme entfällt."),
    )
    closed_in = models.ForeignKey(
        SteeringDialogue,
        verbose_name=_("Abgeschlossen im Steuerungsdialog"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="closed_actions",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Vereinbarte Maßnahme")
        verbose_name_plural = _("Vereinbarte Maßnahmen")
        ordering = [models.F("due_on").asc(nulls_last=True), "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", closed_in__isnull=True) | ~Q(status="open"),
                name="open_action_is_not_closed",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "done", "dropped"]),
                name="action_status_known",
            ),
        ]

    def __str__(self):
        return self.description[:80]

    @property
    def is_open(self):
        return self.status == ActionStatus.OPEN

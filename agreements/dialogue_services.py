"""Writes about steering dialogues: plan, prepare, comment, minute, actions,
cancel and delete.

Each service checks the policy (``PermissionDenied``) and the dialogue's
state (``DialogueStateError`` with a German message; which step is open in
which status is the table ``DIALOGUE_STEPS``) and records who did it in the
history (django-simple-history's user and change reason).
"""

import hashlib

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zielsteuerung.accounts import policy

from . import reports
from .models import (
    ActionStatus,
    AgreedAction,
    DialogueComment,
    DialogueReportVersion,
    DialogueStatus,
    SteeringDialogue,
)


class DialogueStateError(Exception):
    """The dialogue is not in a state that allows this step (German message)."""


def _require(allowed):
    if not allowed:
        raise PermissionDenied(_("Sie dürfen diesen Schritt nicht ausführen."))


def _record(instance, acting_user, reason=None):
    instance._history_user = acting_user
    instance._change_reason = reason
    instance.save()
    return instance


def _require_step(dialogue, step, message=None):
    """Refuse ``step`` unless ``DIALOGUE_STEPS`` opens it in the current status."""
    if dialogue.step_open(step):
        return
    if dialogue.is_cancelled or message is None:
        message = _("Der Dialog ist abgesagt; er wird nicht mehr bearbeitet.")
    raise DialogueStateError(message)


def _lock(dialogue):
    return (
        SteeringDialogue.objects.select_for_update(of=("self",))
        .select_related("agreement__provider")
        .get(pk=dialogue.pk)
    )


@transaction.atomic
def dialogue_plan(*, agreement, held_on, place, participants, acting_user):
    """A new dialogue of ``agreement``'s provider and year, on the version in force."""
    in_force = agreement.version_in_force()
    if in_force is None:
        raise DialogueStateError(
            _(
                "Für dieses Jahr gilt noch keine Fassung der Zielvereinbarung. "
                "Steuerungsdialoge beziehen sich auf die geltende Fassung."
            )
        )
    _require(policy.can_edit_dialogues(acting_user, in_force))
    dialogue = SteeringDialogue(
        agreement=in_force, held_on=held_on, place=place, participants=participants
    )
    dialogue.full_clean()
    return _record(dialogue, acting_user, _("Steuerungsdialog geplant"))


@transaction.atomic
def dialogue_update(*, dialogue, held_on, place, participants, acting_user):
    """Date, place and participants; they may change until the minutes are in."""
    dialogue = _lock(dialogue)
    _require(policy.can_edit_dialogues(acting_user, dialogue.agreement))
    _require_step(dialogue, "update")
    dialogue.held_on, dialogue.place = held_on, place
    dialogue.participants = participants
    return _record(dialogue, acting_user, _("Termin geändert"))


@transaction.atomic
def dialogue_prepare(*, dialogue, acting_user):
    """Freeze the progress report: rendered once, bytes and SHA-256 kept."""
    dialogue = _lock(dialogue)
    _require(policy.can_edit_dialogues(acting_user, dialogue.agreement))
    _require_step(
        dialogue,
        "prepare",
        _("Der Fortschrittsbericht ist schon erstellt und bleibt unverändert."),
    )
    return _freeze_report(dialogue, acting_user, _("Fortschrittsbericht erstellt"))


@transaction.atomic
def dialogue_prepare_again(*, dialogue, acting_user):
    """A new report from today's figures; the earlier one is kept as it was.

    Only on purpose and only before the meeting: the stored bytes of the
    earlier report move unchanged into a ``DialogueReportVersion``.
    """
    dialogue = _lock(dialogue)
    _require(policy.can_edit_dialogues(acting_user, dialogue.agreement))
    _require_step(
        dialogue,
        "prepare_again",
        _(
            "Der Bericht kann nur neu erstellt werden, solange der Dialog "
            "vorbereitet und noch nicht durchgeführt oder abgesagt ist."
        ),
    )
    prepared_at = timezone.now()
    version = DialogueReportVersion(
        dialogue=dialogue,
        file=dialogue.report_pdf.name,
        sha256=dialogue.report_sha256,
        prepared_at=dialogue.report_prepared_at,
        as_of=dialogue.report_as_of,
        replaced_at=prepared_at,
    )
    _record(version, acting_user, _("Frühere Fassung des Berichts aufbewahrt"))
    return _freeze_report(
        dialogue, acting_user, _("Fortschrittsbericht neu erstellt"), prepared_at
    )


def _freeze_report(dialogue, acting_user, reason, prepared_at=None):
    """Render the report once and keep its bytes, SHA-256 and month of figures."""
    prepared_at = prepared_at or timezone.now()
    data, document = reports.render_report_pdf(dialogue, prepared_at=prepared_at)
    dialogue.report_pdf.save("bericht.pdf", ContentFile(data), save=False)
    dialogue.report_sha256 = hashlib.sha256(data).hexdigest()
    dialogue.report_prepared_at = prepared_at
    dialogue.report_as_of = document.as_of
    dialogue.status = DialogueStatus.PREPARED
    try:
        return _record(dialogue, acting_user, reason)
    except Exception:
        dialogue.report_pdf.storage.delete(dialogue.report_pdf.name)
        raise


def dialogue_cancel_refusal(dialogue):
    """Why ``dialogue`` cannot be cancelled (German), or None."""
    if dialogue.step_open("cancel"):
        return None
    if dialogue.is_cancelled:
        return _("Der Dialog ist schon abgesagt.")
    return _(
        "Ein durchgeführter Dialog kann nicht mehr abgesagt werden: sein "
        "Protokoll ist erfasst."
    )


@transaction.atomic
def dialogue_cancel(*, dialogue, reason, acting_user):
    """The dialogue does not take place; it stays, with the reason, in the list.

    Actions closed in it are open again: a meeting that did not happen closes
    nothing, and the next dialogue takes them up (``carried_over_actions``).
    """
    dialogue = _lock(dialogue)
    _require(policy.can_edit_dialogues(acting_user, dialogue.agreement))
    refusal = dialogue_cancel_refusal(dialogue)
    if refusal:
        raise DialogueStateError(refusal)
    if not (reason or "").strip():
        raise DialogueStateError(_("Bitte den Grund der Absage angeben."))
    for action in AgreedAction.objects.select_for_update().filter(closed_in=dialogue):
        action.status, action.closed_in = ActionStatus.OPEN, None
        _record(action, acting_user, _("Wieder offen: Dialog abgesagt"))
    dialogue.status = DialogueStatus.CANCELLED
    dialogue.cancel_reason = reason.strip()
    return _record(dialogue, acting_user, _("Steuerungsdialog abgesagt"))


def dialogue_delete_refusal(dialogue):
    """Why ``dialogue`` cannot be deleted (German), or None.

    Only a planned dialogue on which nothing rests yet: no report, no
    explanation of the Jobcenter, no action closed in it.
    """
    if dialogue.is_cancelled:
        return _(
            "Ein abgesagter Dialog bleibt mit dem Grund der Absage in der Liste "
            "und wird nicht gelöscht."
        )
    if not dialogue.step_open("delete"):
        return _(
            "Nur ein geplanter Dialog ohne Fortschrittsbericht kann gelöscht "
            "werden. Findet dieser nicht statt, sagen Sie ihn bitte ab."
        )
    if dialogue.comments.exists() or dialogue.closed_actions.exists():
        return _(
            "Zu diesem Dialog gibt es schon Erläuterungen des Jobcenters oder in "
            "ihm abgeschlossene Maßnahmen. Damit nichts verloren geht, sagen Sie "
            "ihn bitte ab, statt ihn zu löschen."
        )
    return None


@transaction.atomic
def dialogue_delete(*, dialogue, acting_user):
    """A dialogue planned by mistake goes; the history keeps what it was."""
    dialogue = _lock(dialogue)
    _require(policy.can_edit_dialogues(acting_user, dialogue.agreement))
    refusal = dialogue_delete_refusal(dialogue)
    if refusal:
        raise DialogueStateError(refusal)
    dialogue._history_user = acting_user
    dialogue._change_reason = _("Steuerungsdialog gelöscht")
    dialogue.delete()


@transaction.atomic
def dialogue_comment_add(*, dialogue, text, acting_user, target=None):
    """The Jobcenter explains a target or comments on the report."""
    dialogue = _lock(dialogue)
    _require(policy.can_comment_dialogue(acting_user, dialogue))
    _require_step(dialogue, "comment")
    if not (text or "").strip():
        raise DialogueStateError(_("Bitte eine Anmerkung schreiben."))
    if target is not None and target.goal.agreement_id != dialogue.agreement_id:
        raise DialogueStateError(_("Diese Zielvorgabe gehört nicht zum Dialog."))
    comment = DialogueComment(
        dialogue=dialogue, target=target, text=text.strip(), author=acting_user
    )
    return _record(comment, acting_user)


@transaction.atomic
def dialogue_minutes_record(*, dialogue, minutes, acting_user):
    """The minutes of the meeting; the dialogue counts as held from now on."""
    dialogue = _lock(dialogue)
    _require(policy.can_edit_dialogues(acting_user, dialogue.agreement))
    _require_step(
        dialogue,
        "minute",
        _(
            "Erst den Fortschrittsbericht erstellen: das Protokoll hält fest, "
            "was auf seiner Grundlage besprochen wurde."
        ),
    )
    if not (minutes or "").strip():
        raise DialogueStateError(_("Bitte das Protokoll eintragen."))
    changed = dialogue.is_held
    dialogue.minutes = minutes.strip()
    dialogue.status = DialogueStatus.HELD
    reason = _("Protokoll geändert") if changed else _("Protokoll erfasst")
    return _record(dialogue, acting_user, reason)


@transaction.atomic
def action_agree(*, dialogue, description, owner, due_on, acting_user):
    """An action agreed in ``dialogue``; open until a later dialogue closes it."""
    dialogue = _lock(dialogue)  # its status now, not when the form was opened
    _require(policy.can_edit_dialogues(acting_user, dialogue.agreement))
    _require_step(
        dialogue,
        "agree_action",
        _("Maßnahmen werden im Dialog vereinbart: erst den Bericht erstellen."),
    )
    action = AgreedAction(
        dialogue=dialogue, description=description, owner=owner, due_on=due_on
    )
    action.full_clean()
    return _record(action, acting_user, _("Maßnahme vereinbart"))


@transaction.atomic
def action_status_set(*, action, status, note, dialogue, acting_user):
    """Close (done, dropped) or reopen ``action`` in ``dialogue``."""
    dialogue = _lock(dialogue)  # first the dialogue, then the action, as cancel
    action = AgreedAction.objects.select_for_update().get(pk=action.pk)
    _require(policy.can_edit_dialogues(acting_user, dialogue.agreement))
    same_provider = (
        SteeringDialogue.objects.filter(pk=action.dialogue_id)
        .filter(agreement__provider=dialogue.agreement.provider_id)
        .exists()
    )
    if not same_provider:
        raise DialogueStateError(_("Diese Maßnahme gehört zu einem anderen Träger."))
    _require_step(dialogue, "close_action")
    if status not in ActionStatus.values:
        raise DialogueStateError(_("Unbekannter Stand."))
    if status != ActionStatus.OPEN and not (note or "").strip():
        raise DialogueStateError(
            _("Bitte vermerken, was erreicht wurde oder warum die Maßnahme entfällt.")
        )
    action.status = status
    action.note = (note or "").strip()
    action.closed_in = None if status == ActionStatus.OPEN else dialogue
    label = ActionStatus(status).label
    return _record(action, acting_user, _("Stand: %(status)s") % {"status": label})

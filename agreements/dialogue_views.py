"""Pages of the steering dialogues of an agreement, and the ministry's year view.

Agreements are fetched through ``Agreement.objects.visible_to(user)`` and a
dialogue only through its agreement's provider and year, so another
provider's dialogue answers 404. Writes ask the policy (403 otherwise) and go
through ``dialogue_services``.
"""

from collections import Counter, defaultdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zielsteuerung.accounts import policy

from . import dialogue_services as services
from .dialogue_forms import (
    ActionForm,
    ActionStatusForm,
    CancelForm,
    CommentForm,
    DialogueForm,
    MinutesForm,
)
from .models import (
    ActionStatus,
    AgreedAction,
    Agreement,
    DialogueStatus,
    SteeringDialogue,
    Target,
)
from .reports import carried_over_actions, dialogue_number, numbered

TEMPLATES = "agreements/dialogues/"
USUAL_DIALOGUES = 2  # "in der Regel zwei Steuerungsdialoge" (both seeds)


def _agreement(request, pk):
    return get_object_or_404(
        Agreement.objects.visible_to(request.user).select_related(
            "provider", "provider__supervisor"
        ),
        pk=pk,
    )


def _dialogue(request, pk, dialogue_pk):
    agreement = _agreement(request, pk)
    dialogue = get_object_or_404(
        SteeringDialogue.objects.of_year(
            agreement.provider, agreement.year
        ).select_related("agreement__provider"),
        pk=dialogue_pk,
    )
    return agreement, dialogue


def _require(allowed):
    if not allowed:
        raise PermissionDenied(_("Sie dürfen diesen Schritt nicht ausführen."))


def _refused(request, dialogue, step):
    """Back to a cancelled dialogue, with why, when ``step`` is closed there.

    Only when a form is opened: a form sent meanwhile is refused by the
    service and shown again with what was typed and why.
    """
    if request.method == "POST":
        return None
    if dialogue.is_cancelled and not dialogue.step_open(step):
        messages.error(
            request, _("Der Dialog ist abgesagt; er wird nicht mehr bearbeitet.")
        )
        return redirect(dialogue)
    return None


def dialogue_list(request, pk):
    """The dialogues of the agreement's provider and year."""
    agreement = _agreement(request, pk)
    in_force = agreement.version_in_force()
    dialogues = list(
        SteeringDialogue.objects.of_year(agreement.provider, agreement.year)
        .select_related("agreement")
        .prefetch_related("actions")
    )
    return render(
        request,
        TEMPLATES + "list.html",
        {
            "agreement": agreement,
            "in_force": in_force,
            "dialogues": numbered(dialogues),
            "can_edit": in_force is not None
            and policy.can_edit_dialogues(request.user, in_force),
        },
    )


def dialogue_create(request, pk):
    agreement = _agreement(request, pk)
    _require(policy.can_edit_dialogues(request.user, agreement))
    form = DialogueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            dialogue = services.dialogue_plan(
                agreement=agreement, acting_user=request.user, **form.cleaned_data
            )
        except services.DialogueStateError as error:
            form.add_error(None, str(error))  # shown with what was typed
        else:
            messages.success(request, _("Der Steuerungsdialog ist geplant."))
            return redirect(dialogue)
    return render(
        request, TEMPLATES + "form.html", {"agreement": agreement, "form": form}
    )


def dialogue_update(request, pk, dialogue_pk):
    agreement, dialogue = _dialogue(request, pk, dialogue_pk)
    _require(policy.can_edit_dialogues(request.user, dialogue.agreement))
    if refused := _refused(request, dialogue, "update"):
        return refused
    form = DialogueForm(request.POST or None, instance=dialogue)
    if request.method == "POST" and form.is_valid():
        try:
            services.dialogue_update(
                dialogue=dialogue, acting_user=request.user, **form.cleaned_data
            )
        except services.DialogueStateError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Der Termin ist gespeichert."))
            return redirect(dialogue)
    return render(
        request,
        TEMPLATES + "form.html",
        {"agreement": agreement, "dialogue": dialogue, "form": form},
    )


def dialogue_detail(request, pk, dialogue_pk):
    agreement, dialogue = _dialogue(request, pk, dialogue_pk)
    user = request.user
    comments = list(dialogue.comments.select_related("author", "target__goal"))
    prepared_at = dialogue.report_prepared_at
    can_edit = policy.can_edit_dialogues(user, dialogue.agreement)
    can_edit = can_edit and not dialogue.is_cancelled
    return render(
        request,
        TEMPLATES + "detail.html",
        {
            "agreement": agreement,
            "dialogue": dialogue,
            "number": dialogue_number(dialogue),
            "explanations": [
                c
                for c in comments
                if prepared_at is None or c.created_at <= prepared_at
            ],
            "report_comments": [
                c for c in comments if prepared_at and c.created_at > prepared_at
            ],
            "actions": list(dialogue.actions.select_related("closed_in")),
            "carried_over": carried_over_actions(dialogue),
            "report_versions": list(dialogue.report_versions.all()),
            "can_edit": can_edit,
            "can_comment": policy.can_comment_dialogue(user, dialogue),
            "can_prepare_again": policy.can_prepare_dialogue_again(user, dialogue),
            "can_cancel": policy.can_cancel_dialogue(user, dialogue),
            "can_delete": policy.can_delete_dialogue(user, dialogue),
        },
    )


@require_POST
def dialogue_prepare(request, pk, dialogue_pk):
    dialogue = _dialogue(request, pk, dialogue_pk)[1]
    _require(policy.can_edit_dialogues(request.user, dialogue.agreement))
    try:
        services.dialogue_prepare(dialogue=dialogue, acting_user=request.user)
    except services.DialogueStateError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _(
                "Der Fortschrittsbericht ist erstellt und gespeichert. Das "
                "Jobcenter kann ihn jetzt lesen und kommentieren."
            ),
        )
    return redirect(dialogue)


@require_POST
def dialogue_prepare_again(request, pk, dialogue_pk):
    """A new report before the meeting; the earlier one stays downloadable."""
    dialogue = _dialogue(request, pk, dialogue_pk)[1]
    _require(policy.can_edit_dialogues(request.user, dialogue.agreement))
    try:
        services.dialogue_prepare_again(dialogue=dialogue, acting_user=request.user)
    except services.DialogueStateError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _(
                "Der Fortschrittsbericht ist neu erstellt. Die frühere Fassung "
                "bleibt unverändert erhalten und ist unten aufgeführt."
            ),
        )
    return redirect(f"{dialogue.get_absolute_url()}#bericht")


def _report_filename(agreement, dialogue, prepared_at=None):
    name = slugify(agreement.provider.short_name).title() or "Traeger"
    suffix = ""
    if prepared_at is not None:
        suffix = f"-Fassung-{timezone.localtime(prepared_at):%Y-%m-%d-%H%M}"
    return (
        f"Fortschrittsbericht-{agreement.year}-{name}-"
        f"{dialogue.held_on:%Y-%m-%d}{suffix}.pdf"
    )


def dialogue_report(request, pk, dialogue_pk):
    """The report exactly as stored when the dialogue was prepared."""
    agreement, dialogue = _dialogue(request, pk, dialogue_pk)
    if not dialogue.report_pdf:
        raise Http404(_("Für diesen Dialog ist noch kein Bericht erstellt."))
    return FileResponse(
        dialogue.report_pdf.open("rb"),
        as_attachment=True,
        filename=_report_filename(agreement, dialogue),
        content_type="application/pdf",
    )


def dialogue_report_version(request, pk, dialogue_pk, version_pk):
    """An earlier report of the dialogue, exactly as it was stored."""
    agreement, dialogue = _dialogue(request, pk, dialogue_pk)
    version = get_object_or_404(dialogue.report_versions, pk=version_pk)
    return FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=_report_filename(agreement, dialogue, version.prepared_at),
        content_type="application/pdf",
    )


def dialogue_cancel(request, pk, dialogue_pk):
    """Confirm with a reason that the dialogue does not take place."""
    agreement, dialogue = _dialogue(request, pk, dialogue_pk)
    _require(policy.can_edit_dialogues(request.user, dialogue.agreement))
    refusal = services.dialogue_cancel_refusal(dialogue)
    if refusal and request.method != "POST":
        messages.error(request, refusal)
        return redirect(dialogue)
    form = CancelForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.dialogue_cancel(
                dialogue=dialogue,
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )
        except services.DialogueStateError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _(
                    "Der Steuerungsdialog ist abgesagt. Offene Maßnahmen werden "
                    "im nächsten Dialog wieder aufgerufen."
                ),
            )
            return redirect(dialogue)
    return render(
        request,
        TEMPLATES + "cancel.html",
        {
            "agreement": agreement,
            "dialogue": dialogue,
            "number": dialogue_number(dialogue),
            "form": form,
        },
    )


def dialogue_delete(request, pk, dialogue_pk):
    """Confirm, then delete a dialogue planned by mistake."""
    agreement, dialogue = _dialogue(request, pk, dialogue_pk)
    _require(policy.can_edit_dialogues(request.user, dialogue.agreement))
    if request.method == "POST":
        try:
            services.dialogue_delete(dialogue=dialogue, acting_user=request.user)
        except services.DialogueStateError as error:
            messages.error(request, str(error))
            return redirect(dialogue)
        messages.success(
            request,
            _("Der Steuerungsdialog am %(date)s ist gelöscht.")
            % {"date": date_format(dialogue.held_on, "j.n.Y")},
        )
        return redirect("agreements:dialogues", pk=agreement.pk)
    refusal = services.dialogue_delete_refusal(dialogue)
    if refusal:
        messages.error(request, refusal)
        return redirect(dialogue)
    return render(
        request,
        TEMPLATES + "delete.html",
        {
            "agreement": agreement,
            "dialogue": dialogue,
            "number": dialogue_number(dialogue),
        },
    )


def dialogue_comment(request, pk, dialogue_pk):
    agreement, dialogue = _dialogue(request, pk, dialogue_pk)
    _require(policy.can_comment_dialogue(request.user, dialogue))
    targets = Target.objects.filter(goal__agreement=dialogue.agreement).select_related(
        "goal"
    )
    form = CommentForm(request.POST or None, targets=targets)
    if request.method == "POST" and form.is_valid():
        try:
            services.dialogue_comment_add(
                dialogue=dialogue,
                target=form.cleaned_data["target"],
                text=form.cleaned_data["text"],
                acting_user=request.user,
            )
        except services.DialogueStateError as error:  # e.g. held meanwhile
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Ihre Anmerkung ist gespeichert."))
            return redirect(dialogue)
    return render(
        request,
        TEMPLATES + "comment.html",
        {"agreement": agreement, "dialogue": dialogue, "form": form},
    )


def dialogue_minutes(request, pk, dialogue_pk):
    agreement, dialogue = _dialogue(request, pk, dialogue_pk)
    _require(policy.can_edit_dialogues(request.user, dialogue.agreement))
    if refused := _refused(request, dialogue, "minute"):
        return refused
    form = MinutesForm(request.POST or None, initial={"minutes": dialogue.minutes})
    if request.method == "POST" and form.is_valid():
        try:
            services.dialogue_minutes_record(
                dialogue=dialogue,
                minutes=form.cleaned_data["minutes"],
                acting_user=request.user,
            )
        except services.DialogueStateError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Das Protokoll ist gespeichert."))
            return redirect(dialogue)
    return render(
        request,
        TEMPLATES + "minutes.html",
        {"agreement": agreement, "dialogue": dialogue, "form": form},
    )


def action_create(request, pk, dialogue_pk):
    agreement, dialogue = _dialogue(request, pk, dialogue_pk)
    _require(policy.can_edit_dialogues(request.user, dialogue.agreement))
    if refused := _refused(request, dialogue, "agree_action"):
        return refused
    form = ActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_agree(
                dialogue=dialogue, acting_user=request.user, **form.cleaned_data
            )
        except services.DialogueStateError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Die Maßnahme ist eingetragen."))
            return redirect(f"{dialogue.get_absolute_url()}#massnahmen")
    return render(
        request,
        TEMPLATES + "action_form.html",
        {"agreement": agreement, "dialogue": dialogue, "form": form},
    )


def action_status(request, pk, dialogue_pk, action_pk):
    """Close or reopen an action agreed in this or an earlier dialogue."""
    agreement, dialogue = _dialogue(request, pk, dialogue_pk)
    action = get_object_or_404(
        AgreedAction.objects.filter(
            dialogue__agreement__provider=agreement.provider
        ).select_related("dialogue"),
        pk=action_pk,
    )
    _require(policy.can_edit_dialogues(request.user, dialogue.agreement))
    if refused := _refused(request, dialogue, "close_action"):
        return refused
    form = ActionStatusForm(
        request.POST or None,
        initial={
            "status": ActionStatus.DONE if action.is_open else action.status,
            "note": action.note,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.action_status_set(
                action=action,
                dialogue=dialogue,
                acting_user=request.user,
                **form.cleaned_data,
            )
        except services.DialogueStateError as error:  # e.g. cancelled meanwhile
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Der Stand der Maßnahme ist gespeichert."))
            return redirect(f"{dialogue.get_absolute_url()}#massnahmen")
    return render(
        request,
        TEMPLATES + "action_status.html",
        {
            "agreement": agreement,
            "dialogue": dialogue,
            "action": action,
            "form": form,
        },
    )


def dialogue_year(request, year):
    """Which providers have had their dialogues in ``year``: ministry only."""
    if not policy.can_see_dialogue_year(request.user):
        raise Http404(_("Diese Übersicht ist dem Ministerium vorbehalten."))
    agreements = list(
        Agreement.objects.visible_to(request.user)
        .for_year(year)
        .in_force()
        .select_related("provider")
        .order_by("provider__name")
    )
    providers = [agreement.provider_id for agreement in agreements]
    dialogues = defaultdict(list)
    for dialogue in SteeringDialogue.objects.filter(
        agreement__provider__in=providers, agreement__year=year
    ).select_related("agreement"):
        dialogues[dialogue.agreement.provider_id].append(dialogue)
    open_actions = Counter(
        AgreedAction.objects.filter(
            dialogue__agreement__provider__in=providers, status=ActionStatus.OPEN
        ).values_list("dialogue__agreement__provider", flat=True)
    )
    rows = [
        _year_row(agreement, dialogues[agreement.provider_id], open_actions)
        for agreement in agreements
    ]
    return render(
        request,
        TEMPLATES + "year.html",
        {
            "year": year,
            "rows": rows,
            "held_total": sum(row["held"] for row in rows),
            "complete": sum(row["held"] >= USUAL_DIALOGUES for row in rows),
        },
    )


def _year_row(agreement, dialogues, open_actions):
    statuses = Counter(dialogue.status for dialogue in dialogues)
    return {
        "agreement": agreement,
        "dialogues": numbered(dialogues),
        "held": statuses[DialogueStatus.HELD],
        "planned": statuses[DialogueStatus.PLANNED] + statuses[DialogueStatus.PREPARED],
        "cancelled": statuses[DialogueStatus.CANCELLED],
        "open_actions": open_actions.get(agreement.provider_id, 0),
    }

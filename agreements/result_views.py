"""The year-end result of an agreement: record it, read it, correct it."""

from types import SimpleNamespace

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from zielsteuerung.accounts import policy
from zielsteuerung.templatetags.formui import error_entries

from . import year_end
from .dialogue_forms import CorrectionForm, ResultForm
from .models import Agreement, YearEndResult
from .wording import target_text


def _agreement(request, pk):
    return get_object_or_404(
        Agreement.objects.visible_to(request.user).select_related(
            "provider", "provider__supervisor"
        ),
        pk=pk,
    )


def _require(allowed):
    if not allowed:
        raise PermissionDenied(_("Nur das Ministerium hält das Jahresergebnis fest."))


def year_end_page(request, pk):
    agreement = _agreement(request, pk)
    user = request.user
    may_record = policy.can_record_year_end(user, agreement)
    if request.method == "POST":
        _require(may_record)
    in_force = agreement.version_in_force()
    is_in_force = in_force is not None and in_force.pk == agreement.pk
    ready = year_end.december_is_final(agreement.provider_id, agreement.year)
    open_for_recording = may_record and is_in_force and ready
    open_for_recording = open_for_recording and not agreement.is_editable
    rows = year_end.year_end_rows(agreement)
    forms = {}
    if open_for_recording:
        forms = {
            row.target.pk: ResultForm(
                request.POST or None, row=row, prefix=f"vorgabe-{row.target.pk}"
            )
            for _goal, goal_rows in rows
            for row in goal_rows
            if row.result is None
        }
    if request.method == "POST":
        response = _record(request, agreement, forms, open_for_recording)
        if response is not None:
            return response
    entries = error_entries(*forms.values())
    history = _history(rows)
    return render(
        request,
        "agreements/dialogues/year_end.html",
        {
            "agreement": agreement,
            "in_force": in_force,
            "is_in_force": is_in_force,
            "ready": ready,
            "may_record": may_record,
            "rows": [
                (
                    goal,
                    [
                        (row, forms.get(row.target.pk), history.get(row.target.pk, []))
                        for row in goal_rows
                    ],
                )
                for goal, goal_rows in rows
            ],
            "closed": year_end.is_closed(rows),
            "has_forms": bool(forms),
            "entries": entries,
            "title_prefix": _("Fehler: ") if entries else "",
        },
    )


def _record(request, agreement, forms, open_for_recording):
    """Record every judgement chosen; None to show the page with its errors."""
    if not open_for_recording:
        messages.error(
            request, _("Das Jahresergebnis kann jetzt nicht festgehalten werden.")
        )
        return redirect("agreements:year_end", pk=agreement.pk)
    checked = [form.is_valid() for form in forms.values()]  # every error at once
    valid = all(checked)
    chosen = {
        target_pk: (form.cleaned_data["status"], form.cleaned_data["reasoning"])
        for target_pk, form in forms.items()
        if valid and form.cleaned_data.get("status")
    }
    if not valid:
        return None
    if not chosen:
        messages.error(
            request, _("Bitte für mindestens eine Zielvorgabe ein Ergebnis wählen.")
        )
        return None
    try:
        year_end.year_end_results_record(
            agreement=agreement, judgements=chosen, acting_user=request.user
        )
    except year_end.YearEndError as error:
        messages.error(request, str(error))
        return redirect("agreements:year_end", pk=agreement.pk)
    messages.success(
        request,
        _("%(n)s Jahresergebnisse sind festgehalten.") % {"n": len(chosen)},
    )
    return redirect("agreements:year_end", pk=agreement.pk)


def _history(rows):
    """``{target id: [history records after the first]}``: corrections, with reasons."""
    results = [
        row.result for _goal, goal_rows in rows for row in goal_rows if row.result
    ]
    records = (
        YearEndResult.history.filter(id__in=[result.pk for result in results])
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    by_target = {}
    for record in records:
        by_target.setdefault(record.target_id, []).append(record)
    return {target: entries[1:] for target, entries in by_target.items()}


def year_end_correct(request, pk, target_pk):
    """Change a recorded judgement; the frozen value stays, the reason is kept."""
    agreement = _agreement(request, pk)
    result = get_object_or_404(
        YearEndResult.objects.select_related("target__goal"),
        target__goal__agreement=agreement,
        target_id=target_pk,
    )
    _require(policy.can_record_year_end(request.user, agreement))
    row = SimpleNamespace(
        target=result.target,
        computed_status=result.computed_status or None,
        suggested=None,
    )
    form = CorrectionForm(
        request.POST or None,
        row=row,
        initial={"status": result.status, "reasoning": result.reasoning},
    )
    if request.method == "POST" and form.is_valid():
        try:
            year_end.year_end_result_correct(
                result=result,
                status=form.cleaned_data["status"],
                reasoning=form.cleaned_data["reasoning"],
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )
        except year_end.YearEndError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Das Jahresergebnis ist geändert."))
            url = reverse("agreements:year_end", args=[agreement.pk])
            return redirect(f"{url}#vorgabe-{result.target_id}")
    return render(
        request,
        "agreements/dialogues/year_end_correct.html",
        {
            "agreement": agreement,
            "result": result,
            "form": form,
            "text": target_text(result.target, agreement.year),
        },
    )

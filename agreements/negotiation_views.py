"""Pages of the negotiation and of the diff between two states of an agreement.

Everything is fetched through ``Agreement.objects.visible_to(user)``: another
provider's negotiation answers 404. Who may write is asked of the policy
(``can_propose``, ``negotiation_side``); readers get 403.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from indicators import registry
from indicators.registry import Aspect
from zielsteuerung.accounts import policy

from . import negotiation
from .diff import compare, document_state
from .models import Agreement, ProposalRound, Side, Target
from .negotiation_forms import AnswerForm, CommentForm, ProposalForm
from .presentation import not_computable_reason


def _agreement_for(request, pk):
    return get_object_or_404(
        Agreement.objects.visible_to(request.user).select_related(
            "provider__supervisor", "amends"
        ),
        pk=pk,
    )


def value_text(target, value):
    """A target value as the agreement states it: ``−5,2 %``, ``25,4 %``."""
    if value is None:
        return ""
    sign = target.aspect == Aspect.CHANGE
    return registry.format_value(value, target.value_unit, sign=sign)


def outcome_text(target, outcome):
    if outcome is None:
        return ""
    if not outcome.computable:
        return not_computable_reason(outcome)
    return target.indicator_info.format(outcome.value, target.aspect)


def unit_hint(target):
    """Help text for a proposed value: its unit and the value in force now."""
    unit = target.value_unit
    if target.aspect == Aspect.CHANGE:
        hint = _("Veränderung gegenüber dem Vorjahr in %(unit)s, mit Vorzeichen")
    else:
        hint = _("In %(unit)s")
    hint = hint % {"unit": registry.symbol(unit) or _("Personen bzw. Anzahl")}
    current = value_text(target, target.target_value)
    if current:
        hint += ". " + _("Geltender Wert: %(value)s") % {"value": current}
    return hint


def _reference_rows(target, references):
    if references is None:
        return []
    rows = []
    if references.last_year is not None:
        rows.append(
            (
                _("Ergebnis %(period)s") % {"period": references.last_year_label},
                outcome_text(target, references.last_year),
            )
        )
    if references.land is not None:
        rows.append((references.land_label, outcome_text(target, references.land)))
    if references.trend:
        trend = " · ".join(
            f"{year}: {outcome_text(target, outcome) if outcome.computable else '–'}"
            for year, outcome in references.trend
        )
        rows.append((_("Verlauf der letzten drei Jahre"), trend))
    return rows


def _round_rows(proposal):
    target = proposal.target
    return [
        {
            "round": item,
            "value": value_text(target, item.value) if target else "",
            "current": value_text(target, item.current_value) if target else "",
        }
        for item in proposal.rounds.all()
    ]


def negotiation_page(request, pk):
    agreement = _agreement_for(request, pk)
    user = request.user
    side = policy.negotiation_side(user, agreement)
    with_land = policy.can_see_overview(user)
    proposals = negotiation.proposals_of(agreement)
    targets = [
        target
        for target in Target.objects.filter(goal__agreement=agreement)
        .select_related("goal")
        .order_by("goal__position", "goal__pk", "position", "pk")
        if target.is_numeric
    ]
    series = negotiation.figures_for(agreement, targets)
    open_by_target = {
        proposal.target_id: proposal
        for proposal in proposals
        if proposal.is_open and proposal.is_value
    }
    rows = [
        {
            "target": target,
            "about": negotiation.target_about(target),
            "current": value_text(target, target.target_value),
            "references": _reference_rows(
                target,
                negotiation.references_for(
                    target,
                    series,
                    agreement.provider_id,
                    agreement.year,
                    with_land=with_land,
                ),
            ),
            "open": open_by_target.get(target.pk),
        }
        for target in targets
    ]
    threads = [
        {
            "proposal": proposal,
            "rounds": _round_rows(proposal),
            "actions": negotiation.allowed_actions(proposal, side),
            "current": value_text(proposal.target, proposal.target.target_value)
            if proposal.target
            else "",
        }
        for proposal in proposals
    ]
    return render(
        request,
        "agreements/negotiation/page.html",
        {
            "agreement": agreement,
            "side": side,
            "can_propose": policy.can_propose(user, agreement),
            "rows": rows,
            "threads": threads,
            "open_count": sum(proposal.is_open for proposal in proposals),
            "land_lines": negotiation.land_lines(agreement, proposals, series)
            if with_land
            else [],
            "with_land": with_land,
        },
    )


def _require_proposer(request, agreement):
    if not policy.can_propose(request.user, agreement):
        raise PermissionDenied(
            _(
                "Vorschläge macht das Jobcenter, solange die Vereinbarung in "
                "Verhandlung ist."
            )
        )


def _back(agreement, anchor=""):
    return redirect(reverse("agreements:negotiation", args=[agreement.pk]) + anchor)


def proposal_create(request, pk, target_pk):
    agreement = _agreement_for(request, pk)
    target = get_object_or_404(
        Target.objects.select_related("goal"), goal__agreement=agreement, pk=target_pk
    )
    _require_proposer(request, agreement)
    form = ProposalForm(request.POST or None, unit_hint=unit_hint(target))
    if request.method == "POST" and form.is_valid():
        try:
            proposal = negotiation.proposal_open(
                agreement=agreement,
                target=target,
                value=form.cleaned_data["value"],
                comment=form.cleaned_data["comment"],
                acting_user=request.user,
            )
        except negotiation.NegotiationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Ihr Vorschlag ist beim Ministerium."))
            return _back(agreement, f"#vorschlag-{proposal.pk}")
    return render(
        request,
        "agreements/negotiation/propose.html",
        {
            "agreement": agreement,
            "target": target,
            "about": negotiation.target_about(target),
            "current": value_text(target, target.target_value),
            "form": form,
        },
    )


def comment_create(request, pk):
    agreement = _agreement_for(request, pk)
    _require_proposer(request, agreement)
    places = negotiation.places(agreement)
    initial = {"place": request.GET.get("zu", "")}
    form = CommentForm(request.POST or None, places=places, initial=initial)
    if request.method == "POST" and form.is_valid():
        proposal = negotiation.comment_open(
            agreement=agreement,
            place=form.cleaned_data["place"],
            comment=form.cleaned_data["comment"],
            acting_user=request.user,
        )
        messages.success(request, _("Ihre Anmerkung ist beim Ministerium."))
        return _back(agreement, f"#vorschlag-{proposal.pk}")
    return render(
        request,
        "agreements/negotiation/comment.html",
        {"agreement": agreement, "form": form},
    )


def proposal_answer(request, pk, proposal_pk):
    agreement = _agreement_for(request, pk)
    proposal = get_object_or_404(
        agreement.proposals.select_related("target__goal"), pk=proposal_pk
    )
    side = policy.negotiation_side(request.user, agreement)
    if side is None:
        raise PermissionDenied(_("Sie dürfen in dieser Verhandlung nicht antworten."))
    actions = negotiation.allowed_actions(proposal, side)
    if not actions:
        messages.error(request, _("Dieser Vorschlag ist abgeschlossen."))
        return _back(agreement, f"#vorschlag-{proposal.pk}")
    target = proposal.target
    form = AnswerForm(
        request.POST or None,
        actions=actions,
        unit_hint=unit_hint(target) if target else "",
    )
    if request.method == "POST" and form.is_valid():
        try:
            negotiation.proposal_respond(
                proposal=proposal,
                action=form.cleaned_data["action"],
                value=form.cleaned_data.get("value"),
                comment=form.cleaned_data["comment"],
                acting_user=request.user,
            )
        except negotiation.NegotiationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Ihre Antwort ist gespeichert."))
            return _back(agreement, f"#vorschlag-{proposal.pk}")
    offer = negotiation.last_offer(proposal)
    return render(
        request,
        "agreements/negotiation/answer.html",
        {
            "agreement": agreement,
            "proposal": proposal,
            "rounds": _round_rows(proposal),
            "offer": value_text(target, offer.value) if offer and target else "",
            "current": value_text(target, target.target_value) if target else "",
            "form": form,
            "side_label": Side(side).label,
        },
    )


# --- the diff ---------------------------------------------------------------------


def _round_of(agreement, value):
    if not value:
        return None
    try:
        return ProposalRound.objects.select_related("proposal").get(
            proposal__agreement=agreement, pk=int(value)
        )
    except (ValueError, ProposalRound.DoesNotExist) as error:
        raise Http404(_("Diese Verhandlungsrunde gibt es hier nicht.")) from error


def _round_label(item, when):
    return _("%(when)s Runde %(n)s (%(action)s, %(about)s)") % {
        "when": when,
        "n": item.number,
        "action": item.get_action_display(),
        "about": item.proposal.about,
    }


def _states(request, agreement, comparable):
    """The old and the new state the query string asks for."""
    this_round = _round_of(agreement, request.GET.get("runde"))
    if this_round is not None:
        after = this_round.state_after or this_round.state_before
        return (
            {**this_round.state_before, "label": _round_label(this_round, _("vor"))},
            {**after, "label": _round_label(this_round, _("nach"))},
        )
    other_id = request.GET.get("mit")
    if not other_id:
        return None, None
    other = next((a for a in comparable if str(a.pk) == other_id), None)
    if other is None:
        raise Http404(_("Verglichen werden Fassungen desselben Trägers und Jahres."))
    other_round = _round_of(other, request.GET.get("stand"))
    if other_round is not None:
        old = {
            **other_round.state_before,
            "label": _round_label(other_round, _("Stand vor")),
        }
    else:
        old = document_state(other)
    return old, document_state(agreement)


def agreement_diff(request, pk):
    """``…/vergleich/?mit=<id>``: what changed between two versions or states."""
    agreement = _agreement_for(request, pk)
    comparable = list(
        Agreement.objects.visible_to(request.user)
        .filter(provider_id=agreement.provider_id, year=agreement.year)
        .order_by("version")
    )
    if "mit" not in request.GET and "runde" not in request.GET:
        default = agreement.amends or next(
            (a for a in reversed(comparable) if a.version < agreement.version), None
        )
        if default is not None:
            return redirect(
                reverse("agreements:diff", args=[agreement.pk]) + f"?mit={default.pk}"
            )
    old, new = _states(request, agreement, comparable)
    rounds = list(
        ProposalRound.objects.filter(proposal__agreement=agreement)
        .select_related("proposal", "author")
        .without_states()
        .order_by("created_at", "pk")
    )
    return render(
        request,
        "agreements/negotiation/diff.html",
        {
            "agreement": agreement,
            "comparison": compare(old, new) if old else None,
            "others": [a for a in comparable if a.pk != agreement.pk],
            "rounds": rounds,
        },
    )

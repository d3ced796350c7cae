"""Negotiating an agreement: proposals, answers, reference values, the Land.

While an agreement is *In Verhandlung* the Jobcenter's editors propose
target values and comment on targets and texts; the ministry's editors
accept, reject or counter a proposal, and the Jobcenter may accept, reject
or counter a counter-proposal in turn: whoever did not make the latest
offer answers it. An accepted value is taken over into the target through
the target's own validation. Every round is kept with the agreement as
printed before it (and after it, when it changed the agreement), so the
diff can show what a round changed.

The ministry sees each proposal beside the current value with reference
values — last year's result, the Land average of the same indicator and the
trend of the last three years — and the Land target the providers' targets
imply, live, against the Land's own target.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.attainment import changes_agree, meets, rounded
from indicators.calculations import Outcome
from indicators.judging import latest_month
from indicators.land import (
    contribution_of,
    implied_land_target,
    land_value,
    pooled_series,
)
from indicators.registry import Aspect, LandRule
from indicators.selectors import series_for
from zielsteuerung.accounts import policy
from zielsteuerung.accounts.models import Organisation

from .diff import document_state
from .models import (
    Agreement,
    Goal,
    LandTarget,
    Proposal,
    ProposalRound,
    ProposalStatus,
    ProposalSubject,
    RoundAction,
    Side,
    Target,
)
from .models.negotiation import OFFERS


class NegotiationError(Exception):
    """The step does not fit the state of the negotiation (German message)."""


# --- what can be commented on ---------------------------------------------------

SECTIONS = {
    "preamble": gettext_lazy("Präambel"),
    "references": gettext_lazy("Bezugsdokumente"),
    "focus_areas": gettext_lazy("Schwerpunkte des Landes"),
    "goals_intro": gettext_lazy("Einleitung zu den Zielen"),
    "cooperation": gettext_lazy("Zusammenarbeit"),
    "annexes": gettext_lazy("Anlagen"),
}


def target_about(target):
    what = target.indicator_info.short_name if target.indicator_info else None
    what = what or target.label or target.subject or target.sentence[:60]
    what = what or target.get_kind_display()
    return _("Ziel %(number)s: %(what)s") % {"number": target.goal.number, "what": what}


def places(agreement):
    """``[(value, label)]`` of everything a comment may be about."""
    choices = [(f"section:{key}", str(label)) for key, label in SECTIONS.items()]
    for goal in agreement.goals.prefetch_related("targets"):
        choices.append(
            (
                f"goal:{goal.pk}",
                _("Ziel %(number)s: %(title)s")
                % {
                    "number": goal.number,
                    "title": goal.title[:60],
                },
            )
        )
        choices += [
            (f"target:{target.pk}", "– " + target_about(target))
            for target in goal.targets.all()
        ]
    return choices


def _place(agreement, value):
    """``(target, goal, section, about)`` of a place from ``places``."""
    kind, _sep, key = value.partition(":")
    if kind == "section" and key in SECTIONS:
        return None, None, key, str(SECTIONS[key])
    if kind == "goal":
        goal = Goal.objects.get(agreement=agreement, pk=key)
        return (
            None,
            goal,
            "",
            _("Ziel %(number)s: %(title)s")
            % {
                "number": goal.number,
                "title": goal.title[:200],
            },
        )
    target = Target.objects.select_related("goal").get(
        goal__agreement=agreement, pk=key
    )
    return target, target.goal, "", target_about(target)


# --- writing --------------------------------------------------------------------


def _side(user, agreement):
    side = policy.negotiation_side(user, agreement)
    if side is None:
        raise PermissionDenied(_("Sie dürfen in dieser Verhandlung nicht antworten."))
    return side


def _record(instance, acting_user, reason=None):
    instance._history_user = acting_user
    instance._change_reason = reason
    instance.save()


def _round(proposal, *, side, action, acting_user, value=None, comment="", state):
    highest = proposal.rounds.aggregate(highest=Max("number"))["highest"] or 0
    target = proposal.target
    item = ProposalRound(
        proposal=proposal,
        number=highest + 1,
        side=side,
        action=action,
        value=value,
        current_value=target.target_value if target else None,
        comment=(comment or "").strip(),
        author=acting_user,
        created_at=timezone.now(),
        state_before=state,
    )
    _record(item, acting_user)
    return item


def _locked(agreement):
    return Agreement.objects.select_for_update(of=("self",)).get(pk=agreement.pk)


@transaction.atomic
def proposal_open(*, agreement, target, value, comment, acting_user):
    """The Jobcenter proposes ``value`` for ``target`` (round 1)."""
    agreement = _locked(agreement)
    if not policy.can_propose(acting_user, agreement):
        raise PermissionDenied(_("Vorschläge macht das Jobcenter in der Verhandlung."))
    if not target.is_numeric or target.goal.agreement_id != agreement.pk:
        raise NegotiationError(_("Für diese Zielvorgabe gibt es keinen Zielwert."))
    if target.proposals.filter(
        status=ProposalStatus.OPEN, subject=ProposalSubject.VALUE
    ).exists():
        raise NegotiationError(
            _("Zu dieser Zielvorgabe ist schon ein Vorschlag offen.")
        )
    proposal = Proposal(
        agreement=agreement,
        subject=ProposalSubject.VALUE,
        target=target,
        goal=target.goal,
        about=target_about(target),
        opened_by=acting_user,
    )
    _record(proposal, acting_user)
    _round(
        proposal,
        side=Side.PROVIDER,
        action=RoundAction.PROPOSE,
        value=value,
        comment=comment,
        acting_user=acting_user,
        state=document_state(agreement),
    )
    return proposal


@transaction.atomic
def comment_open(*, agreement, place, comment, acting_user):
    """The Jobcenter comments on a text or a target of its agreement."""
    agreement = _locked(agreement)
    if not policy.can_propose(acting_user, agreement):
        raise PermissionDenied(_("Vorschläge macht das Jobcenter in der Verhandlung."))
    if not (comment or "").strip():
        raise NegotiationError(_("Bitte die Anmerkung eintragen."))
    target, goal, section, about = _place(agreement, place)
    proposal = Proposal(
        agreement=agreement,
        subject=ProposalSubject.COMMENT,
        target=target,
        goal=goal,
        section=section,
        about=about,
        opened_by=acting_user,
    )
    _record(proposal, acting_user)
    _round(
        proposal,
        side=Side.PROVIDER,
        action=RoundAction.COMMENT,
        comment=comment,
        acting_user=acting_user,
        state=document_state(agreement),
    )
    return proposal


def last_offer(proposal):
    """The latest proposal or counter-proposal of a value thread."""
    offers = [item for item in proposal.rounds.all() if item.action in OFFERS]
    return offers[-1] if offers else None


def allowed_actions(proposal, side):
    """What ``side`` may do with ``proposal`` now."""
    if side is None or not proposal.is_open:
        return []
    if not proposal.is_value:
        close = [RoundAction.CLOSE] if side == Side.MINISTRY else []
        return [RoundAction.COMMENT, *close]
    offer = last_offer(proposal)
    if offer is None or offer.side == side or proposal.target_id is None:
        return [RoundAction.COMMENT]
    return [
        RoundAction.ACCEPT,
        RoundAction.REJECT,
        RoundAction.COUNTER,
        RoundAction.COMMENT,
    ]


@transaction.atomic
def proposal_respond(*, proposal, action, acting_user, value=None, comment=""):
    """Answer ``proposal``: accept, reject, counter, comment or close it."""
    agreement = _locked(proposal.agreement)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    side = _side(acting_user, agreement)
    if action not in allowed_actions(proposal, side):
        raise NegotiationError(
            _("Dieser Schritt passt nicht zum Stand des Vorschlags.")
        )
    if action == RoundAction.COUNTER and value is None:
        raise NegotiationError(_("Ein Gegenvorschlag braucht einen Wert."))
    if action == RoundAction.COMMENT and not (comment or "").strip():
        raise NegotiationError(_("Bitte die Anmerkung eintragen."))
    state = document_state(agreement)
    if action == RoundAction.ACCEPT:
        value = last_offer(proposal).value
    item = _round(
        proposal,
        side=side,
        action=action,
        value=value if action in (*OFFERS, RoundAction.ACCEPT) else None,
        comment=comment,
        acting_user=acting_user,
        state=state,
    )
    if action == RoundAction.ACCEPT:
        _apply_value(proposal.target, value, acting_user, item.number)
        item.state_after = document_state(agreement)
        _record(item, acting_user)
    status = {
        RoundAction.ACCEPT: ProposalStatus.ACCEPTED,
        RoundAction.REJECT: ProposalStatus.REJECTED,
        RoundAction.CLOSE: ProposalStatus.CLOSED,
    }.get(action)
    if status:
        proposal.status = status
        _record(proposal, acting_user)
    return item


def _apply_value(target, value, acting_user, number):
    """Take ``value`` over into ``target`` through the target's own validation."""
    target = Target.objects.select_related("goal").get(pk=target.pk)
    target.target_value = value
    if not changes_agree(
        target.baseline_value,
        target.target_value,
        target.target_change,
        in_points=target.change_in_points,
    ):
        target.target_change = None  # it stated the change of the old value
    try:
        target.full_clean()
    except ValidationError as error:
        raise NegotiationError(
            _("Der Wert lässt sich nicht übernehmen: %(reasons)s")
            % {"reasons": " ".join(error.messages)}
        ) from error
    _record(
        target,
        acting_user,
        _("Vorschlag angenommen (Runde %(n)s)") % {"n": number},
    )


# --- reading: threads, reference values, the Land -----------------------------


def proposals_of(agreement):
    """The agreement's proposals with their rounds and authors: three queries."""
    return list(
        agreement.proposals.select_related(
            "target__goal", "opened_by"
        ).prefetch_related(
            Prefetch(
                "rounds",
                queryset=ProposalRound.objects.select_related(
                    "author"
                ).without_states(),
            )
        )
    )


@dataclass
class References:
    """What a proposed value can be held against, in the target's aspect."""

    last_year: Outcome | None = None
    last_year_label: str = ""
    land: Outcome | None = None
    land_label: str = ""
    trend: list = field(default_factory=list)  # (year, Outcome)


def _by_provider(flat):
    series = {}
    for (provider_id, code, sex), values in flat.items():
        series.setdefault(provider_id, {})[(code, sex)] = values
    return series


def figures_for(agreement, targets):
    """Every provider's series the references and the Land need: one query."""
    providers = list(
        Organisation.objects.providers()
        .filter(supervisor_id=agreement.provider.supervisor_id)
        .values_list("pk", flat=True)
    )
    codes = {
        code for t in targets if t.indicator_info for code in t.indicator_info.elements
    }
    year = agreement.year
    first, last = datetime.date(year - 5, 12, 1), datetime.date(year - 1, 12, 1)
    series = _by_provider(series_for(providers, codes, first, last))
    return {pk: series.get(pk, {}) for pk in providers}


def references_for(target, series, provider_id, year, *, with_land):
    """Last year's result, the Land average and the three years before."""
    info = target.indicator_info
    if info is None:
        return None
    own = series.get(provider_id, {})
    as_of = latest_month(own, year - 1)
    if as_of is None:
        return References()
    aspect = target.aspect
    result = References(
        last_year=land_value(info, aspect, own, year - 1, as_of.month),
        last_year_label=_label(year - 1, as_of),
        trend=[
            (past, land_value(info, aspect, own, past, 12))
            for past in (year - 3, year - 2, year - 1)
        ],
    )
    if with_land:
        result.land, result.land_label = _land_average(
            info, aspect, series, year, as_of
        )
    return result


def _label(year, as_of):
    if as_of.month == 12:
        return str(year)
    return _("%(year)s bis %(month)s") % {
        "year": year,
        "month": as_of.strftime("%m/%Y"),
    }


def _land_average(info, aspect, series, year, as_of):
    """The Land's value; for levels that add up, the average per provider."""
    with_figures = [
        pk for pk, own in series.items() if latest_month(own, year - 1) == as_of
    ]
    if not with_figures:
        return None, ""
    pooled = pooled_series(series, with_figures)
    value = land_value(info, aspect, pooled, year - 1, as_of.month)
    label = _("Land (%(n)s Träger)") % {"n": len(with_figures)}
    if (
        aspect == Aspect.LEVEL
        and info.land_rule == LandRule.ADDITIVE
        and value.computable
    ):
        value = Outcome(value.value / len(with_figures))
        label = _("Land, Ø je Träger (%(n)s Träger)") % {"n": len(with_figures)}
    return value, label


@dataclass
class LandLine:
    """The implied Land target of one indicator, now and if the offers are taken."""

    indicator: object
    aspect: str
    implied: Outcome
    if_accepted: Outcome | None
    own: LandTarget | None
    providers: int

    def format(self, outcome):
        if outcome is None or not outcome.computable:
            return ""
        return self.indicator.format(outcome.value, self.aspect)

    def verdict(self, outcome):
        if self.own is None or outcome is None or not outcome.computable:
            return None
        value = rounded(outcome.value, self.indicator.places_for(self.aspect))
        return meets(value, self.own.target_value, self.own.comparator)

    def cells(self):
        """``[(text, meets own target or None, reason)]``: now, if accepted."""
        return [
            (
                self.format(outcome),
                self.verdict(outcome),
                "" if outcome is None or outcome.computable else outcome.reason,
            )
            if outcome is not None
            else None
            for outcome in (self.implied, self.if_accepted)
        ]


def land_lines(agreement, proposals, series):
    """Per indicator under negotiation: the implied Land target, live."""
    open_offers = {}
    negotiated = set()
    for proposal in proposals:
        target = proposal.target
        if not proposal.is_value or target is None or not target.judged_by_figures:
            continue
        negotiated.add((target.indicator, target.aspect))
        offer = last_offer(proposal)
        if proposal.is_open and offer is not None:
            open_offers[target.pk] = offer.value
    if not negotiated:
        return []
    others = (
        Agreement.objects.filter(
            provider__supervisor_id=agreement.provider.supervisor_id,
            year=agreement.year,
        )
        .exclude(provider_id=agreement.provider_id)
        .in_force()
        .prefetch_related("goals__targets")
    )
    targets = [t for a in others for g in a.goals.all() for t in g.targets.all()]
    targets += list(
        Target.objects.filter(goal__agreement=agreement).select_related(
            "goal__agreement"
        )
    )
    own_targets = {
        (t.indicator, t.aspect): t
        for t in LandTarget.objects.filter(
            ministry_id=agreement.provider.supervisor_id, year=agreement.year
        )
    }
    lines = []
    for indicator_code, aspect in sorted(negotiated):
        matching = [
            t
            for t in targets
            if t.indicator == indicator_code and t.aspect == aspect and t.is_numeric
        ]
        lines.append(
            _land_line(matching, open_offers, series, agreement, own_targets, aspect)
        )
    return lines


def _land_line(targets, open_offers, series, agreement, own_targets, aspect):
    info = targets[0].indicator_info

    def contributions(offers):
        return [
            contribution_of(
                info,
                offers.get(t.pk, t.target_value),
                t.baseline_value,
                series.get(t.goal.agreement.provider_id, {}),
                agreement.year,
            )
            for t in targets
        ]

    implied = implied_land_target(info, aspect, contributions({}))
    mine = [t for t in targets if t.pk in open_offers]
    if_accepted = (
        implied_land_target(info, aspect, contributions(open_offers)) if mine else None
    )
    return LandLine(
        info,
        aspect,
        implied,
        if_accepted,
        own_targets.get((info.code, aspect)),
        len({t.goal.agreement.provider_id for t in targets}),
    )

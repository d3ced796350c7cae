"""The printed form of an agreement as plain data, ready for the print template.

Everything the template would otherwise have to decide (articles, heading
levels, which targets form a bullet list, number formats) is decided here, so
the template only places text. Five queries, whatever the agreement's size.
"""

import re
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from zielsteuerung.numbers import format_decimal

from .models import Agreement, Articles, Goal, PartyRole, TargetKind

# "25,4 %", "§ 48b", "5,2 Prozent" must not break at the end of a line.
_TIES = re.compile(r"(?<=\d) (?=%|Prozent|Personen)|(?<=§) (?=\d)")


def tie(text):
    """``text`` with non-breaking spaces where a line break would mislead."""
    return _TIES.sub("\u00a0", text or "")


def german_date(day):
    """``2.6.2014`` as in the signature block of the seeds; empty for None."""
    return f"{day.day}.{day.month}.{day.year}" if day else ""


@dataclass
class PrintParty:
    role: str
    name: str
    short_name: str
    representative: str
    representative_name: str
    representative_function: str
    in_representation: bool
    signing_place: str
    signing_date: str
    articles: Articles


@dataclass
class PrintTarget:
    wording: str
    values: str
    emphasised: bool


@dataclass
class TargetGroup:
    as_list: bool
    targets: list = field(default_factory=list)


@dataclass
class PrintGoal:
    number: str
    title: str
    text: str
    heading_level: int
    groups: list


@dataclass
class PrintDocument:
    year: int
    version: int
    amends_version: int | None
    ministry: PrintParty
    provider: PrintParty
    legal_basis: str
    preamble: str
    references: str
    focus_areas: list
    goals_intro: str
    goals: list
    cooperation: str

    @property
    def signature_parties(self):
        return [self.ministry, self.provider]

    @property
    def running_header(self):
        return _("Zielvereinbarung %(year)s – %(provider)s") % {
            "year": self.year,
            "provider": self.provider.name,
        }


def print_document(agreement):
    """``agreement`` as a ``PrintDocument``, read afresh from the database."""
    agreement = Agreement.objects.prefetch_related(
        "parties",
        "focus_areas",
        Prefetch("goals", queryset=Goal.objects.prefetch_related("targets")),
    ).get(pk=agreement.pk)
    parties = {party.role: _party(party) for party in agreement.parties.all()}
    return PrintDocument(
        year=agreement.year,
        version=agreement.version,
        amends_version=agreement.amends.version if agreement.amends else None,
        ministry=parties[PartyRole.MINISTRY],
        provider=parties[PartyRole.PROVIDER],
        legal_basis=tie(agreement.legal_basis),
        preamble=tie(agreement.preamble),
        references=tie(agreement.references),
        focus_areas=[(a.title, tie(a.text)) for a in agreement.focus_areas.all()],
        goals_intro=tie(agreement.goals_intro),
        goals=[_goal(goal) for goal in agreement.goals.all()],
        cooperation=tie(agreement.cooperation),
    )


def _party(party):
    return PrintParty(
        role=party.role,
        name=party.name,
        short_name=party.short_name,
        representative=party.representative,
        representative_name=party.representative_name,
        representative_function=party.representative_function,
        in_representation=party.in_representation,
        signing_place=party.signing_place,
        signing_date=german_date(party.signing_date),
        articles=party.articles,
    )


def _goal(goal):
    groups = []
    for target in goal.targets.all():
        as_list = target.kind == TargetKind.QUALITATIVE
        if not groups or groups[-1].as_list != as_list:
            groups.append(TargetGroup(as_list=as_list))
        groups[-1].targets.append(_target(target))
    return PrintGoal(
        number=goal.number,
        title=goal.title,
        text=tie(goal.text),
        heading_level=4 if "-" in goal.number else 3,
        groups=groups,
    )


def _target(target):
    return PrintTarget(
        wording=tie(target.wording),
        values=tie(target_values_text(target)),
        emphasised=target.kind != TargetKind.QUALITATIVE,
    )


def target_values_text(target):
    """``Zielwert: mindestens 25,4 % · Ausgangswert: 22,5 % (Dezember 2013) …``."""
    if target.kind == TargetKind.QUALITATIVE:
        return str(target.rule_text()) if target.deadline else ""
    if target.kind == TargetKind.MONITORING:
        return _("Monitoring, kein Zielwert")
    rule = str(target.rule_text())
    if target.kind != TargetKind.GAP:
        rule = _("Zielwert: %(rule)s") % {"rule": rule}
    parts = [rule]
    if target.baseline_value is not None:
        baseline = " ".join(
            part
            for part in (
                format_decimal(target.baseline_value),
                target.baseline_unit_symbol,
            )
            if part
        )
        parts.append(
            _("Ausgangswert: %(value)s (%(period)s)")
            % {"value": baseline, "period": target.baseline_period}
        )
    if target.implied_change is not None:
        change = format_decimal(target.implied_change, 1, sign=True)
        parts.append(_("entspricht %(change)s %%") % {"change": change})
    return " · ".join(parts)

"""The agreement as a document: plain data for the page, the preview and the PDF.

Everything a template would otherwise have to decide (declined names,
headings, which targets form the list of local targets, every sentence with
its numbers) is decided here, so templates only place text, and the page,
the print preview and the PDF state exactly the same words. Seven queries,
whatever the agreement's size.
"""

import re
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from .models import Agreement, FocusArea, Goal, PartyRole, TargetKind
from .wording import fill, target_text, unconfirmed_conflicts

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
    nominative: str  # "das Ministerium für …"
    dative: str  # "dem Ministerium für …"
    accusative: str  # "das Ministerium für …"
    dative_article: str  # "dem", for the title block's own line
    dative_name: str  # "Bayerischen Staatsministerium …"
    representative: str
    representative_name: str
    representative_function: str
    in_representation: bool
    signing_place: str
    signing_date: str


@dataclass
class PrintTarget:
    target: object  # the Target, for links and edit buttons on the page
    label: str
    intro: str
    sentence: str
    closing: str
    emphasised: bool  # the sentence stands out (numeric and monitoring targets)
    conflicts: list = field(default_factory=list)


@dataclass
class PrintGoal:
    goal: object
    number: str
    title: str
    text: str
    heading_level: int
    targets: list  # agreed targets, each a paragraph
    local_intro: str
    local_targets: list  # the Jobcenter's own targets, as a list


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
    focus_heading: str
    focus_areas: list
    goals_heading: str
    goals_intro: str
    goals: list
    cooperation_heading: str
    cooperation: str
    annexes: list = field(default_factory=list)  # (title, Annex): "Anlage 1: …"

    @property
    def signature_parties(self):
        return [self.ministry, self.provider]

    @property
    def running_header(self):
        return _("Zielvereinbarung %(year)s – %(provider)s") % {
            "year": self.year,
            "provider": self.provider.name,
        }

    @property
    def conflicts(self):
        """Targets whose texts state numbers their fields contradict."""
        return [
            target
            for goal in self.goals
            for target in [*goal.targets, *goal.local_targets]
            if target.conflicts
        ]


def print_document(agreement):
    """``agreement`` as a ``PrintDocument``, read afresh from the database."""
    agreement = (
        Agreement.objects.select_related("provider__supervisor", "amends")
        .prefetch_related(
            "parties",
            "annexes",
            Prefetch("goals", queryset=Goal.objects.prefetch_related("targets")),
        )
        .get(pk=agreement.pk)
    )
    parties = {party.role: _party(party) for party in agreement.parties.all()}
    headings = headings_of(agreement)
    years = year_values(agreement.year)
    focus_areas = FocusArea.objects.of(agreement.provider.supervisor_id, agreement.year)
    return PrintDocument(
        year=agreement.year,
        version=agreement.version,
        amends_version=agreement.amends.version if agreement.amends else None,
        ministry=parties[PartyRole.MINISTRY],
        provider=parties[PartyRole.PROVIDER],
        legal_basis=tie(agreement.legal_basis),
        preamble=tie(fill(agreement.preamble, years)),
        references=tie(fill(agreement.references, years)),
        focus_heading=headings["focus"],
        focus_areas=[
            (fill(a.title, years), tie(fill(a.text, years))) for a in focus_areas
        ],
        goals_heading=headings["goals"],
        goals_intro=tie(fill(agreement.goals_intro, years)),
        goals=[_goal(goal, agreement.year) for goal in agreement.goals.all()],
        cooperation_heading=headings["cooperation"],
        cooperation=tie(fill(agreement.cooperation, years)),
        annexes=[(tie(annex.title), annex) for annex in agreement.annexes.all()],
    )


def year_values(year):
    """The placeholders every text of an agreement may use: {jahr}, {vorjahr}."""
    return {"jahr": str(year), "vorjahr": str(year - 1)}


def headings_of(agreement):
    """The section headings, the agreement's own or the usual ones."""
    state = agreement.provider.supervisor.state_name
    values = {
        **year_values(agreement.year),
        "jobcenter": agreement.provider.jobcenter_name or agreement.provider.name,
        "land": state,
    }
    if state:
        focus = _(
            "Schwerpunkte der Arbeitsmarkt- und Integrationspolitik in der "
            "Grundsicherung für Arbeitsuchende in {land} im Jahr {jahr}"
        )
    else:
        focus = _(
            "Schwerpunkte der Arbeitsmarkt- und Integrationspolitik in der "
            "Grundsicherung für Arbeitsuchende im Jahr {jahr}"
        )
    return {
        "focus": fill(agreement.focus_heading or focus, values),
        "goals": fill(agreement.goals_heading or _("1. Ziele {jahr}"), values),
        "cooperation": fill(
            agreement.cooperation_heading or _("2. Zusammenarbeit"), values
        ),
    }


def _party(party):
    forms = party.name_forms
    return PrintParty(
        role=party.role,
        name=party.name,
        short_name=party.short_name,
        nominative=party.nominative,
        dative=party.dative,
        accusative=party.accusative,
        dative_article=forms.with_article(1).removesuffix(" " + forms.dative),
        dative_name=forms.dative,
        representative=party.representative,
        representative_name=party.representative_name,
        representative_function=party.representative_function,
        in_representation=party.in_representation,
        signing_place=party.signing_place,
        signing_date=german_date(party.signing_date),
    )


def _goal(goal, year):
    targets = [_target(target, year) for target in goal.targets.all()]
    years = year_values(year)
    return PrintGoal(
        goal=goal,
        number=goal.number,
        title=goal.title,
        text=tie(fill(goal.text, years)),
        heading_level=4 if "-" in goal.number else 3,
        targets=[t for t in targets if not t.target.local],
        local_intro=tie(fill(goal.local_intro, years)),
        local_targets=[t for t in targets if t.target.local],
    )


def _target(target, year):
    text = target_text(target, year)
    return PrintTarget(
        target=target,
        label=tie(text.label),
        intro=tie(text.intro),
        sentence=tie(text.sentence),
        closing=tie(text.closing),
        emphasised=target.kind != TargetKind.QUALITATIVE,
        conflicts=unconfirmed_conflicts(target, year),
    )

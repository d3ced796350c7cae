"""The year rollover: next year's agreements for all providers of a ministry.

``rollover_plan(user, year)`` says, per provider, what rolling ``year`` over
would create — from the version in force of ``year`` — or why nothing is
created (an agreement of the next year exists already, or there is nothing
in force to start from). The page shows this plan as its preview and
``agreements_roll_over`` carries out exactly that plan, computed afresh, so
running it twice creates nothing twice.

Each new agreement is a draft copy of the version in force with

- **baselines refreshed from the figures**: every target with an indicator
  gets the level of ``year`` as its agreed baseline (the whole year, or for
  stocks the December value; a target that named a month keeps that month),
  with the data status it rests on ("Dezember 2024, t-0"). Where figures are
  missing the baseline is left empty and the target is flagged;
- **years moved on through placeholders** in every text the print fills
  (``years.move_years``); a sentence whose years cannot be moved safely is
  left as it is and flagged, and so are years in texts printed as typed
  (goal titles, a target's subject);
- the **signatories** of the current holders of the office (``services``).

Whatever is flagged becomes a ``ReviewItem`` on the new agreement's page,
which the ministry ticks off before the final version.
"""

import copy
import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.attainment import rounded
from indicators.months import MONTH_NAMES
from indicators.registry import Aspect, default_places
from zielsteuerung.accounts import policy
from zielsteuerung.accounts.models import Organisation

from . import focus_areas, services
from .models import (
    MAX_YEAR,
    Agreement,
    FocusArea,
    Goal,
    ReviewItem,
    ReviewKind,
    TargetKind,
)
from .presentation import not_computable_reason
from .progress import load_series, load_statuses
from .years import move_years, unmovable_years

# The texts the print fills with placeholders, and those it prints as typed.
AGREEMENT_TEXTS = (
    "preamble",
    "references",
    "goals_intro",
    "cooperation",
    "focus_heading",
    "goals_heading",
    "cooperation_heading",
)
GOAL_TEXTS = ("text", "local_intro")
GOAL_FIXED_TEXTS = ("title",)
TARGET_TEXTS = ("label", "intro", "sentence", "closing")
TARGET_FIXED_TEXTS = ("subject",)


# --- baselines from the figures -----------------------------------------------


@dataclass(frozen=True)
class Baseline:
    """A target's new agreed baseline, or why the figures cannot give one."""

    value: object  # Decimal, or None when figures are missing
    year: int
    month: int | None
    data_status: str  # "t0", "t3" or "" (unknown)
    reason: str = ""

    @property
    def period(self):
        """``Dezember 2024`` or ``2024``."""
        if self.month:
            return f"{MONTH_NAMES[self.month - 1]} {self.year}"
        return str(self.year)

    @property
    def status_text(self):
        return {"t0": "t-0", "t3": "t-3"}.get(self.data_status, "")


def baseline_month(target):
    """The month a refreshed baseline names: the target's own, else the measure's."""
    if target.baseline_year:
        return target.baseline_month
    return target.indicator_info.measure.default_baseline_month


def data_status_of(statuses, months):
    """``t3`` when every month is final, ``t0`` when one is provisional."""
    found = {statuses.get(month) for month in months}
    if None in found or not found:
        return ""
    return "t0" if "t0" in found else "t3"


def refreshed_baseline(target, series, statuses, year):
    """The baseline of ``target`` for the agreement after ``year``, from figures.

    None for targets without one: without an indicator, qualitative, or
    monitoring without an agreed baseline.
    """
    if not target.indicator or target.kind == TargetKind.QUALITATIVE:
        return None
    if target.kind == TargetKind.MONITORING and target.baseline_value is None:
        return None
    indicator = target.indicator_info
    month = baseline_month(target)
    outcome = indicator.measure.at_period(series, year, month)
    if not outcome.computable:
        return Baseline(None, year, month, "", not_computable_reason(outcome))
    months = indicator.measure.baseline_months(year, month)
    return Baseline(
        rounded(outcome.value, default_places(indicator.unit)),
        year,
        month,
        data_status_of(statuses, months),
    )


# --- the plan -----------------------------------------------------------------


@dataclass
class Flag:
    """Something the ministry has to look at on the new agreement's page."""

    kind: str
    message: str
    excerpt: str = ""
    goal: object = None  # the source goal it is about
    target: object = None  # the source target it is about
    field: str = ""


@dataclass
class TargetPlan:
    source: object
    baseline: Baseline | None
    texts: dict = field(default_factory=dict)  # field → MovedText

    @property
    def label(self):
        return self.source.indicator_info.short_name

    @property
    def baseline_text(self):
        """``22,5 %`` as the agreement will state it; '' when missing."""
        if self.baseline is None or self.baseline.value is None:
            return ""
        return self.source.indicator_info.format(self.baseline.value, Aspect.LEVEL)


@dataclass
class GoalPlan:
    source: object
    texts: dict = field(default_factory=dict)
    targets: list = field(default_factory=list)


@dataclass
class ProviderPlan:
    provider: Organisation
    source: Agreement | None  # the version in force of the year
    existing: Agreement | None  # an agreement of the next year, if any
    texts: dict = field(default_factory=dict)
    goals: list = field(default_factory=list)
    flags: list = field(default_factory=list)

    @property
    def creatable(self):
        return self.source is not None and self.existing is None

    @property
    def targets(self):
        return [plan for goal in self.goals for plan in goal.targets]

    @property
    def baselines(self):
        return [plan for plan in self.targets if plan.baseline is not None]

    @property
    def moved_years(self):
        texts = [*self.texts.values()]
        for goal in self.goals:
            texts += [*goal.texts.values()]
            for plan in goal.targets:
                texts += [*plan.texts.values()]
        return sum(text.moved for text in texts)


@dataclass
class RolloverPlan:
    year: int
    rows: list
    focus_areas: int  # the year's focus areas (copied if the next has none)
    next_focus_areas: int

    @property
    def creatable(self):
        return [row for row in self.rows if row.creatable]


def _sources(providers, year):
    return {
        agreement.provider_id: agreement
        for agreement in Agreement.objects.filter(provider__in=providers, year=year)
        .in_force()
        .prefetch_related(
            Prefetch("goals", queryset=Goal.objects.prefetch_related("targets"))
        )
    }


def rollover_plan(user, year):
    """Per provider ``user`` may see: what rolling ``year`` over would do."""
    providers = list(policy.providers_visible_to(user).order_by("name"))
    sources = _sources(providers, year)
    existing = {}
    for agreement in Agreement.objects.filter(
        provider__in=providers, year=year + 1
    ).order_by("-version"):
        existing[agreement.provider_id] = agreement
    targets = [
        target
        for source in sources.values()
        for goal in source.goals.all()
        for target in goal.targets.all()
    ]
    series = load_series(list(sources), targets, year)
    statuses = load_statuses(list(sources), year)
    rows = []
    for provider in providers:
        row = ProviderPlan(
            provider, sources.get(provider.pk), existing.get(provider.pk)
        )
        if row.creatable:
            _plan_content(row, series[provider.pk], statuses.get(provider.pk, {}), year)
        rows.append(row)
    ministry = policy.ministries_visible_to(user).first()
    return RolloverPlan(
        year,
        rows,
        FocusArea.objects.of(ministry, year).count(),
        FocusArea.objects.of(ministry, year + 1).count(),
    )


def _plan_content(row, series, statuses, year):
    for name in AGREEMENT_TEXTS:
        row.texts[name] = _moved(row, getattr(row.source, name), year, name)
    for goal in row.source.goals.all():
        plan = GoalPlan(goal)
        for name in GOAL_TEXTS:
            plan.texts[name] = _moved(row, getattr(goal, name), year, name, goal)
        for name in GOAL_FIXED_TEXTS:
            _flag_fixed(row, getattr(goal, name), year, name, goal)
        for target in goal.targets.all():
            plan.targets.append(_plan_target(row, goal, target, series, statuses, year))
        row.goals.append(plan)


def _plan_target(row, goal, target, series, statuses, year):
    plan = TargetPlan(target, refreshed_baseline(target, series, statuses, year))
    for name in TARGET_TEXTS:
        plan.texts[name] = _moved(row, getattr(target, name), year, name, goal, target)
    for name in TARGET_FIXED_TEXTS:
        _flag_fixed(row, getattr(target, name), year, name, goal, target)
    if plan.baseline is not None and plan.baseline.value is None:
        row.flags.append(
            Flag(
                ReviewKind.BASELINE_MISSING,
                _(
                    "Kein Ausgangswert für %(period)s: %(reason)s Bisher: "
                    "%(old)s. Bitte den Ausgangswert eintragen, sobald die "
                    "Monatswerte vorliegen."
                )
                % {
                    "period": plan.baseline.period,
                    "reason": plan.baseline.reason,
                    "old": _old_baseline(target),
                },
                goal=goal,
                target=target,
                field="baseline_value",
            )
        )
    if target.deadline and target.deadline < datetime.date(year + 1, 1, 1):
        row.flags.append(
            Flag(
                ReviewKind.DEADLINE_PASSED,
                _(
                    "Die Frist %(date)s liegt vor dem Jahr %(year)s. Bitte eine "
                    "neue Frist vereinbaren oder die Zielvorgabe streichen."
                )
                % {"date": target.deadline.strftime("%-d.%-m.%Y"), "year": year + 1},
                goal=goal,
                target=target,
                field="deadline",
            )
        )
    return plan


def _old_baseline(target):
    if target.baseline_value is None:
        return _("keiner")
    return f"{target.baseline_value.normalize():f} ({target.baseline_period})"


def _moved(row, text, year, name, goal=None, target=None):
    moved = move_years(text, year)
    for sentence in moved.unresolved:
        row.flags.append(_year_flag(sentence, goal, target, name))
    return moved


def _flag_fixed(row, text, year, name, goal=None, target=None):
    for sentence in unmovable_years(text, year):
        row.flags.append(_year_flag(sentence, goal, target, name))


def _year_flag(sentence, goal, target, name):
    return Flag(
        ReviewKind.YEAR_NOT_MOVED,
        _(
            "Jahreszahl nicht automatisch fortgeschrieben. Bitte prüfen, ob sie "
            "noch stimmt, oder {jahr} bzw. {vorjahr} schreiben."
        ),
        excerpt=sentence,
        goal=goal,
        target=target,
        field=name,
    )


# --- carrying out the plan ----------------------------------------------------


@transaction.atomic
def agreements_roll_over(*, year, providers, acting_user):
    """Create the next year's agreements of ``providers`` (ids) from ``year``.

    Providers that already have one, or have nothing in force, are skipped.
    Returns the new agreements.
    """
    if not policy.can_roll_over(acting_user):
        raise PermissionDenied(_("Nur das Ministerium legt Zielvereinbarungen an."))
    if year + 1 > MAX_YEAR:
        raise PermissionDenied(_("Dieses Jahr gibt es nicht."))
    wanted = {int(pk) for pk in providers}
    # One rollover at a time per provider: the second waits, then skips.
    list(
        Organisation.objects.select_for_update()
        .filter(pk__in=wanted)
        .values_list("pk", flat=True)
    )
    plan = rollover_plan(acting_user, year)
    ministry = policy.ministries_visible_to(acting_user).first()
    focus_areas.focus_areas_copy(
        ministry=ministry,
        from_year=year,
        to_year=year + 1,
        acting_user=acting_user,
        check=False,
    )
    return [
        _create(row, acting_user) for row in plan.creatable if row.provider.pk in wanted
    ]


def _create(row, acting_user):
    new_year = row.source.year + 1
    agreement = services.agreement_create(
        provider=row.provider, year=new_year, source=row.source
    )
    for name, moved in row.texts.items():
        setattr(agreement, name, moved.text)
    agreement.legal_basis = row.source.legal_basis
    _save(
        agreement,
        acting_user,
        _("Jahreswechsel: angelegt aus Fassung %(version)s von %(year)s")
        % {"version": row.source.version, "year": row.source.year},
    )
    goals, targets = {}, {}
    for goal_plan in row.goals:
        goal = _copy(goal_plan.source, agreement=agreement)
        for name, moved in goal_plan.texts.items():
            setattr(goal, name, moved.text)
        _save(goal, acting_user)
        goals[goal_plan.source.pk] = goal
        for plan in goal_plan.targets:
            targets[plan.source.pk] = _create_target(plan, goal, acting_user)
    for position, flag in enumerate(row.flags):
        ReviewItem.objects.create(
            agreement=agreement,
            position=position,
            kind=flag.kind,
            goal=goals[flag.goal.pk] if flag.goal else None,
            target=targets[flag.target.pk] if flag.target else None,
            field=flag.field,
            message=flag.message,
            excerpt=flag.excerpt,
        )
    return agreement


def _create_target(plan, goal, acting_user):
    target = _copy(plan.source, goal=goal)
    for name, moved in plan.texts.items():
        setattr(target, name, moved.text)
    baseline = plan.baseline
    if baseline is not None:
        found = baseline.value is not None
        target.baseline_value = baseline.value
        target.baseline_year = baseline.year if found else None
        target.baseline_month = baseline.month if found else None
        target.baseline_data_status = baseline.data_status if found else ""
        target.target_change = None  # it meant the change from the old baseline
    _save(target, acting_user)
    return target


def _copy(source, **parent):
    """An unsaved copy of ``source`` under a new parent; ``source`` is untouched."""
    instance = copy.copy(source)
    instance.__dict__.pop("_prefetched_objects_cache", None)
    instance.pk = None
    instance._state.adding = True
    for name, value in parent.items():
        setattr(instance, name, value)
    return instance


def _save(instance, acting_user, reason=None):
    instance._history_user = acting_user
    instance._change_reason = reason
    instance.save()


# --- the review list ----------------------------------------------------------


def review_items(agreement):
    """The agreement's review list with the goals and targets it names."""
    return list(
        agreement.review_items.select_related("goal", "target__goal", "done_by")
    )


@transaction.atomic
def review_item_tick(*, item, done, acting_user):
    """Tick an item off (``done``) or open it again; recorded in the history."""
    if not policy.can_edit_agreement(acting_user, item.agreement):
        raise PermissionDenied(_("Sie dürfen diese Zielvereinbarung nicht ändern."))
    item.done_at = timezone.now() if done else None
    item.done_by = acting_user if done else None
    _save(item, acting_user, _("Erledigt") if done else _("Wieder offen"))
    return item

"""The ministry's overview: every provider of a year × its targets.

Only the version in force of each provider's agreement is judged (the latest
signed one; before any signature the latest final or negotiated one); a
draft never changes what the overview says. One query for the agreements,
three for goals, targets and assessments, one for all figures, one for the
data statuses: the number of queries does not grow with the providers.

Below the providers: the Land's value over all providers with figures and
over those with an agreement in force, the Land target the providers'
targets imply, and the Land's own target agreed with the federal ministry.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators import registry
from indicators.attainment import Status, meets, rounded
from indicators.calculations import Outcome
from indicators.judging import latest_month
from indicators.land import Contribution, implied_land_target, land_value, pooled_series
from indicators.registry import Aspect
from indicators.selectors import FIGURE_VERSION_TABLES, highest_ids
from zielsteuerung.accounts import policy

from .models import (
    Agreement,
    Goal,
    LandTarget,
    QualitativeStatus,
    Target,
    TargetAssessment,
    TargetKind,
)
from .presentation import not_computable_reason
from .progress import load_series, load_statuses, target_progress


@dataclass(frozen=True)
class Column:
    indicator: str
    aspect: str

    @property
    def info(self):
        return registry.get(self.indicator)

    @property
    def label(self):
        return self.info.short_name

    @property
    def full_label(self):
        return self.info.name

    @property
    def sublabel(self):
        if self.aspect == Aspect.LEVEL:
            return gettext_lazy("Stand")
        if self.info.change_in_points:
            return gettext_lazy("Veränderung in Prozentpunkten")
        return gettext_lazy("Veränderung ggü. Vorjahr")

    def format(self, value):
        return self.info.format(value, self.aspect)

    def sort_key(self):
        return (registry.ORDER[self.indicator], self.aspect != Aspect.CHANGE)


@dataclass
class Row:
    agreement: Agreement
    cells: dict = field(default_factory=dict)  # Column → TargetProgress
    others: tuple = (0, 0)  # (achieved, total) of targets a person judges
    as_of: datetime.date | None = None

    @property
    def provider(self):
        return self.agreement.provider

    @cached_property
    def progress_url(self):
        return reverse("agreements:progress", args=[self.agreement.pk])

    def statuses(self):
        return {progress.status for progress in self.cells.values() if progress.status}


@dataclass
class LandCell:
    column: Column
    value: Outcome | None = None
    own_target: LandTarget | None = None

    @property
    def text(self):
        if self.value is None or not self.value.computable:
            return ""
        return self.column.format(self.value.value)

    @property
    def reason(self):
        if self.value is None or self.value.computable:
            return ""
        return not_computable_reason(self.value)


@dataclass
class LandRow:
    label: str
    note: str
    cells: list


@dataclass
class Overview:
    year: int
    columns: list
    rows: list
    land_rows: list
    comparison: list  # (Column, implied LandCell, own LandTarget or None, verdict)
    as_of: datetime.date | None
    counts: Counter


def column_of(target):
    if not target.judged_by_figures:
        return None
    return Column(target.indicator, target.aspect)


def agreements_in_force(user, year):
    """The version in force of each visible provider's agreement of ``year``."""
    return list(
        Agreement.objects.visible_to(user)
        .for_year(year)
        .in_force()
        .select_related("provider")
        .prefetch_related(
            Prefetch(
                "goals", queryset=Goal.objects.prefetch_related("targets__assessment")
            )
        )
        .order_by("provider__name")
    )


def year_overview(user, year):
    agreements = agreements_in_force(user, year)
    targets = [t for a in agreements for g in a.goals.all() for t in g.targets.all()]
    providers = list(policy.providers_visible_to(user).values_list("pk", flat=True))
    series = load_series(providers, targets, year)
    statuses = load_statuses([a.provider_id for a in agreements], year)
    rows = [
        _row(a, series[a.provider_id], year, statuses.get(a.provider_id, {}))
        for a in agreements
    ]
    columns = sorted(
        {column for row in rows for column in row.cells}, key=Column.sort_key
    )
    as_of = min((row.as_of for row in rows if row.as_of), default=None)
    counts = Counter(
        progress.status
        for row in rows
        for progress in row.cells.values()
        if progress.status
    )
    land_rows = _land_rows(columns, series, agreements, providers, year, as_of)
    comparison = _comparison(user, columns, rows, series, year)
    return Overview(year, columns, rows, land_rows, comparison, as_of, counts)


def _row(agreement, provider_series, year, statuses):
    row = Row(agreement=agreement, as_of=latest_month(provider_series, year))
    achieved = total = 0
    for goal in agreement.goals.all():
        for target in goal.targets.all():
            column = column_of(target)
            if column is None:
                if target.kind != TargetKind.MONITORING:
                    total += 1
                    assessment = getattr(target, "assessment", None)
                    achieved += bool(
                        assessment and assessment.status == QualitativeStatus.ACHIEVED
                    )
                continue
            if column not in row.cells:
                row.cells[column] = target_progress(
                    target, provider_series, year, statuses=statuses
                )
    row.others = (achieved, total)
    return row


def _land_rows(columns, series, agreements, providers, year, as_of):
    """The Land over all providers with figures, and over those with agreements."""
    with_figures = [pk for pk in providers if latest_month(series[pk], year)]
    with_agreement = [a.provider_id for a in agreements]
    return [
        LandRow(
            _("Land insgesamt"),
            _("alle %(n)s Träger mit Monatswerten") % {"n": len(with_figures)},
            _land_cells(columns, series, with_figures, year, as_of),
        ),
        LandRow(
            _("Träger mit Zielvereinbarung"),
            _("%(n)s Träger mit geltender Vereinbarung %(year)s")
            % {"n": len(with_agreement), "year": year},
            _land_cells(columns, series, with_agreement, year, as_of),
        ),
    ]


def _land_cells(columns, series, provider_ids, year, as_of):
    if as_of is None or not provider_ids:
        return [LandCell(column) for column in columns]
    pooled = pooled_series(series, provider_ids)
    return [
        LandCell(
            column,
            land_value(column.info, column.aspect, pooled, year, as_of.month),
        )
        for column in columns
    ]


def _contribution(progress, provider_series, year):
    """A provider's target with the base level and weight it is pooled with."""
    target = progress.target
    measure = target.indicator_info.measure
    base = target.baseline_value
    if base is None:
        base = measure.level(provider_series, year - 1, 12).value
    weight = measure.weight(provider_series, year - 1, 12)
    return Contribution(
        target_value=target.target_value,
        base_level=base,
        weight=weight.value if weight is not None else None,
    )


def _comparison(user, columns, rows, series, year):
    """Per column: the Land target implied by the providers, and the Land's own."""
    own = {
        (t.indicator, t.aspect): t
        for t in LandTarget.objects.filter(
            ministry__in=policy.ministries_visible_to(user), year=year
        )
    }
    result = []
    for column in columns:
        contributions = [
            _contribution(row.cells[column], series[row.agreement.provider_id], year)
            for row in rows
            if column in row.cells and row.cells[column].target.is_numeric
        ]
        land_target = own.get((column.indicator, column.aspect))
        if not contributions and land_target is None:
            continue  # monitoring only: nothing to add up or compare
        implied = implied_land_target(column.info, column.aspect, contributions)
        result.append(
            (
                column,
                LandCell(column, implied),
                land_target,
                _verdict(column, implied, land_target),
                len(contributions),
            )
        )
    return result


def _verdict(column, implied, land_target):
    """Whether the providers' targets add up to the Land's own target."""
    if land_target is None or not implied.computable:
        return ""
    value = rounded(implied.value, column.info.places_for(column.aspect))
    if meets(value, land_target.target_value, land_target.comparator):
        return _("Die Trägerziele erfüllen das Landesziel.")
    return _("Die Trägerziele bleiben hinter dem Landesziel zurück.")


STATUS_FILTERS = [
    (Status.ACHIEVED, gettext_lazy("erreicht")),
    (Status.ON_TRACK, gettext_lazy("auf Kurs")),
    (Status.AT_RISK, gettext_lazy("gefährdet")),
    (Status.MISSED, gettext_lazy("verfehlt")),
    (Status.NOT_ASSESSABLE, gettext_lazy("nicht bewertbar")),
]


def steering_year(user, today=None):
    """The year shown by default: the latest year with agreements in force.

    A year after the current one counts only when there is no earlier one:
    next year's agreements under negotiation in autumn do not move the
    steering of the running year. ``None`` without any agreement in force.
    """
    today = today or timezone.localdate()
    years = set(
        Agreement.objects.visible_to(user).in_force().values_list("year", flat=True)
    )
    current = [year for year in years if year <= today.year]
    return max(current or years, default=None)


def content_version():
    """Changes whenever an agreement, a target, an assessment or a figure changes.

    Every such change is recorded by django-simple-history, so the highest
    history ids move on, as the ids of the figure tables do: one query.
    """
    tables = [
        (model.history.model, "history_id")
        for model in (Agreement, Goal, Target, TargetAssessment, LandTarget)
    ]
    ids = highest_ids([*tables, *FIGURE_VERSION_TABLES])
    return "-".join(str(value) for value in ids)

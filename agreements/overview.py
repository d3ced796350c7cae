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
import functools
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators import registry
from indicators.attainment import Status, meets, rounded
from indicators.calculations import Outcome
from indicators.judging import series_window
from indicators.land import contribution, implied_land_target, land_value
from indicators.land_pool import land_pool
from indicators.registry import Aspect
from indicators.selectors import (
    FIGURE_VERSION_TABLES,
    HISTORY_COMMITS,
    highest_ids,
)
from zielsteuerung.accounts import policy
from zielsteuerung.accounts.models import Organisation

from .models import (
    Agreement,
    Goal,
    LandTarget,
    QualitativeStatus,
    Target,
    TargetAssessment,
    TargetExplanation,
    TargetKind,
    YearEndResult,
)
from .presentation import data_status_text, not_computable_reason
from .progress import TargetProgress
from .results import current_results
from .year_end import AS_STATUS, closed_agreement_ids


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
    closed: bool = False  # every target has its year-end result
    results: dict = field(default_factory=dict)  # Column → YearEndResult

    @property
    def provider(self):
        return self.agreement.provider

    @cached_property
    def progress_url(self):
        return reverse("agreements:progress", args=[self.agreement.pk])

    def status_of(self, column):
        """The official result's status in a closed year, else the computed one."""
        result = self.results.get(column)
        if result is not None:
            return AS_STATUS.get(result.status)
        return self.cells[column].status

    def statuses(self):
        return {self.status_of(column) for column in self.cells} - {None}

    @property
    def data_status_text(self):
        """The data status the row's values rest on (all cells share the months)."""
        judged = [p.judgement for p in self.cells.values() if p.judgement]
        return data_status_text(judged[0].data_status) if judged else ""


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

    @property
    def closed_count(self):
        return sum(row.closed for row in self.rows)


def column_of(target):
    if not target.judged_by_figures:
        return None
    return Column(target.indicator, target.aspect)


def agreements_in_force(user, year, provider_ids=None):
    """The version in force of each visible provider's agreement of ``year``.

    Each gets ``overview_targets``: its targets in the document's order, with
    their assessment and explanations — three flat queries, not a prefetch
    per level (which cost more than the rest of the overview at 405 Träger).
    ``provider_ids`` narrows it to some of the visible providers.
    """
    agreements = Agreement.objects.visible_to(user).for_year(year)
    if provider_ids is not None:
        agreements = agreements.filter(provider_id__in=provider_ids)
    agreements = list(
        agreements.in_force().select_related("provider").order_by("provider__name")
    )
    targets = list(
        Target.objects.filter(goal__agreement__in=agreements)
        .select_related("goal", "assessment")
        .order_by("goal__position", "goal__pk", "position", "pk")
    )
    explanations = defaultdict(list)
    for explanation in TargetExplanation.objects.filter(target__in=targets):
        explanations[explanation.target_id].append(explanation)
    by_agreement = defaultdict(list)
    for target in targets:
        target._prefetched_objects_cache = {
            "explanations": explanations.get(target.pk, [])
        }
        by_agreement[target.goal.agreement_id].append(target)
    for agreement in agreements:
        agreement.overview_targets = by_agreement.get(agreement.pk, [])
    return agreements


def year_overview(user, year):
    rows = overview_rows(user, year)
    columns = columns_of(rows)
    as_of = as_of_of(rows)
    counts = Counter(
        row.status_of(column)
        for row in rows
        for column in row.cells
        if row.status_of(column)
    )
    land_rows = land_rows_for(
        user, columns, [row.provider.pk for row in rows], year, as_of
    )
    contributions = [contributions_of(row) for row in rows]
    comparison = comparison_for(user, columns, contributions, year)
    return Overview(year, columns, rows, land_rows, comparison, as_of, counts)


def overview_rows(user, year, provider_ids=None):
    """One ``Row`` per visible provider with an agreement in force (or some of them)."""
    agreements = agreements_in_force(user, year, provider_ids)
    entries = [
        (target, agreement.provider_id)
        for agreement in agreements
        for target in agreement.overview_targets
    ]
    results = current_results(entries, year)
    rows = [_row(agreement, results) for agreement in agreements]
    _attach_year_end_results(rows)
    return rows


def columns_of(rows):
    """The key-figure columns of ``rows`` in the registry's order."""
    return sorted({column for row in rows for column in row.cells}, key=Column.sort_key)


def as_of_of(rows):
    """The latest month for which every row has figures (the Land's month)."""
    return min((row.as_of for row in rows if row.as_of), default=None)


def contributions_of(row):
    """``{column: contribution}`` of the row's numeric targets, for the Land target."""
    return {
        column: _contribution(progress)
        for column, progress in row.cells.items()
        if progress.target.is_numeric
    }


def _row(agreement, results):
    row = Row(agreement=agreement)
    achieved = total = 0
    for target in agreement.overview_targets:
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
            row.cells[column] = TargetProgress(target, results[target.pk])
    row.others = (achieved, total)
    row.as_of = max(
        (p.as_of for p in row.cells.values() if p.as_of is not None), default=None
    )
    return row


def _attach_year_end_results(rows):
    """Closed years show the official results instead of recomputed ones."""
    agreements = [row.agreement for row in rows]
    closed = closed_agreement_ids(agreements)
    if not closed:
        return
    results = {
        result.target_id: result
        for result in YearEndResult.objects.filter(target__goal__agreement__in=closed)
    }
    for row in rows:
        if row.agreement.pk in closed:
            row.closed = True
            row.results = {
                column: results[progress.target.pk]
                for column, progress in row.cells.items()
            }


def land_rows_for(user, columns, with_agreement, year, as_of):
    """The Land over all providers with figures, and over those with agreements.

    The pooled figures are kept in the cache and moved by each provider's
    change (``indicators.land_pool``): no aggregate over all values while
    only some providers' figures changed.
    """
    providers = list(policy.providers_visible_to(user).values_list("pk", flat=True))
    codes = {code for column in columns for code in column.info.elements}
    first, last = series_window(year)
    with_agreement = sorted(with_agreement)
    with_figures, pooled = land_pool(
        ("overview", user.organisation_id),
        providers,
        year,
        codes,
        first,
        last,
        {"figures": None, "agreement": with_agreement},
    )
    groups = {"figures": with_figures, "agreement": with_agreement}
    shown = {
        name: pooled[name] for name, ids in groups.items() if ids and as_of is not None
    }
    cells = _land_cells(columns, shown, year, as_of)
    return [
        LandRow(
            _("Land insgesamt"),
            _("alle %(n)s Träger mit Monatswerten") % {"n": len(with_figures)},
            cells["figures"],
        ),
        LandRow(
            _("Träger mit Zielvereinbarung"),
            _("%(n)s Träger mit geltender Vereinbarung %(year)s")
            % {"n": len(with_agreement), "year": year},
            cells["agreement"],
        ),
    ]


def _land_cells(columns, pooled, year, as_of):
    """Each column over the pooled figures of each group of providers."""
    return defaultdict(
        lambda: [LandCell(column) for column in columns],
        {
            name: [
                LandCell(
                    column,
                    land_value(column.info, column.aspect, series, year, as_of.month),
                )
                for column in columns
            ]
            for name, series in pooled.items()
        },
    )


def _contribution(progress):
    """A provider's target with the base level and weight it is pooled with."""
    target, result = progress.target, progress.result
    return contribution(
        target.target_value, target.baseline_value, result.base_level, result.weight
    )


def comparison_for(user, columns, contributions, year):
    """Per column: the Land target implied by the providers, and the Land's own.

    ``contributions`` holds one ``{column: contribution}`` per row.
    """
    own = {
        (t.indicator, t.aspect): t
        for t in LandTarget.objects.filter(
            ministry__in=policy.ministries_visible_to(user), year=year
        )
    }
    result = []
    for column in columns:
        found = [row[column] for row in contributions if column in row]
        land_target = own.get((column.indicator, column.aspect))
        if not found and land_target is None:
            continue  # monitoring only: nothing to add up or compare
        implied = implied_land_target(column.info, column.aspect, found)
        result.append(
            (
                column,
                LandCell(column, implied),
                land_target,
                _verdict(column, implied, land_target),
                len(found),
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
    years = Agreement.objects.visible_to(user).years_in_force()
    current = [year for year in years if year <= today.year]
    return max(current or years, default=None)


def content_version():
    """Changes whenever an agreement, a target, an assessment, an organisation's
    name or a figure changes.

    Every such change is recorded by django-simple-history, so the highest
    history ids move on, as the ids of the figure tables do: one query.
    """
    ids = highest_ids((*_agreement_tables(), *FIGURE_VERSION_TABLES))
    return "-".join(str(value) for value in ids)


def agreement_side_version():
    """Like ``content_version`` without the figures.

    Moves whenever anything a row of the overview shows changes, except the
    figures (which each provider's figures version follows): agreements and
    their parts, assessments, explanations, Land targets, year-end results,
    and the names of the organisations.
    """
    ids = highest_ids((*_agreement_tables(), HISTORY_COMMITS))
    return "-".join(str(value) for value in ids)


@functools.cache
def _agreement_tables():
    """The history tables of the agreement side (built once)."""
    return tuple(
        (model.history.model, "history_id")
        for model in (
            Agreement,
            Goal,
            Target,
            TargetAssessment,
            TargetExplanation,
            LandTarget,
            YearEndResult,
            Organisation,
        )
    )

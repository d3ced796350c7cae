"""The ministry's overview: every provider of a year × its targets.

One query for the agreements, three for goals, targets and assessments, one
for all figures: the number of queries does not grow with the providers.
The Land total is computed from summed numerators and denominators.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Max, Prefetch
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from indicators import measures, registry
from indicators.attainment import Status
from indicators.calculations import sum_series
from indicators.selectors import figures_version

from .models import (
    Agreement,
    Goal,
    QualitativeStatus,
    Target,
    TargetAssessment,
    TargetKind,
)
from .presentation import format_measure, not_computable_reason
from .progress import CHANGE_KINDS, latest_month, load_series, target_progress


@dataclass(frozen=True)
class Column:
    indicator: str
    change: bool

    @property
    def label(self):
        return registry.get(self.indicator).short_name

    @property
    def full_label(self):
        return registry.get(self.indicator).name

    @property
    def kind(self):
        """The target kind whose format the column's values take."""
        if not self.change:
            return TargetKind.LEVEL
        return TargetKind.GAP if self.indicator == "k2_abstand" else TargetKind.CHANGE

    @property
    def sublabel(self):
        if self.indicator == "k2_abstand":
            return _("Veränderung in Prozentpunkten") if self.change else _("Stand")
        return _("Veränderung ggü. Vorjahr") if self.change else _("Stand")


@dataclass
class Row:
    agreement: Agreement
    cells: dict = field(default_factory=dict)  # Column → TargetProgress
    others: tuple = (0, 0)  # (achieved, total) of qualitative and local targets
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
class TotalCell:
    column: Column
    text: str
    reason: str = ""


@dataclass
class Overview:
    year: int
    columns: list
    rows: list
    totals: list
    as_of: datetime.date | None
    counts: Counter


def latest_versions(agreements):
    """Per provider the newest version (an amendment replaces what it amends)."""
    newest = {}
    for agreement in agreements:
        current = newest.get(agreement.provider_id)
        if current is None or agreement.version > current.version:
            newest[agreement.provider_id] = agreement
    return sorted(newest.values(), key=lambda agreement: agreement.provider.name)


def column_of(target):
    if not target.judged_by_figures:
        return None
    return Column(target.indicator, target.kind in CHANGE_KINDS)


def year_overview(user, year):
    agreements = latest_versions(
        Agreement.objects.visible_to(user)
        .filter(year=year)
        .select_related("provider")
        .prefetch_related(
            Prefetch(
                "goals", queryset=Goal.objects.prefetch_related("targets__assessment")
            )
        )
    )
    targets = [t for a in agreements for g in a.goals.all() for t in g.targets.all()]
    series = load_series([a.provider_id for a in agreements], targets, year)
    rows = [
        _row(agreement, series[agreement.provider_id], year) for agreement in agreements
    ]
    columns = sorted(
        {column for row in rows for column in row.cells},
        key=lambda c: (list(measures.MEASURES).index(c.indicator), not c.change),
    )
    as_of = min((row.as_of for row in rows if row.as_of), default=None)
    counts = Counter(status for row in rows for status in _all_statuses(row))
    totals = _totals(columns, series, year, as_of)
    return Overview(year, columns, rows, totals, as_of, counts)


def _row(agreement, provider_series, year):
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
                row.cells[column] = target_progress(target, provider_series, year)
    row.others = (achieved, total)
    return row


def _all_statuses(row):
    return [progress.status for progress in row.cells.values() if progress.status]


def _totals(columns, series, year, as_of):
    if as_of is None:
        return [TotalCell(column, "") for column in columns]
    keys = {key for provider_series in series.values() for key in provider_series}
    land = {
        key: sum_series(
            [provider_series.get(key, {}) for provider_series in series.values()]
        )
        for key in keys
    }
    cells = []
    for column in columns:
        outcome, _ = measures.evaluate(
            column.indicator,
            change=column.change,
            series=land,
            year=year,
            month=as_of.month,
        )
        text = format_measure(column.kind, column.indicator, outcome.value)
        reason = "" if outcome.computable else not_computable_reason(outcome)
        cells.append(TotalCell(column, text, reason))
    return cells


STATUS_FILTERS = [
    (Status.ACHIEVED, _("erreicht")),
    (Status.ON_TRACK, _("auf Kurs")),
    (Status.AT_RISK, _("gefährdet")),
    (Status.MISSED, _("verfehlt")),
    (Status.NOT_ASSESSABLE, _("nicht bewertbar")),
]


def content_version():
    """Changes whenever an agreement, a target or an assessment changes.

    Every such change is recorded by django-simple-history, so the highest
    history ids (primary-key lookups) move on; ``figures_version`` does the
    same for the monthly figures.
    """
    tables = (Agreement, Goal, Target, TargetAssessment)
    latest = [
        model.history.aggregate(latest=Max("history_id"))["latest"] for model in tables
    ]
    return "-".join(str(value) for value in [*latest, figures_version()])

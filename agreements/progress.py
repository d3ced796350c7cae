"""Progress of an agreement's targets: value, forecast, status, data status.

Reads figures only through ``indicators.selectors`` (one query for all the
series a page needs, one for the data statuses) and judges each target with
the one pure function ``indicators.judging.judge``. Values are as of the
latest month of the agreement's year with figures of the provider.
"""

import dataclasses
import datetime
from dataclasses import dataclass

from indicators.judging import course, series_window
from indicators.selectors import data_statuses_for, series_for

EXPLAIN = ("at_risk", "missed")


@dataclass
class TargetProgress:
    target: object
    result: object = None  # results.CurrentResult; None: a person judges it

    @property
    def explanation(self):
        """The Jobcenter's latest explanation (explanations must be prefetched)."""
        explanations = list(self.target.explanations.all())
        return explanations[0] if explanations else None

    @property
    def needs_explanation(self):
        """At risk or missed, and not yet explained for this status."""
        if self.status not in EXPLAIN:
            return False
        explanation = self.explanation
        return explanation is None or explanation.status != self.status

    @property
    def judgement(self):
        return self.result.judgement if self.result is not None else None

    @property
    def is_automatic(self):
        return self.result is not None

    @property
    def assessment(self):
        return getattr(self.target, "assessment", None)

    @property
    def status(self):
        return self.judgement.status if self.judgement else None

    @property
    def as_of(self):
        return self.judgement.as_of if self.judgement else None


def window(targets, year):
    """First and last month the targets of ``year`` need (agreed baselines too)."""
    baseline_years = [t.baseline_year for t in targets if t.baseline_year]
    return series_window(year, min(baseline_years, default=None))


def elements_for(targets):
    return {
        code
        for target in targets
        if target.judged_by_figures
        for code in target.indicator_info.elements
    }


def load_series(providers, targets, year):
    """``{provider_id: {(code, sex): {month: value}}}`` in one query."""
    first, last = window(targets, year)
    loaded = series_for(providers, elements_for(targets), first, last)
    by_provider = {getattr(p, "pk", p): {} for p in providers}
    for (provider_id, code, sex), series in loaded.items():
        by_provider[provider_id][(code, sex)] = series
    return by_provider


def load_statuses(providers, year):
    """``{provider_id: {month: data status}}`` of the months of ``year``."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 1)
    return data_statuses_for(providers, first, last)


def agreement_progress(agreement, *, with_course=True):
    """Every target of ``agreement`` with its progress, grouped by goal.

    The judgements come from the stored results (recomputed where stale, from
    the series loaded here anyway); the course of the year is added live.
    """
    from .results import current_results

    goals = list(
        agreement.goals.prefetch_related("targets__assessment", "targets__explanations")
    )
    targets = [target for goal in goals for target in goal.targets.all()]
    provider, year = agreement.provider_id, agreement.year
    series = load_series([provider], targets, year)
    statuses = load_statuses([provider], year)
    results = current_results(
        [(target, provider) for target in targets],
        year,
        series=series,
        statuses=statuses,
    )
    if with_course:
        results = {
            pk: _with_course(result, series[provider], year)
            for pk, result in results.items()
        }
    return [
        (goal, [TargetProgress(t, results.get(t.pk)) for t in goal.targets.all()])
        for goal in goals
    ]


def _with_course(result, provider_series, year):
    judgement = result.judgement
    if judgement.as_of is None:
        return result
    points = course(judgement.rule, provider_series, year, judgement.as_of.month)
    return dataclasses.replace(
        result, judgement=dataclasses.replace(judgement, course=points)
    )

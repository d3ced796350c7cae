"""Current results of targets: stored, and recomputed only where inputs moved.

Pages that show many providers (overview, start page, export) must not judge
every target of every provider on each request. ``current_results`` reads
the stored ``TargetResult`` of each target and recomputes only those whose
inputs have moved since: the target's rule (a key over its fields) or the
provider's figures version (counted up by every write to its figures). So a
stored result always equals a fresh computation, and after a change of one
provider's figures only that provider's targets are judged again.

A recomputation that changes a result while its month stays the same is a
revision of the figures (not a new month): the old value and status and the
time of the revision are kept beside the new ones and shown on the pages.
"""

import datetime
import hashlib
from collections import namedtuple
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from indicators.calculations import Outcome
from indicators.judging import Judgement, StatusRange, judge, latest_month
from indicators.selectors import figures_versions

from .models import TargetResult

_RESULT_FIELDS = [
    "rule_key",
    "figures_version",
    "as_of",
    "value",
    "value_reason",
    "value_missing",
    "forecast",
    "status",
    "baseline",
    "figures_baseline",
    "figures_baseline_reason",
    "figures_baseline_missing",
    "data_status",
    "base_level",
    "weight",
    "computed_at",
    "previous_value",
    "previous_status",
    "revised_at",
]


# A stored result as read for judging: plain values, no model instance (the
# overview reads thousands; building TargetResult instances took most of it).
_Stored = namedtuple("_Stored", ["target_id", *_RESULT_FIELDS])


def _stored_results(target_ids):
    """``{target_id: _Stored}`` of the stored results of ``target_ids``: one query."""
    rows = TargetResult.objects.filter(pk__in=target_ids).values_list(*_Stored._fields)
    return {row[0]: _Stored._make(row) for row in rows}


@dataclass(frozen=True)
class CurrentResult:
    """A target's judgement now, with what the Land target needs and revisions."""

    judgement: Judgement
    base_level: object = None  # the provider's level the year before
    weight: object = None  # the quota's denominator that year (quotas only)
    previous_value: object = None  # before the latest revision of the figures
    previous_status: str = ""
    revised_at: datetime.datetime | None = None

    @property
    def revised(self):
        return self.revised_at is not None


def rule_key(rule, year):
    """A fingerprint of everything of a target that its judgement depends on."""
    parts = [
        year,
        rule.indicator.code,
        rule.aspect,
        rule.comparator,
        rule.target_value,
        rule.tolerance,
        rule.baseline,
        rule.baseline_year,
        rule.baseline_month,
    ]
    text = "|".join("" if p is None else _plain(p) for p in parts)
    return hashlib.sha256(text.encode()).hexdigest()


def _plain(value):
    return f"{value.normalize():f}" if hasattr(value, "normalize") else str(value)


def current_results(entries, year, *, series=None, statuses=None, now=None):
    """``{target_id: CurrentResult}`` for ``entries`` of ``(target, provider_id)``.

    Only targets judged by figures are looked at. ``series`` and
    ``statuses`` (by provider) may be handed in when the caller has loaded
    them anyway; otherwise they are loaded for the providers whose results
    are stale, in one query each.
    """
    entries = [(t, p) for t, p in entries if t.judged_by_figures]
    if not entries:
        return {}
    rules = {target.pk: target.rule() for target, _provider in entries}
    keys = {pk: rule_key(rule, year) for pk, rule in rules.items()}
    versions = figures_versions({provider for _target, provider in entries})
    stored = _stored_results([target.pk for target, _p in entries])
    stale = [
        (target, provider)
        for target, provider in entries
        if target.pk not in stored
        or stored[target.pk].rule_key != keys[target.pk]
        or stored[target.pk].figures_version != versions[provider]
    ]
    if stale:
        stored.update(
            _recompute(
                stale, year, rules, keys, versions, stored, series, statuses, now
            )
        )
    return {pk: from_stored(stored[pk], rules[pk]) for pk in rules}


def _recompute(stale, year, rules, keys, versions, stored, series, statuses, now):
    from .progress import load_series, load_statuses

    providers = sorted({provider for _target, provider in stale})
    if series is None:
        series = load_series(providers, [target for target, _p in stale], year)
    if statuses is None:
        statuses = load_statuses(providers, year)
    now = now or timezone.now()
    fresh = {}
    for target, provider in stale:
        provider_series = series.get(provider, {})
        judgement = judge(
            rules[target.pk],
            provider_series,
            year,
            as_of=latest_month(provider_series, year),
            statuses=statuses.get(provider, {}),
        )
        result = _result(target, judgement, provider_series, year, now)
        result.rule_key, result.figures_version = keys[target.pk], versions[provider]
        _keep_revision(result, stored.get(target.pk))
        fresh[target.pk] = result
    with transaction.atomic():
        TargetResult.objects.bulk_create(
            fresh.values(),
            update_conflicts=True,
            unique_fields=["target"],
            update_fields=_RESULT_FIELDS,
        )
    return fresh


def _result(target, judgement, provider_series, year, now):
    measure = judgement.rule.indicator.measure
    value, forecast = judgement.value, judgement.forecast
    figures_baseline = judgement.figures_baseline or Outcome(None)
    weight = measure.weight(provider_series, year - 1, 12)
    return TargetResult(
        target=target,
        as_of=judgement.as_of,
        value=_as_stored(value.value),
        value_reason=value.reason,
        value_missing=[month.isoformat() for month in value.missing],
        forecast=_as_stored(forecast.value if forecast is not None else None),
        status=judgement.status or "",
        baseline=_as_stored(judgement.baseline.value if judgement.baseline else None),
        figures_baseline=_as_stored(figures_baseline.value),
        figures_baseline_reason=figures_baseline.reason,
        figures_baseline_missing=[m.isoformat() for m in figures_baseline.missing],
        data_status=[
            [part.status, part.first.isoformat(), part.last.isoformat()]
            for part in judgement.data_status
        ],
        base_level=_as_stored(measure.level(provider_series, year - 1, 12).value),
        weight=_as_stored(weight.value if weight is not None else None),
        computed_at=now,
    )


_PLACES = Decimal(1).scaleb(-TargetResult._meta.get_field("value").decimal_places)


def _as_stored(number):
    """``number`` as the database gives it back, so a result just computed
    reads exactly like the same result read from storage."""
    return None if number is None else number.quantize(_PLACES)


def _keep_revision(result, old):
    """A changed result of the same month is a revision: keep the old beside it."""
    if old is None or old.rule_key != result.rule_key or old.as_of != result.as_of:
        return
    if _same(old.value, result.value) and old.status == result.status:
        result.previous_value = old.previous_value
        result.previous_status = old.previous_status
        result.revised_at = old.revised_at
        return
    result.previous_value, result.previous_status = old.value, old.status
    result.revised_at = result.computed_at


def _same(old, new):
    if old is None or new is None:
        return old is new
    return old.compare(new) == 0


def from_stored(result, rule):
    """The ``CurrentResult`` a stored ``TargetResult`` stands for."""
    value = Outcome(
        result.value,
        tuple(datetime.date.fromisoformat(m) for m in result.value_missing),
        result.value_reason,
    )
    judgement = Judgement(
        rule,
        result.as_of,
        value,
        forecast=_forecast(result, value),
        status=result.status or None,
        baseline=Outcome(result.baseline) if result.baseline is not None else None,
        figures_baseline=_figures_baseline(result, rule),
        data_status=tuple(
            StatusRange(
                status,
                datetime.date.fromisoformat(first),
                datetime.date.fromisoformat(last),
            )
            for status, first, last in result.data_status
        ),
    )
    return CurrentResult(
        judgement,
        base_level=result.base_level,
        weight=result.weight,
        previous_value=result.previous_value,
        previous_status=result.previous_status,
        revised_at=result.revised_at,
    )


def _forecast(result, value):
    if result.as_of is None or result.as_of.month == 12:
        return None
    if result.forecast is not None:
        return Outcome(result.forecast)
    return value  # not computable: the forecast fails for the same reason


def _figures_baseline(result, rule):
    if rule.baseline is None or not rule.baseline_year or result.as_of is None:
        return None
    return Outcome(
        result.figures_baseline,
        tuple(datetime.date.fromisoformat(m) for m in result.figures_baseline_missing),
        result.figures_baseline_reason,
    )

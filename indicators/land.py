"""The Land's value of an indicator and the Land target its providers imply.

Pure functions. The Land's value pools the providers' series (summed
numerators and denominators, never an average of quotas) and applies the
indicator's own measure. The Land target implied by the providers' targets
follows the indicator's ``LandRule`` (see DOMAIN.md, "Land target"):

- quotas (K2 …): Σ (target quota × weight) ÷ Σ weight, the weight being the
  quota's denominator in the base year (Ø eLb of December … November);
- counts and average stocks add up (integrations, K3 on summed averages);
- a gap between two quotas cannot be aggregated from the providers' gaps.

A change target implies a target level (base level × (1 + change), or base +
change in points); the Land target of a change is the change of the summed
target levels against the summed base levels.
"""

from dataclasses import dataclass
from decimal import Decimal

from .calculations import Outcome, sum_series
from .measures import change_of
from .registry import Aspect, LandRule

NOT_AGGREGABLE = "not_aggregable"
NO_TARGETS = "no_targets"


def pooled_series(series_by_provider, provider_ids):
    """One series per (element, sex), summed over ``provider_ids``.

    A month counts only where every one of them has it, so a Land value is
    never computed from part of the providers.
    """
    chosen = [series_by_provider.get(pk, {}) for pk in provider_ids]
    keys = {key for series in chosen for key in series}
    return {key: sum_series([series.get(key, {}) for series in chosen]) for key in keys}


def land_value(indicator, aspect, pooled, year, month):
    """The Land's year-to-date level or change against the previous year."""
    measure = indicator.measure
    level = measure.level(pooled, year, month)
    if aspect == Aspect.LEVEL:
        return level
    previous = measure.level(pooled, year - 1, month)
    return change_of(level, previous, in_points=indicator.change_in_points)


@dataclass(frozen=True)
class Contribution:
    """One provider's target, with the base level and weight it is pooled with."""

    target_value: Decimal
    base_level: Decimal | None  # the level the change starts from
    weight: Decimal | None = None  # the quota's denominator (WEIGHTED only)


def contribution(target_value, baseline, previous_level, weight):
    """A provider's target with the base level and weight it pools with.

    The one rule for both the negotiation and the overview: the base is the
    agreed baseline, or else the provider's level of the previous year; the
    weight is the quota's denominator of the previous year.
    """
    return Contribution(
        target_value=target_value,
        base_level=baseline if baseline is not None else previous_level,
        weight=weight,
    )


def contribution_of(indicator, target_value, baseline, series, year):
    """``contribution`` with the previous year's level and weight from ``series``."""
    measure = indicator.measure
    previous = None
    if baseline is None:
        previous = measure.level(series, year - 1, 12).value
    weight = measure.weight(series, year - 1, 12)
    return contribution(
        target_value, baseline, previous, weight.value if weight is not None else None
    )


def implied_level(indicator, aspect, contribution):
    """The level a provider's target stands for."""
    if aspect == Aspect.LEVEL:
        return contribution.target_value
    if contribution.base_level is None:
        return None
    if indicator.change_in_points:
        return contribution.base_level + contribution.target_value
    return contribution.base_level * (1 + contribution.target_value / 100)


def implied_land_target(indicator, aspect, contributions):
    """The Land target (level or change) the providers' targets add up to.

    An Outcome: not computable when the indicator cannot be aggregated, no
    provider has a target, or a base level or weight is missing.
    """
    if indicator.land_rule == LandRule.NONE:
        return Outcome(None, reason=NOT_AGGREGABLE)
    if not contributions:
        return Outcome(None, reason=NO_TARGETS)
    levels = [implied_level(indicator, aspect, c) for c in contributions]
    bases = [c.base_level for c in contributions]
    weights = [
        c.weight if indicator.land_rule == LandRule.WEIGHTED else Decimal(1)
        for c in contributions
    ]
    needed = levels + weights + (bases if aspect == Aspect.CHANGE else [])
    if any(value is None for value in needed) or sum(weights) == 0:
        return Outcome(None, reason="incomplete")
    target_level = _pool(indicator, levels, weights)
    if aspect == Aspect.LEVEL:
        return Outcome(target_level)
    base_level = _pool(indicator, bases, weights)
    return change_of(
        Outcome(target_level), Outcome(base_level), in_points=indicator.change_in_points
    )


def _pool(indicator, levels, weights):
    if indicator.land_rule == LandRule.ADDITIVE:
        return sum(levels, Decimal(0))
    total_weight = sum(weights, Decimal(0))
    return sum((lv * w for lv, w in zip(levels, weights, strict=True)), Decimal(0)) / (
        total_weight
    )

"""The Land's pooled figures, kept and moved by each provider's change.

The overview's Land rows sum the figures of every provider (and of those
with an agreement) month by month: one aggregate over all their values,
about a third of the overview's time right after one provider's figures
changed. Here the sums are kept in the shared cache with each provider's
own part (its values as whole cents, one vector per provider), and only the
parts of providers whose figures version moved are read again and swapped:
the sums lose the old part and gain the new one.

The answer is exactly ``pooled_series_by_group`` over the same groups (a
test compares both after random changes). Three rules keep it so:

- Versions are read before values, so a part is never labelled older than
  it is; a newer label on the next request reads it again.
- The parts are stored in a fixed number of buckets (by provider id), each
  under a key made from its content and never rewritten: the kept sums
  always subtract exactly the part they once added, whatever another
  process wrote meanwhile; and the number of cache writes does not grow
  with the providers.
- Anything unexpected (a part gone from the cache, another window, codes or
  providers) computes everything afresh.
"""

import hashlib
import pickle
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache

from .models import MonthlyValue, Sex
from .months import add_months
from .selectors import figures_versions, providers_with_figures

KEEP_SECONDS = 24 * 60 * 60
# More moved providers than this: reading every part afresh is cheaper than
# the swaps.
MOST_MOVED = 40
BUCKETS = 8
_SEXES = (Sex.TOTAL, Sex.WOMEN, Sex.MEN)


@dataclass
class _Group:
    members: frozenset
    sums: list  # whole cents per slot
    counts: list  # providers with a value per slot


@dataclass
class _Kept:
    slots: tuple  # (code, sex, month) of each vector position
    year: int
    versions: dict  # provider id → figures version the parts rest on
    buckets: tuple  # cache key of each bucket of parts ({provider id: vector})
    with_figures: frozenset
    groups: dict  # name → _Group


def land_pool(scope, providers, year, codes, first, last, groups):
    """(providers with figures in ``year``, {name: pooled series}).

    ``providers`` are the ids the Land consists of; ``groups`` maps a name to
    the ids it pools, or to ``None`` for "the providers with figures".
    Each pooled series is ``{(code, sex): {month: Decimal}}``, a month only
    where every provider of the group has a value, as in
    ``pooled_series_by_group``.
    """
    providers = sorted(set(providers))
    versions = figures_versions(providers)  # before any value is read
    slots = _slots(codes, first, last)
    key = "land-pool:v1:" + _digest((scope, year, slots))
    stored = cache.get(key)
    kept = _moved_on(stored, versions, year, slots, groups)
    if kept is None:
        kept = _computed(versions, year, slots, groups)
    if kept is not stored:
        cache.set(key, kept, KEEP_SECONDS)
    return sorted(kept.with_figures), {
        name: _pooled(kept.slots, group) for name, group in kept.groups.items()
    }


def _slots(codes, first, last):
    months = []
    month = first
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return tuple(
        (code, sex, month)
        for code in sorted(codes)
        for sex in _SEXES
        for month in months
    )


def _digest(value):
    return hashlib.sha256(repr(value).encode()).hexdigest()[:32]


def _members(groups, with_figures):
    return {
        name: frozenset(with_figures if ids is None else ids)
        for name, ids in groups.items()
    }


def _computed(versions, year, slots, groups):
    """Everything afresh: every provider's part, and the sums of each group."""
    ids = list(versions)
    vectors = _vectors(ids, slots)
    with_figures = frozenset(providers_with_figures(ids, year))
    buckets = _store_buckets([{} for _ in range(BUCKETS)], vectors)
    members = _members(groups, with_figures)
    return _Kept(
        slots,
        year,
        dict(versions),
        buckets,
        with_figures,
        {
            name: _Group(
                group_members,
                *_summed(slots, [vectors[pk] for pk in ids if pk in group_members]),
            )
            for name, group_members in members.items()
        },
    )


def _moved_on(kept, versions, year, slots, groups):
    """``kept`` with the moved providers' parts swapped; None to compute anew."""
    if kept is None or kept.slots != slots or kept.year != year:
        return None
    if set(kept.versions) != set(versions):
        return None
    moved = [pk for pk, version in versions.items() if kept.versions[pk] != version]
    if len(moved) > MOST_MOVED:
        return None
    now_with = set(kept.with_figures) - set(moved)
    now_with |= providers_with_figures(moved, year) if moved else set()
    members = _members(groups, now_with)
    if set(members) != set(kept.groups):
        return None
    # Providers whose membership changed without a move (an agreement came or
    # went) swap their unchanged part in or out.
    changed = set(moved).union(
        *(group.members ^ members[name] for name, group in kept.groups.items())
    )
    if not changed:
        return kept  # nothing moved: kept as it is, not written again
    buckets = _load_buckets(kept.buckets, {_bucket(pk) for pk in changed})
    if buckets is None:
        return None
    old = {pk: buckets[_bucket(pk)][pk] for pk in changed}
    new = {**old, **_vectors(moved, slots)}
    result = {
        name: _swapped(group, members[name], changed, old, new)
        for name, group in kept.groups.items()
    }
    stored = _store_buckets(buckets, {pk: new[pk] for pk in moved})
    keys = tuple(stored.get(n, key) for n, key in enumerate(kept.buckets))
    return _Kept(slots, year, dict(versions), keys, frozenset(now_with), result)


def _swapped(group, members, changed, old, new):
    sums, counts = list(group.sums), list(group.counts)
    for pk in changed:
        if pk in group.members:
            _add(sums, counts, old[pk], -1)
        if pk in members:
            _add(sums, counts, new[pk], 1)
    return _Group(members, sums, counts)


def _vectors(ids, slots):
    """{provider id: tuple of whole cents (or None) per slot}, one query."""
    position = {slot: index for index, slot in enumerate(slots)}
    codes = sorted({code for code, _, _ in slots})
    vectors = {pk: [None] * len(slots) for pk in ids}
    if ids and slots:
        rows = MonthlyValue.objects.filter(
            provider_id__in=ids,
            element__code__in=codes,
            month__gte=slots[0][2],
            month__lte=slots[-1][2],
        ).values_list("provider_id", "element__code", "sex", "month", "value")
        for pk, code, sex, month, value in rows:
            index = position.get((code, sex, month))
            if index is not None:
                vectors[pk][index] = int(value * 100)
    return {pk: tuple(vector) for pk, vector in vectors.items()}


def _bucket(pk):
    return pk % BUCKETS


def _store_buckets(buckets, vectors):
    """The buckets ``vectors`` fall in, updated and stored: {number: key}.

    ``buckets`` is a list (or a dict by number) of the buckets as they were.
    """
    touched = {}
    for pk, vector in vectors.items():
        number = _bucket(pk)
        if number not in touched:
            touched[number] = dict(buckets[number])
        touched[number][pk] = vector
    if isinstance(buckets, list):  # computed afresh: every bucket, once
        touched = {n: touched.get(n, {}) for n in range(BUCKETS)}
    entries, keys = {}, {}
    for number, bucket in touched.items():
        data = pickle.dumps(sorted(bucket.items()), pickle.HIGHEST_PROTOCOL)
        digest = hashlib.sha256(data).hexdigest()[:32]
        keys[number] = f"land-parts:v1:{number}:{digest}"
        entries[keys[number]] = bucket
    if entries:
        cache.set_many(entries, KEEP_SECONDS)
    if isinstance(buckets, list):
        return tuple(keys[n] for n in range(BUCKETS))
    return keys


def _load_buckets(keys, numbers):
    """{number: bucket} of the buckets ``numbers``; None when one is gone."""
    if not numbers:
        return {}
    wanted = {keys[number]: number for number in numbers}
    found = cache.get_many(list(wanted))
    if len(found) != len(wanted):
        return None
    return {wanted[key]: bucket for key, bucket in found.items()}


def _summed(slots, vectors):
    sums, counts = [0] * len(slots), [0] * len(slots)
    for vector in vectors:
        _add(sums, counts, vector, 1)
    return sums, counts


def _add(sums, counts, vector, sign):
    for index, cents in enumerate(vector):
        if cents is not None:
            sums[index] += sign * cents
            counts[index] += sign


def _pooled(slots, group):
    pooled = {}
    size = len(group.members)
    if not size:
        return pooled
    for (code, sex, month), total, count in zip(
        slots, group.sums, group.counts, strict=True
    ):
        if count == size:
            pooled.setdefault((code, sex), {})[month] = Decimal(total).scaleb(-2)
    return pooled

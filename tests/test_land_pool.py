"""The Land's kept sums equal one aggregate over all values, after any change."""

import datetime
import random
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators import land_pool
from indicators.models import MonthlyValue
from indicators.selectors import pooled_series_by_group, providers_with_figures
from tests.test_overview import _provider
from tests.test_results import _save_month

pytestmark = pytest.mark.django_db

FIRST, LAST = datetime.date(2022, 1, 1), datetime.date(2023, 12, 1)
CODES = {"integrationen", "elb"}


def _kept(providers, groups):
    return land_pool.land_pool(
        ("test", 1), [p.pk for p in providers], 2023, CODES, FIRST, LAST, groups
    )


def _fresh(providers, groups):
    ids = [p.pk for p in providers]
    with_figures = sorted(providers_with_figures(ids, 2023))
    named = {
        name: with_figures if members is None else members
        for name, members in groups.items()
    }
    return with_figures, pooled_series_by_group(named, CODES, FIRST, LAST)


def _plain(pooled):
    return {
        name: {k: dict(v) for k, v in series.items()} for name, series in pooled.items()
    }


def test_kept_pool_equals_the_aggregate_after_random_changes(
    ministry, ministry_user, put_figures
):
    rng = random.Random(2026_12_03)  # noqa: S311 - a repeatable sequence
    providers = [_provider(ministry, n) for n in range(12)]
    for provider in providers[:9]:
        put_figures(
            provider,
            "integrationen",
            {datetime.date(2022, m, 1): rng.randint(50, 150) for m in range(1, 13)},
        )
    with_agreement = [p.pk for p in providers[:5]]
    swapped = 0
    original = land_pool._computed

    def counting(*args):
        counting.calls += 1
        return original(*args)

    counting.calls = 0
    land_pool._computed = counting
    try:
        for step in range(40):
            provider = rng.choice(providers)
            kind = rng.choice(["value", "value", "status", "group", "split"])
            month = datetime.date(rng.choice([2022, 2023]), rng.randint(1, 12), 1)
            if kind == "value":
                values = {"integrationen": rng.randint(0, 200) + Decimal("0.25")}
                if rng.random() < 0.5:
                    values["elb"] = rng.randint(1000, 2000)
                _save_month(ministry_user, provider, month, values, reason="Test")
            elif kind == "status":
                _save_month(
                    ministry_user, provider, month, {}, rng.choice(["t0", "t3"]), "T"
                )
            elif kind == "group":  # an agreement came or went
                pk = provider.pk
                if pk in with_agreement:
                    with_agreement.remove(pk)
                else:
                    with_agreement.append(pk)
            else:  # a value of women or men, where the total may be missing
                december = datetime.date(2023, 12, 1)
                sex = rng.choice(["women", "men"])
                if not _has(provider, "elb", december, sex):
                    put_figures(provider, "elb", {december: 40 + step}, sex=sex)
            groups = {"figures": None, "agreement": sorted(with_agreement)}
            before = counting.calls
            kept = _kept(providers, groups)
            swapped += counting.calls == before
            assert kept[0] == _fresh(providers, groups)[0], (step, kind)
            assert _plain(kept[1]) == _plain(_fresh(providers, groups)[1]), (step, kind)
    finally:
        land_pool._computed = original
    assert swapped >= 30  # almost every change took the short way


def _has(provider, code, month, sex):
    return MonthlyValue.objects.filter(
        provider=provider, element__code=code, month=month, sex=sex
    ).exists()


def _kept_then_changed(
    ministry, user, put_figures, count, changed, value, meanwhile=None
):
    """``count`` providers with January's integrations kept, then one changed."""
    providers = [_provider(ministry, n) for n in range(count)]
    for provider in providers:
        put_figures(provider, "integrationen", {datetime.date(2023, 1, 1): 100})
    _kept(providers, {"figures": None})
    if meanwhile:
        meanwhile()
    january = datetime.date(2023, 1, 1)
    values = {"integrationen": value}
    _save_month(user, providers[changed], january, values, reason="T")
    return providers


def test_a_part_gone_from_the_cache_computes_everything_again(
    ministry, ministry_user, put_figures
):
    def forget_parts():
        for key in _bucket_keys():
            cache.delete(key)

    providers = _kept_then_changed(
        ministry, ministry_user, put_figures, 3, 0, 7, forget_parts
    )
    groups = {"figures": None}
    assert _plain(_kept(providers, groups)[1]) == _plain(_fresh(providers, groups)[1])
    jan = _kept(providers, groups)[1]["figures"][("integrationen", "total")]
    assert jan[datetime.date(2023, 1, 1)] == Decimal("207")


def _bucket_keys():
    kept = [
        value for value in (cache.get(key) for key in _pool_keys()) if value is not None
    ]
    return [key for state in kept for key in state.buckets]


def _pool_keys():
    slots = land_pool._slots(CODES, FIRST, LAST)
    return ["land-pool:v1:" + land_pool._digest((("test", 1), 2023, slots))]


def test_after_one_providers_change_its_bucket_alone_is_read(
    ministry, ministry_user, put_figures
):
    providers = _kept_then_changed(ministry, ministry_user, put_figures, 20, 3, 9)
    groups = {"figures": None}
    with CaptureQueriesContext(connection) as queries:
        _, pooled = _kept(providers, groups)
    sums = pooled["figures"][("integrationen", "total")]
    assert sums[datetime.date(2023, 1, 1)] == Decimal(19 * 100 + 9)
    reads = [q["sql"] for q in queries if '"indicators_monthlyvalue"' in q["sql"]]
    assert len(reads) == 1
    assert f'"provider_id" IN ({providers[3].pk})' in reads[0]

"""The overview's table is computed again only where inputs moved, and never differs.

A property-style test applies random changes (new months, revisions and data
status changes of one provider, target values, assessments, the Land's own
target, a provider's name) and after each one compares the overview and the
ministry's start page put together from the kept table with both computed
from nothing.
"""

import datetime
import random
from decimal import Decimal

import pytest
from django.core.cache import cache

from agreements import overview_table
from agreements.models import LandTarget, Target, TargetAssessment
from agreements.progress_views import ministry_start_fragment, overview_fragment
from tests import factories
from tests.test_overview import _agreement_with_figures, _provider
from tests.test_results import _save_month

pytestmark = pytest.mark.django_db


@pytest.fixture
def computed_whole(monkeypatch):
    """Counts how often the whole table is computed (not only some rows)."""
    calls = []
    whole = overview_table._computed

    def counting(*args):
        calls.append(args)
        return whole(*args)

    monkeypatch.setattr(overview_table, "_computed", counting)
    return calls


def test_kept_table_equals_a_fresh_one_after_random_changes(
    ministry, ministry_user, coesfeld, borken, put_figures, computed_whole
):
    rng = random.Random(2026_12_02)  # noqa: S311 - a repeatable sequence
    providers = [coesfeld, borken, _provider(ministry, 1)]
    agreements = {
        p.pk: _agreement_with_figures(p, put_figures, 100 + 10 * n)
        for n, p in enumerate(providers)
    }
    for agreement in agreements.values():
        factories.target(factories.goal(agreement, "V"), kind="qualitative")
    next_month = {p.pk: 7 for p in providers}
    kinds = ["month", "revision", "status", "target", "assessment", "land", "name"]
    seen, partial = set(), 0
    overview_fragment(ministry_user, 2023)
    for step in range(40):
        kind = rng.choice(kinds)
        provider = rng.choice(providers)
        agreement = agreements[provider.pk]
        if kind == "month" and next_month[provider.pk] <= 12:
            month = datetime.date(2023, next_month[provider.pk], 1)
            values = {"integrationen": rng.randint(80, 140), "elb": 10000}
            _save_month(ministry_user, provider, month, values, reason="Test")
            next_month[provider.pk] += 1
        elif kind == "revision":
            month = datetime.date(2023, rng.randint(1, 6), 1)
            values = {"integrationen": rng.randint(80, 140)}
            _save_month(ministry_user, provider, month, values, reason="Test")
        elif kind == "status":
            month = datetime.date(2023, rng.randint(1, 6), 1)
            _save_month(
                ministry_user, provider, month, {}, rng.choice(["t0", "t3"]), "Test"
            )
        elif kind == "target":
            target = Target.objects.get(goal__agreement=agreement, indicator="k2")
            target.target_value = Decimal(rng.randint(50, 150)) / 10
            target.save()
        elif kind == "assessment":
            target = Target.objects.get(goal__agreement=agreement, kind="qualitative")
            TargetAssessment.objects.update_or_create(
                target=target, defaults={"status": rng.choice(["open", "achieved"])}
            )
        elif kind == "land":
            LandTarget.objects.update_or_create(
                ministry=ministry,
                year=2023,
                indicator="integrationen",
                aspect="change",
                defaults={
                    "comparator": "gte",
                    "target_value": Decimal(rng.randint(0, 200)) / 10,
                },
            )
        elif kind == "name":
            provider.name = f"Kreis {rng.choice(['Nord', 'Süd', 'Ost', 'West'])}"
            provider.save()
        seen.add(kind)
        before = len(computed_whole)
        kept = overview_fragment(ministry_user, 2023)
        kept_start = ministry_start_fragment(ministry_user, 2023)
        partial += len(computed_whole) == before
        cache.clear()
        assert kept == overview_fragment(ministry_user, 2023), (step, kind)
        assert kept_start == ministry_start_fragment(ministry_user, 2023), (step, kind)
    assert seen == set(kinds)
    assert partial >= 10  # most figure changes took the short way


def test_after_one_providers_figures_only_its_row_is_computed(
    ministry, ministry_user, coesfeld, borken, put_figures, computed_whole
):
    for number, provider in enumerate([coesfeld, borken]):
        _agreement_with_figures(provider, put_figures, 110 + 10 * number)
    overview_fragment(ministry_user, 2023)
    assert len(computed_whole) == 1
    march = datetime.date(2023, 3, 1)
    _save_month(ministry_user, borken, march, {"integrationen": 99}, reason="Test")
    rows_computed = []
    computed_rows = overview_table.overview_rows

    def spy(user, year, provider_ids=None):
        rows_computed.append(provider_ids)
        return computed_rows(user, year, provider_ids)

    from unittest import mock

    with mock.patch.object(overview_table, "overview_rows", spy):
        page = overview_fragment(ministry_user, 2023)
    assert rows_computed == [[borken.pk]]
    assert len(computed_whole) == 1  # not the whole table
    assert borken.name in page
    assert coesfeld.name in page


def test_figures_saved_while_the_table_is_computed_show_on_the_next_request(
    ministry, ministry_user, coesfeld, borken, put_figures, monkeypatch
):
    """The versions are read before the rows: a save in between is not lost."""
    for number, provider in enumerate([coesfeld, borken]):
        _agreement_with_figures(provider, put_figures, 110 + 10 * number)
    computed_rows = overview_table.overview_rows
    july = datetime.date(2023, 7, 1)

    def rows_then_a_save(user, year, provider_ids=None):
        rows = computed_rows(user, year, provider_ids)
        monkeypatch.setattr(overview_table, "overview_rows", computed_rows)
        values = {"integrationen": 120, "elb": 10000}
        _save_month(ministry_user, borken, july, values, reason="Test")
        return rows

    monkeypatch.setattr(overview_table, "overview_rows", rows_then_a_save)
    first = overview_fragment(ministry_user, 2023)
    assert "Werte bis Juli 2023" not in first
    kept = overview_fragment(ministry_user, 2023)
    cache.clear()
    assert kept == overview_fragment(ministry_user, 2023)
    assert "Juli 2023" in kept

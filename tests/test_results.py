"""Stored results always equal a fresh computation; revisions are marked.

A property-style test applies random changes of every kind (a new month, a
revision of a month, a data status change, a target change, an assessment, a
new agreement version) and after each one compares what the overview shows
(read from the stored results) with the targets judged afresh.
"""

import datetime
import random
from decimal import Decimal

import pytest
from django.urls import reverse

from agreements import services
from agreements.models import Agreement, Target, TargetAssessment, TargetResult
from agreements.overview import year_overview
from agreements.progress import load_series, load_statuses
from indicators.judging import judge, latest_month
from indicators.models import DataElement
from indicators.services import month_values_save, reporting_month_for
from tests import factories
from tests.conftest import SIGNATURES, months, scanned_upload

pytestmark = pytest.mark.django_db


def fresh(agreement):
    """Every judged target of ``agreement`` judged now, from the database."""
    targets = [
        t for g in agreement.goals.all() for t in g.targets.all() if t.judged_by_figures
    ]
    provider = agreement.provider_id
    series = load_series([provider], targets, agreement.year)[provider]
    statuses = load_statuses([provider], agreement.year).get(provider, {})
    return {
        t.pk: judge(
            t.rule(),
            series,
            agreement.year,
            as_of=latest_month(series, agreement.year),
            statuses=statuses,
        )
        for t in targets
    }


def shown(user):
    """What the overview shows for every target: from the stored results."""
    overview = year_overview(user, 2023)
    return {
        cell.target.pk: (row.agreement.pk, cell.judgement)
        for row in overview.rows
        for cell in row.cells.values()
    }


def same(stored, computed):
    return (
        stored.as_of == computed.as_of
        and stored.value == computed.value
        and stored.status == computed.status
        and stored.data_status == computed.data_status
        and (stored.forecast.value if stored.forecast else None)
        == (computed.forecast.value if computed.forecast else None)
    )


@pytest.fixture
def borken_2023(borken, put_figures):
    agreement = factories.agreement(borken, 2023)
    goal = factories.goal(agreement)
    factories.change_target(goal, "integrationen", "12.6")
    factories.change_target(goal, "k3", "-5.2", comparator="lte")
    factories.level_target(goal, "k2", 10)
    factories.target(goal, kind="qualitative", sentence="Konzept")
    put_figures(borken, "integrationen", months(2022, 1, 12, 100))
    put_figures(borken, "integrationen", months(2023, 1, 5, 110))
    put_figures(borken, "lzb", months(2022, 1, 12, 1000) | months(2023, 1, 5, 960))
    put_figures(borken, "elb", months(2021, 12, 18, 10000))
    return agreement


def _save_month(user, provider, month, values, status="t3", reason=""):
    elements = {e.code: e for e in DataElement.objects.all()}
    reporting = reporting_month_for(provider, month)
    month_values_save(
        provider=provider,
        month=month,
        values={(elements[code], "total"): Decimal(v) for code, v in values.items()},
        data_status=status,
        version=reporting.version if reporting else 0,
        acting_user=user,
        reason=reason,
        status_reason=reason,
    )


def test_stored_results_equal_a_fresh_computation_after_every_kind_of_change(
    ministry_user, borken, borken_2023
):
    rng = random.Random(20261202)  # noqa: S311 - a repeatable sequence
    agreement = borken_2023
    next_month = 6
    kinds = ["month", "revision", "status", "target", "assessment", "amendment"]
    seen_kinds = set()
    for step in range(30):
        change = rng.choice(kinds)
        seen_kinds.add(change)
        if change == "month" and next_month <= 12:
            month = datetime.date(2023, next_month, 1)
            _save_month(
                ministry_user,
                borken,
                month,
                {
                    "integrationen": rng.randint(90, 130),
                    "lzb": rng.randint(900, 1000),
                    "elb": 10000,
                },
                reason="Nachlieferung",
            )
            next_month += 1
        elif change == "revision":
            month = datetime.date(2023, rng.randint(1, next_month - 1), 1)
            _save_month(
                ministry_user,
                borken,
                month,
                {"integrationen": rng.randint(90, 130)},
                reason="Revision",
            )
        elif change == "status":
            month = datetime.date(2023, rng.randint(1, next_month - 1), 1)
            status = rng.choice(["t0", "t3"])
            _save_month(ministry_user, borken, month, {}, status, reason="Datenstand")
        elif change == "target" and agreement.is_editable:
            target = Target.objects.filter(goal__agreement=agreement).first()
            target.target_value = Decimal(rng.randint(0, 150)) / 10
            target.save()
        elif change == "assessment":
            target = Target.objects.get(goal__agreement=agreement, kind="qualitative")
            TargetAssessment.objects.update_or_create(
                target=target, defaults={"status": rng.choice(["open", "achieved"])}
            )
        elif change == "amendment":
            agreement = _next_version(agreement, ministry_user, rng)
        in_force = Agreement.objects.get(pk=agreement.pk).version_in_force()
        expected = fresh(in_force)
        seen = shown(ministry_user)
        assert set(seen) == set(expected), (step, change)
        for pk, (agreement_pk, judgement) in seen.items():
            assert agreement_pk == in_force.pk, (step, change)
            assert same(judgement, expected[pk]), (step, change, pk)
    assert seen_kinds == set(kinds)


def _next_version(agreement, user, rng):
    """Sign the latest version and amend it; sign the amendment now and then."""
    agreement.refresh_from_db()
    if agreement.is_editable:
        services.agreement_finalize(agreement=agreement, acting_user=user)
    if not agreement.is_signed:
        agreement = services.agreement_sign(
            agreement=Agreement.objects.get(pk=agreement.pk),
            acting_user=user,
            signatures=SIGNATURES,
            signed_copy=scanned_upload(),
        )
    amendment = services.agreement_amend(agreement=agreement, acting_user=user)
    target = Target.objects.filter(goal__agreement=amendment, indicator="k3").get()
    target.target_value = Decimal(rng.randint(-80, 0)) / 10
    target.save()
    Agreement.objects.filter(pk=amendment.pk).update(status="negotiation")
    amendment.refresh_from_db()
    if rng.random() < 0.5:  # signed at once: it is in force from now on
        services.agreement_finalize(agreement=amendment, acting_user=user)
        amendment = services.agreement_sign(
            agreement=Agreement.objects.get(pk=amendment.pk),
            acting_user=user,
            signatures=SIGNATURES,
            signed_copy=scanned_upload(),
        )
    return amendment


def test_a_revision_marks_the_result_with_old_and_new(
    client_for, ministry_user, borken, borken_2023
):
    """t-0 figures replaced by t-3 ones: the overview shows old → new and when."""
    client = client_for(ministry_user)
    url = reverse("agreements:progress", args=[borken_2023.pk])
    may = datetime.date(2023, 5, 1)
    _save_month(ministry_user, borken, may, {}, "t0", reason="vorläufig")
    assert "Revision" not in client.get(url).content.decode()
    target = Target.objects.get(goal__agreement=borken_2023, indicator="integrationen")
    before = TargetResult.objects.get(target=target)
    assert before.value == Decimal("10.0")  # 550 ÷ 500 − 1
    # May moves from 110 to 160: 600 ÷ 500 − 1 = +20 %
    _save_month(ministry_user, borken, may, {"integrationen": 160}, "t3", "t-3")
    page = client.get(url).content.decode().replace("\xa0", " ")
    assert "Geändert durch eine Revision der Monatswerte:" in page
    assert "vorher +10,0 % (gefährdet)" in page
    assert "jetzt +20,0 %" in page
    result = TargetResult.objects.get(target=target)
    assert (result.previous_value, result.value) == (Decimal("10.0"), Decimal("20.0"))
    assert result.revised_at is not None
    overview = client.get(reverse("overview", args=[2023])).content.decode()
    assert "vorher +10,0 %" in overview.replace("\xa0", " ")


def test_a_new_month_is_progress_not_a_revision(ministry_user, borken, borken_2023):
    year_overview(ministry_user, 2023)
    _save_month(
        ministry_user,
        borken,
        datetime.date(2023, 6, 1),
        {"integrationen": 200, "lzb": 950, "elb": 10000},
        reason="Juni",
    )
    year_overview(ministry_user, 2023)
    assert not TargetResult.objects.exclude(revised_at=None).exists()
    assert set(TargetResult.objects.values_list("as_of", flat=True)) == {
        datetime.date(2023, 6, 1)
    }

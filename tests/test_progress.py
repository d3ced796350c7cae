"""The progress page: attainment of every target, three users, fixed query count.

Borken 2023 on a constructed data set, computed by hand:
- integrations: 100 a month in 2022, 110 a month Jan–Jun 2023 → +10.0 % by
  June against the target of at least +12.6 %: at risk.
- long-term recipients: 1,000 a month in 2022, 940 in 2023 → −6.0 % against
  at most −5.2 %: on track in June.
- K2 change: JFW K2 2022 to June = 600 ÷ 10,000 × 100 = 6.0 %; 2023 = 660 ÷
  10,000 × 100 = 6.6 % → +10.0 %, at least 0 %: on track.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from agreements import services
from agreements.models import Goal, Target, TargetAssessment
from agreements.progress import agreement_progress
from indicators.attainment import Status
from tests.conftest import months

pytestmark = pytest.mark.django_db


@pytest.fixture
def borken_2023(borken_agreement, put_figures, borken):
    goal = Goal.objects.create(
        agreement=borken_agreement, number="II", title="Integration"
    )
    common = {"goal": goal, "kind": "change"}
    Target.objects.create(
        **common,
        indicator="integrationen",
        target_value=Decimal("12.6"),
        comparator="gte",
        position=0,
    )
    Target.objects.create(
        **common,
        indicator="k3",
        target_value=Decimal("-5.2"),
        comparator="lte",
        position=1,
    )
    Target.objects.create(
        **common,
        indicator="k2",
        target_value=Decimal(0),
        comparator="gte",
        position=2,
    )
    Target.objects.create(goal=goal, kind="monitoring", indicator="k1", position=3)
    Target.objects.create(goal=goal, kind="qualitative", sentence="Konzept", position=4)
    put_figures(
        borken, "integrationen", months(2022, 1, 12, 100) | months(2023, 1, 6, 110)
    )
    put_figures(borken, "lzb", months(2022, 1, 12, 1000) | months(2023, 1, 6, 940))
    put_figures(borken, "elb", months(2021, 12, 19, 10000))
    put_figures(borken, "llu_eur", months(2022, 1, 12, 1000) | months(2023, 1, 6, 1100))
    return borken_agreement


def _by_indicator(agreement):
    return {
        progress.target.indicator or progress.target.kind: progress
        for _, rows in agreement_progress(agreement)
        for progress in rows
    }


def test_borken_targets_on_a_constructed_data_set(borken_2023):
    progress = _by_indicator(borken_2023)
    assert progress["integrationen"].as_of == datetime.date(2023, 6, 1)
    assert progress["integrationen"].judgement.value.value == Decimal(10)
    assert progress["integrationen"].status == Status.AT_RISK
    assert progress["k3"].judgement.value.value == Decimal(-6)
    assert progress["k3"].status == Status.ON_TRACK
    assert progress["k2"].judgement.value.value.quantize(Decimal("0.1")) == Decimal(
        "10.0"
    )
    assert progress["k2"].status == Status.ON_TRACK
    assert progress["k1"].status is None  # monitoring: value, no status
    assert progress["k1"].judgement.value.value == Decimal(10)
    assert progress["qualitative"].status is None


def test_missing_month_makes_a_target_not_assessable_and_names_it(borken_2023, borken):
    from indicators.models import MonthlyValue

    MonthlyValue.objects.filter(
        provider=borken, element__code="lzb", month=datetime.date(2023, 3, 1)
    ).delete()
    k3 = _by_indicator(borken_2023)["k3"]
    assert k3.status == Status.NOT_ASSESSABLE
    assert k3.judgement.value.missing == (datetime.date(2023, 3, 1),)


def progress_url(agreement):
    return reverse("agreements:progress", args=[agreement.pk])


def test_progress_page_for_ministry_and_own_provider(
    client_for, ministry_user, borken_user, borken_2023
):
    for user in (ministry_user, borken_user):
        response = client_for(user).get(progress_url(borken_2023))
        assert response.status_code == 200
        content = response.content.decode()
        assert "Ziel: mindestens +12,6 % gegenüber dem Vorjahr" in content
        assert "Stand Juni 2023:" in content
        assert "+10,0 %" in content
        assert "gefährdet" in content
        assert "auf Kurs" in content
        assert "Prognose für Dezember (Fortschreibung)" in content
        assert "<svg" in content
        assert "Werte als Tabelle" in content


def test_other_provider_gets_404_on_the_progress_page(
    client_for, coesfeld_user, borken_2023
):
    assert client_for(coesfeld_user).get(progress_url(borken_2023)).status_code == 404


def test_not_assessable_page_names_the_missing_month(
    client_for, ministry_user, borken_2023, borken
):
    from indicators.models import MonthlyValue

    MonthlyValue.objects.filter(
        provider=borken, element__code="lzb", month=datetime.date(2023, 3, 1)
    ).delete()
    content = client_for(ministry_user).get(progress_url(borken_2023)).content.decode()
    assert "nicht bewertbar" in content
    assert "Es fehlen Monatswerte für März 2023." in content


def test_progress_page_query_count_does_not_grow_with_targets(
    client_for, ministry_user, borken_2023, django_assert_max_num_queries
):
    client = client_for(ministry_user)
    with django_assert_max_num_queries(17) as first:  # with writing the results
        client.get(progress_url(borken_2023))
    goal = borken_2023.goals.get()
    for number in range(10):
        Target.objects.create(
            goal=goal,
            kind="change",
            indicator="bg",
            target_value=1,
            comparator="lte",
            position=10 + number,
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(progress_url(borken_2023))


# --- assessments of qualitative targets ---------------------------------------


def assess_url(target):
    return reverse(
        "agreements:target_assess", args=[target.goal.agreement_id, target.pk]
    )


def test_ministry_records_a_qualitative_status_with_evidence(
    client_for, ministry_user, borken_2023
):
    target = Target.objects.get(kind="qualitative")
    client = client_for(ministry_user)
    response = client.post(assess_url(target), {"status": "achieved", "evidence": ""})
    assert response.status_code == 200
    assert "worauf sich die Einschätzung stützt" in str(response.context["form"].errors)
    response = client.post(
        assess_url(target),
        {
            "status": "achieved",
            "evidence": "Konzept im Kreisausschuss am 3.5.2023",
            "version": services.assessment_version(target),
        },
    )
    assert response.status_code == 302
    assessment = TargetAssessment.objects.get(target=target)
    assert assessment.assessed_by == ministry_user
    assert assessment.history.count() == 1
    content = client.get(progress_url(borken_2023)).content.decode()
    assert "Konzept im Kreisausschuss" in content
    assert "Erreicht" in content


def test_assessment_stays_possible_after_signing(
    client_for, ministry_user, borken_2023
):
    from tests.conftest import SIGNATURES, scanned_upload

    services.agreement_finalize(agreement=borken_2023, acting_user=ministry_user)
    services.agreement_sign(
        agreement=borken_2023,
        acting_user=ministry_user,
        signatures=SIGNATURES,
        signed_copy=scanned_upload(),
    )
    target = Target.objects.get(kind="qualitative")
    response = client_for(ministry_user).post(
        assess_url(target),
        {
            "status": "in_progress",
            "evidence": "",
            "version": services.assessment_version(target),
        },
    )
    assert response.status_code == 302


def test_providers_may_not_assess(client_for, borken_user, coesfeld_user, borken_2023):
    target = Target.objects.get(kind="qualitative")
    assert client_for(borken_user).get(assess_url(target)).status_code == 403
    assert client_for(coesfeld_user).get(assess_url(target)).status_code == 404


def test_targets_judged_by_figures_cannot_be_assessed_by_hand(
    client_for, ministry_user, borken_2023
):
    target = Target.objects.get(indicator="k3")
    assert client_for(ministry_user).get(assess_url(target)).status_code == 403

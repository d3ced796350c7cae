"""The Jobcenter reports on its qualitative and local targets; the ministry decides."""

from decimal import Decimal

import pytest
from django.urls import reverse

from agreements import target_reports as reports
from agreements.models import ReportDecision, TargetAssessment, TargetReport
from tests import factories

from .conftest import SIGNATURES, scanned_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def targets(coesfeld):
    """Coesfeld 2023 (in force): a concept by a deadline, a count, a K3 target."""
    agreement = factories.agreement(coesfeld, 2023)
    goal = factories.goal(agreement, number="IV-B", title="Geschäftsprozesse")
    concept = factories.target(
        goal, kind="qualitative", local=True, sentence="Ein Konzept liegt vor."
    )
    count = factories.target(
        goal,
        kind="count",
        local=True,
        unit="persons",
        subject="die Zahl der Umwandlungen",
        target_value="20",
        comparator="gte",
    )
    k3 = factories.change_target(goal, "k3", "-2.0", comparator="lte")
    return concept, count, k3


def _url(name, agreement, *args):
    return reverse(f"agreements:{name}", args=[agreement.pk, *args])


def test_coesfeld_reports_and_the_ministry_confirms(
    client_for, coesfeld_user, ministry_user, targets
):
    concept, _count, _k3 = targets
    agreement = concept.goal.agreement
    jobcenter = client_for(coesfeld_user)
    progress = jobcenter.get(_url("progress", agreement)).content.decode()
    assert "Stand melden" in progress
    url = _url("target_report", agreement, concept.pk)
    refused = jobcenter.post(url, {"proposed_status": "achieved", "text": "Fertig."})
    assert "Bitte angeben, worauf sich der Bericht stützt." in refused.content.decode()
    response = jobcenter.post(
        url,
        {
            "proposed_status": "achieved",
            "text": "Das Konzept ist fertig.",
            "evidence": "Beschluss des Kreisausschusses vom 4.11.2023",
        },
    )
    assert response.status_code == 302
    report = TargetReport.objects.get()
    assert report.is_pending
    assert not TargetAssessment.objects.exists()  # the ministry decides

    ministry = client_for(ministry_user)
    page = ministry.get(agreement.get_absolute_url()).content.decode()
    assert "1 Bericht des Jobcenters" in page
    progress = ministry.get(_url("progress", agreement)).content.decode()
    assert "Bericht des Jobcenters: Erreicht" in progress
    decide = _url("target_report_decide", agreement, concept.pk, report.pk)
    assert ministry.get(decide).status_code == 200
    assert ministry.post(decide, {"status": "achieved"}).status_code == 302
    report.refresh_from_db()
    assert report.decision == ReportDecision.CONFIRMED
    assert report.decided_by == ministry_user
    assessment = TargetAssessment.objects.get(target=concept)
    assert assessment.status == "achieved"
    assert assessment.assessed_by == ministry_user
    assert "Beschluss des Kreisausschusses" in assessment.evidence
    assert assessment.history.first().history_change_reason == (
        "Bericht des Jobcenters bestätigt"
    )
    # Decided once: a second decision is refused.
    assert ministry.post(decide, {"status": "missed"}).status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == "achieved"


def test_the_ministry_corrects_a_report_with_a_reason(
    client_for, coesfeld_user, ministry_user, targets
):
    _concept, count, _k3 = targets
    report = reports.target_report_create(
        target=count,
        proposed_status="achieved",
        actual_value=Decimal(21),
        text="21 Umwandlungen.",
        evidence="Liste der Verträge",
        acting_user=coesfeld_user,
    )
    agreement = count.goal.agreement
    client = client_for(ministry_user)
    decide = _url("target_report_decide", agreement, count.pk, report.pk)
    refused = client.post(decide, {"status": "in_progress"})
    assert "Bitte begründen" in refused.content.decode()
    client.post(decide, {"status": "in_progress", "note": "Drei sind Minijobs."})
    report.refresh_from_db()
    assert report.decision == ReportDecision.CORRECTED
    assert report.decided_status == "in_progress"
    assessment = TargetAssessment.objects.get(target=count)
    assert (assessment.status, assessment.actual_value) == ("in_progress", 21)
    assert "Ministerium: Drei sind Minijobs." in assessment.evidence
    reason = assessment.history.first().history_change_reason
    assert reason == "Bericht des Jobcenters korrigiert: Drei sind Minijobs."


def test_a_newer_report_replaces_a_pending_one_and_both_are_kept(
    coesfeld_user, targets
):
    concept = targets[0]
    first = reports.target_report_create(
        target=concept,
        proposed_status="in_progress",
        text="Begonnen.",
        evidence="",
        acting_user=coesfeld_user,
    )
    reports.target_report_create(
        target=concept,
        proposed_status="in_progress",
        text="Halb fertig.",
        evidence="",
        acting_user=coesfeld_user,
    )
    first.refresh_from_db()
    assert first.decision == ReportDecision.SUPERSEDED
    assert concept.reports.count() == 2
    assert concept.reports.filter(decision=ReportDecision.PENDING).count() == 1


@pytest.mark.parametrize(
    ("user_fixture", "report", "decide"),
    [
        ("ministry_user", 403, 302),
        ("ministry_reader", 403, 403),
        ("coesfeld_user", 302, 403),
        ("borken_user", 404, 404),
    ],
)
def test_report_pages_for_every_user(
    request, client_for, coesfeld_user, targets, user_fixture, report, decide
):
    concept = targets[0]
    agreement = concept.goal.agreement
    pending = reports.target_report_create(
        target=concept,
        proposed_status="in_progress",
        text="Begonnen.",
        evidence="",
        acting_user=coesfeld_user,
    )
    client = client_for(request.getfixturevalue(user_fixture))
    url = _url("target_report", agreement, concept.pk)
    assert client.get(url).status_code == (200 if report == 302 else report)
    data = {"proposed_status": "in_progress", "text": "Weiter."}
    assert client.post(url, data).status_code == report
    pending.refresh_from_db()
    decision_url = _url("target_report_decide", agreement, concept.pk, pending.pk)
    if pending.is_pending:
        assert client.get(decision_url).status_code == (
            200 if decide == 302 else decide
        )
        response = client.post(decision_url, {"status": "in_progress"})
        assert response.status_code == decide


def test_targets_judged_by_figures_take_no_reports(client_for, coesfeld_user, targets):
    k3 = targets[2]
    client = client_for(coesfeld_user)
    url = _url("target_report", k3.goal.agreement, k3.pk)
    assert client.get(url).status_code == 403
    with pytest.raises(reports.ReportError):
        reports.target_report_create(
            target=k3,
            proposed_status="achieved",
            text="x",
            evidence="y",
            acting_user=coesfeld_user,
        )


def test_reports_go_on_after_signing(coesfeld_user, ministry_user, agreement):
    """Progress data is not part of the signed text: never locked."""
    from agreements import services

    goal = agreement.goals.get()
    concept = factories.target(goal, kind="qualitative", sentence="Ein Konzept.")
    services.agreement_finalize(agreement=agreement, acting_user=ministry_user)
    services.agreement_sign(
        agreement=agreement,
        acting_user=ministry_user,
        signatures=SIGNATURES,
        signed_copy=scanned_upload(),
    )
    report = reports.target_report_create(
        target=concept,
        proposed_status="achieved",
        text="Fertig.",
        evidence="Konzeptpapier",
        acting_user=coesfeld_user,
    )
    reports.target_report_decide(
        report=report, status="achieved", note="", acting_user=ministry_user
    )
    assert TargetAssessment.objects.get(target=concept).status == "achieved"


def test_progress_page_queries_do_not_grow_with_reports(
    client_for, coesfeld_user, ministry_user, targets, django_assert_max_num_queries
):
    concept = targets[0]
    goal = concept.goal
    client = client_for(ministry_user)
    url = _url("progress", goal.agreement)
    client.get(url)  # the stored results are written once
    with django_assert_max_num_queries(16) as without_reports:
        client.get(url)
    few = len(without_reports.captured_queries)  # before the next request clears it
    for number in range(5):
        target = factories.target(
            goal, kind="qualitative", sentence=f"Vorhaben {number}"
        )
        reports.target_report_create(
            target=target,
            proposed_status="in_progress",
            text="Begonnen.",
            evidence="",
            acting_user=coesfeld_user,
        )
    client.get(url)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert response.content.decode().count("Bericht prüfen") == 5

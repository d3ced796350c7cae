"""The year-end result: frozen values, the ministry's judgement, revisions flagged."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from agreements import year_end
from agreements.models import ResultStatus, YearEndResult
from agreements.overview import year_overview
from indicators.models import MonthlyValue
from indicators.services import figures_changed, value_change
from tests import factories
from tests.conftest import months

pytestmark = pytest.mark.django_db

DECEMBER = datetime.date(2023, 12, 1)


@pytest.fixture
def closed_year_agreement(coesfeld, put_figures):
    """Coesfeld 2023, final: integrations +12.6 % (figures: +10 %), K2 ≥ 10 %,
    a qualitative target; every month of 2023 final (t-3)."""
    agreement = factories.agreement(coesfeld, 2023)
    goal = factories.goal(agreement, number="II", title="Integration")
    factories.change_target(goal, "integrationen", "12.6", label="Integrationen")
    factories.level_target(goal, "k2", "10")
    factories.target(goal, kind="qualitative", sentence="Konzept U25 bis Ende 2023")
    agreement = factories.set_status(agreement, "final")  # its content is frozen
    put_figures(
        coesfeld, "integrationen", months(2022, 1, 12, 100) | months(2023, 1, 12, 110)
    )
    put_figures(coesfeld, "elb", months(2021, 12, 25, 10000))
    factories.reporting_months(
        coesfeld, datetime.date(2023, 1, 1), DECEMBER, status="t3"
    )
    return agreement


def _targets(agreement):
    targets = {
        t.indicator or "qualitative": t
        for t in agreement.goals.get().targets.order_by("position")
    }
    return targets["integrationen"], targets["k2"], targets["qualitative"]


def _record_all(agreement, user):
    integrations, k2, qualitative = _targets(agreement)
    return year_end.year_end_results_record(
        agreement=agreement,
        judgements={
            integrations.pk: (
                ResultStatus.ACHIEVED_CONSIDERING,
                "Werksschließung im Frühjahr; Zugang aus der Ukraine.",
            ),
            k2.pk: (ResultStatus.ACHIEVED, ""),
            qualitative.pk: (ResultStatus.ACHIEVED, "Konzept am 4.12.2023 vorgelegt."),
        },
        acting_user=user,
    )


def test_results_freeze_value_data_status_and_computed_status(
    closed_year_agreement, ministry_user
):
    _record_all(closed_year_agreement, ministry_user)
    integrations, k2, qualitative = _targets(closed_year_agreement)
    result = YearEndResult.objects.get(target=integrations)
    # Σ 2023 = 1,320 ÷ Σ 2022 = 1,200 − 1 = +10,0 %: missed by the figures
    assert result.value == Decimal("10.0")
    assert result.value_text == "+10,0 %"
    assert result.computed_status == "missed"
    assert result.as_of == DECEMBER
    assert result.data_status_text == "t-3 Januar–Dezember 2023"
    assert result.status == ResultStatus.ACHIEVED_CONSIDERING
    assert result.rule_text == "mindestens +12,6 % gegenüber dem Vorjahr"
    # K2: 1,320 ÷ 10,000 × 100 = 13,2 %
    assert YearEndResult.objects.get(target=k2).value_text == "13,2 %"
    assert YearEndResult.objects.get(target=qualitative).value is None
    assert result.history.count() == 1
    assert result.history.get().history_user == ministry_user


def test_result_needs_final_december_figures(
    client_for, closed_year_agreement, coesfeld, ministry_user
):
    factories.reporting_months(coesfeld, DECEMBER, DECEMBER, status="t0")
    with pytest.raises(year_end.YearEndError, match="Dezember 2023"):
        _record_all(closed_year_agreement, ministry_user)
    page = client_for(ministry_user).get(
        reverse("agreements:year_end", args=[closed_year_agreement.pk])
    )
    assert "endgültig sind (Datenstand t-3)" in page.content.decode()
    assert not page.context["has_forms"]


def test_a_judgement_against_the_figures_needs_reasons(
    closed_year_agreement, ministry_user
):
    integrations, _k2, _qualitative = _targets(closed_year_agreement)
    for status in (ResultStatus.ACHIEVED, ResultStatus.ACHIEVED_CONSIDERING):
        with pytest.raises(year_end.YearEndError, match="begründen"):
            year_end.year_end_results_record(
                agreement=closed_year_agreement,
                judgements={integrations.pk: (status, "")},
                acting_user=ministry_user,
            )
    assert not YearEndResult.objects.exists()


def test_results_are_never_silently_overwritten(closed_year_agreement, ministry_user):
    _record_all(closed_year_agreement, ministry_user)
    integrations, _k2, _qualitative = _targets(closed_year_agreement)
    with pytest.raises(year_end.YearEndError, match="schon festgehalten"):
        year_end.year_end_results_record(
            agreement=closed_year_agreement,
            judgements={integrations.pk: (ResultStatus.MISSED, "")},
            acting_user=ministry_user,
        )
    result = YearEndResult.objects.get(target=integrations)
    with pytest.raises(year_end.YearEndError, match="warum"):
        year_end.year_end_result_correct(
            result=result,
            status=ResultStatus.MISSED,
            reasoning="",
            reason="",
            acting_user=ministry_user,
        )
    year_end.year_end_result_correct(
        result=result,
        status=ResultStatus.MISSED,
        reasoning="",
        reason="Beschluss der Hausleitung vom 3.3.2024",
        acting_user=ministry_user,
    )
    result.refresh_from_db()
    assert result.status == ResultStatus.MISSED
    assert result.value_text == "+10,0 %"  # the frozen value stays
    latest = result.history.first()
    assert latest.history_change_reason == "Beschluss der Hausleitung vom 3.3.2024"
    assert [r.status for r in result.history.all()] == [
        "missed",
        "achieved_considering",
    ]


def test_results_stay_fixed_after_a_revision_and_the_revision_is_flagged(
    client_for, closed_year_agreement, coesfeld, ministry_user
):
    _record_all(closed_year_agreement, ministry_user)
    client = client_for(ministry_user)
    url = reverse("overview", args=[2023])
    content = client.get(url).content.decode()
    assert "erreicht unter Berücksichtigung der Rahmenbedingungen" in content
    assert "+10,0 %" in content
    assert "Jahresergebnis festgehalten" in content
    assert "seither geändert" not in content

    # The statistics office revises December: 110 → 230 integrations.
    value = MonthlyValue.objects.get(
        provider=coesfeld, element__code="integrationen", month=DECEMBER
    )
    value.value = Decimal(230)
    value.save()
    value_change(value, Decimal(110), "Revision der Statistik").save()
    figures_changed([coesfeld])  # as every service that writes figures does

    content = client.get(url).content.decode()
    # (1,320 + 120) ÷ 1,200 − 1 = +20,0 %; the official result stays +10,0 %
    assert "Monatswerte seither geändert: neu berechnet +20,0 %" in content
    assert "+10,0 %" in content
    assert "erreicht unter Berücksichtigung der Rahmenbedingungen" in content
    result = YearEndResult.objects.get(target=_targets(closed_year_agreement)[0])
    assert result.value == Decimal("10.0")
    assert result.status == ResultStatus.ACHIEVED_CONSIDERING

    page = client.get(reverse("agreements:year_end", args=[closed_year_agreement.pk]))
    assert "Monatswerte seither geändert: neu berechnet +20,0 %" in (
        page.content.decode()
    )


def test_overview_counts_official_results_of_a_closed_year(
    closed_year_agreement, ministry_user
):
    overview = year_overview(ministry_user, 2023)
    assert overview.counts["missed"] == 1  # integrations, computed
    _record_all(closed_year_agreement, ministry_user)
    overview = year_overview(ministry_user, 2023)
    (row,) = overview.rows
    assert row.closed
    assert overview.counts["missed"] == 0
    assert overview.counts["achieved"] == 2
    assert overview.closed_count == 1


def test_partly_recorded_year_is_not_closed(closed_year_agreement, ministry_user):
    _integrations, k2, _qualitative = _targets(closed_year_agreement)
    year_end.year_end_results_record(
        agreement=closed_year_agreement,
        judgements={k2.pk: (ResultStatus.ACHIEVED, "")},
        acting_user=ministry_user,
    )
    (row,) = year_overview(ministry_user, 2023).rows
    assert not row.closed
    assert row.results == {}


def test_editable_or_superseded_versions_get_no_result(
    coesfeld, ministry_user, put_figures
):
    agreement = factories.agreement(coesfeld, 2023)  # in negotiation
    goal = factories.goal(agreement)
    target = factories.level_target(goal, "k2", "10")
    factories.reporting_months(coesfeld, DECEMBER, DECEMBER, status="t3")
    with pytest.raises(year_end.YearEndError, match="Endfassung"):
        year_end.year_end_results_record(
            agreement=agreement,
            judgements={target.pk: (ResultStatus.ACHIEVED, "")},
            acting_user=ministry_user,
        )


# --- the pages, with three users and the ministry reader --------------------------


def _post_all(client, agreement):
    integrations, k2, qualitative = _targets(agreement)
    data = {
        f"vorgabe-{integrations.pk}-status": "achieved_considering",
        f"vorgabe-{integrations.pk}-reasoning": "Werksschließung im Frühjahr.",
        f"vorgabe-{k2.pk}-status": "achieved",
        f"vorgabe-{qualitative.pk}-status": "achieved",
        f"vorgabe-{qualitative.pk}-reasoning": "Konzept vorgelegt.",
    }
    return client.post(reverse("agreements:year_end", args=[agreement.pk]), data)


def test_ministry_records_the_year_in_one_form(
    client_for, closed_year_agreement, ministry_user
):
    client = client_for(ministry_user)
    url = reverse("agreements:year_end", args=[closed_year_agreement.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["has_forms"]
    integrations = _targets(closed_year_agreement)[0]
    # a judgement against the figures without reasons: the error summary
    response = client.post(
        url, {f"vorgabe-{integrations.pk}-status": "achieved_considering"}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "<title>Fehler: " in content
    assert "error-summary" in content
    assert "Rahmenbedingungen berücksichtigt" in content
    assert not YearEndResult.objects.exists()

    assert _post_all(client, closed_year_agreement).status_code == 302
    assert YearEndResult.objects.count() == 3
    page = client.get(url)
    assert page.context["closed"]
    assert "Das Jahr ist abgeschlossen" in page.content.decode()

    correct = reverse(
        "agreements:year_end_correct",
        args=[closed_year_agreement.pk, integrations.pk],
    )
    assert client.get(correct).status_code == 200
    response = client.post(correct, {"status": "missed", "reasoning": "", "reason": ""})
    assert response.status_code == 200
    assert "Grund der Änderung" in response.content.decode()
    response = client.post(
        correct, {"status": "missed", "reasoning": "", "reason": "Neu bewertet"}
    )
    assert response.status_code == 302
    assert "Neu bewertet" in client.get(url).content.decode()


def _result_urls(agreement):
    integrations = _targets(agreement)[0]
    return (
        reverse("agreements:year_end", args=[agreement.pk]),
        reverse("agreements:year_end_correct", args=[agreement.pk, integrations.pk]),
    )


def test_own_jobcenter_reads_the_result_but_cannot_record_it(
    client_for, closed_year_agreement, ministry_user, coesfeld_user
):
    _record_all(closed_year_agreement, ministry_user)
    page_url, correct_url = _result_urls(closed_year_agreement)
    client = client_for(coesfeld_user)
    page = client.get(page_url)
    assert page.status_code == 200
    assert "Ergebnis ändern" not in page.content.decode()
    assert client.post(page_url, {}).status_code == 403
    assert client.get(correct_url).status_code == 403
    assert client.post(correct_url, {}).status_code == 403


def test_ministry_reader_reads_but_gets_403_on_writes(
    client_for, closed_year_agreement, ministry_user, ministry_reader
):
    page_url, _ = _result_urls(closed_year_agreement)
    client = client_for(ministry_reader)
    assert client.get(page_url).status_code == 200
    assert _post_all(client, closed_year_agreement).status_code == 403
    _record_all(closed_year_agreement, ministry_user)
    _, correct_url = _result_urls(closed_year_agreement)
    assert client.post(correct_url, {"reason": "x"}).status_code == 403


def test_other_jobcenter_gets_404(
    client_for, closed_year_agreement, ministry_user, borken_user
):
    _record_all(closed_year_agreement, ministry_user)
    client = client_for(borken_user)
    for url in _result_urls(closed_year_agreement):
        assert client.get(url).status_code == 404
        assert client.post(url, {}).status_code == 404


def test_overview_of_closed_years_keeps_a_fixed_query_count(
    client_for, ministry, ministry_user, put_figures, django_assert_max_num_queries
):
    from zielsteuerung.accounts.models import Organisation

    def closed_provider(number):
        provider = Organisation.objects.create(
            kind="provider",
            name=f"Kreis Nummer {number:02d}",
            short_name=f"Nr. {number:02d}",
            regional_key=f"059{number:02d}",
            supervisor=ministry,
        )
        agreement = factories.agreement(provider, 2023)
        target = factories.level_target(factories.goal(agreement), "k2", "10")
        agreement = factories.set_status(agreement, "final")
        put_figures(provider, "integrationen", months(2023, 1, 12, 110))
        put_figures(provider, "elb", months(2022, 12, 13, 10000))
        factories.reporting_months(provider, DECEMBER, DECEMBER)
        year_end.year_end_results_record(
            agreement=agreement,
            judgements={target.pk: (ResultStatus.ACHIEVED, "")},
            acting_user=ministry_user,
        )

    client = client_for(ministry_user)
    url = reverse("overview", args=[2023])
    for number in range(2):
        closed_provider(number)
    # Bounded as the open year's overview is (tests/test_overview.py).
    with django_assert_max_num_queries(90) as captured:
        assert client.get(url).status_code == 200
    few = len(captured)
    for number in range(2, 10):
        closed_provider(number)
    with django_assert_max_num_queries(few):
        assert "Jahresergebnis festgehalten" in client.get(url).content.decode()


def test_export_of_a_closed_year_has_the_official_results(
    client_for, closed_year_agreement, coesfeld, ministry_user
):
    _record_all(closed_year_agreement, ministry_user)
    value = MonthlyValue.objects.get(
        provider=coesfeld, element__code="integrationen", month=DECEMBER
    )
    value.value = Decimal(230)
    value.save()
    value_change(value, Decimal(110), "Revision der Statistik").save()
    figures_changed([coesfeld])  # as every service that writes figures does
    response = client_for(ministry_user).get(
        reverse("overview_export", args=[2023, "csv"])
    )
    content = response.content.decode("utf-8-sig")
    assert (
        "10,0;erreicht unter Berücksichtigung der Rahmenbedingungen – "
        "Monatswerte seither geändert: neu berechnet +20,0 %"
    ) in content


def test_targets_a_person_judges_freeze_the_recorded_assessment(
    closed_year_agreement, ministry_user
):
    from agreements.models import TargetAssessment

    _integrations, _k2, qualitative = _targets(closed_year_agreement)
    goal = qualitative.goal
    factories.set_status(closed_year_agreement, "draft")  # add a local target
    local = factories.target(
        goal,
        kind="count",
        local=True,
        unit="count",
        subject="die Zahl der Umwandlungen von Minijobs",
        target_value=20,
        comparator="gte",
    )
    closed_year_agreement = factories.set_status(closed_year_agreement, "final")
    TargetAssessment.objects.create(
        target=qualitative, status="achieved", evidence="Konzept vom 4.12.2023"
    )
    TargetAssessment.objects.create(
        target=local, status="missed", actual_value=14, evidence="Statistik JC"
    )
    # Agreeing with the recorded assessment needs no further reasons.
    year_end.year_end_results_record(
        agreement=closed_year_agreement,
        judgements={
            qualitative.pk: (ResultStatus.ACHIEVED, ""),
            local.pk: (ResultStatus.MISSED, ""),
        },
        acting_user=ministry_user,
    )
    assert YearEndResult.objects.get(target=qualitative).computed_status == "achieved"
    result = YearEndResult.objects.get(target=local)
    assert (result.value, result.value_text) == (Decimal(14), "14")
    assert result.computed_status == "missed"


def test_start_page_of_a_closed_year_follows_the_official_results(
    client_for, closed_year_agreement, ministry_user
):
    client = client_for(ministry_user)
    attention = client.get(reverse("home")).context["ministry_start"]
    assert "Integrationen" in attention  # missed by the figures
    _record_all(closed_year_agreement, ministry_user)
    attention = client.get(reverse("home")).context["ministry_start"]
    assert "Braucht Aufmerksamkeit" in attention
    assert "Integrationen" not in attention  # judged "erreicht unter …"


def test_a_target_with_a_year_end_result_cannot_be_deleted(
    client_for, ministry_user, closed_year_agreement
):
    """A reopened agreement keeps the targets its year-end results are about."""
    from agreements import services
    from agreements.models import Target

    _record_all(closed_year_agreement, ministry_user)
    target = _targets(closed_year_agreement)[0]
    services.agreement_reopen(
        agreement=closed_year_agreement, acting_user=ministry_user, reason="Korrektur"
    )
    url = reverse(
        "agreements:target_delete", args=[closed_year_agreement.pk, target.pk]
    )
    response = client_for(ministry_user).post(url, follow=True)
    assert response.status_code == 200
    assert "schon ein Jahresergebnis festgehalten" in response.content.decode()
    assert Target.objects.filter(pk=target.pk).exists()


def test_a_recorded_result_closes_the_targets_status_and_reports(
    client_for, closed_year_agreement, coesfeld_user, ministry_user
):
    """Progress, reports and year-end result never tell two stories."""
    from agreements import services, target_reports
    from agreements.models import TargetAssessment
    from agreements.target_reports import ReportError
    from zielsteuerung.versioning import EditGone

    _integrations, _k2, qualitative = _targets(closed_year_agreement)
    pending = target_reports.target_report_create(
        target=qualitative,
        proposed_status="achieved",
        text="Das Konzept liegt vor.",
        evidence="",
        acting_user=coesfeld_user,
    )
    _record_all(closed_year_agreement, ministry_user)

    with pytest.raises(ReportError, match="Jahresergebnis festgehalten"):
        target_reports.target_report_decide(
            report=pending,
            status="missed",
            note="Doch nicht.",
            acting_user=ministry_user,
        )
    with pytest.raises(ReportError, match="Jahresergebnis festgehalten"):
        target_reports.target_report_create(
            target=qualitative,
            proposed_status="missed",
            text="Neu",
            evidence="",
            acting_user=coesfeld_user,
        )
    with pytest.raises(EditGone, match="Jahresergebnis festgehalten"):
        services.target_assessment_save(
            target=qualitative, form=None, version="", acting_user=ministry_user
        )
    assert not TargetAssessment.objects.filter(target=qualitative).exists()

    ministry = client_for(ministry_user)
    progress = ministry.get(
        reverse("agreements:progress", args=[closed_year_agreement.pk])
    ).content.decode()
    assert "Jahresergebnis festgehalten" in progress
    assert "Bericht prüfen" not in progress
    assert "Stand eintragen" not in progress
    assess = reverse(
        "agreements:target_assess", args=[closed_year_agreement.pk, qualitative.pk]
    )
    followed = ministry.get(assess, follow=True).content.decode()
    assert "Korrigieren" in followed  # sent back, told why
    report = reverse(
        "agreements:target_report", args=[closed_year_agreement.pk, qualitative.pk]
    )
    typed = {"proposed_status": "missed", "text": "Mein Text", "evidence": "x"}
    refused = client_for(coesfeld_user).post(report, typed)
    assert refused.status_code == 409
    assert "Mein Text" in refused.content.decode()  # nothing typed is lost

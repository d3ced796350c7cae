"""The Jobcenter explains targets that are at risk or missed."""

import pytest
from django.urls import reverse

from agreements.models import Target, TargetExplanation
from tests import factories
from tests.conftest import months

pytestmark = pytest.mark.django_db


@pytest.fixture
def at_risk(coesfeld, put_figures):
    """Coesfeld 2023: integrations +10 % by June against at least +12,6 %."""
    agreement = factories.agreement(coesfeld, 2023)
    goal = factories.goal(agreement)
    target = factories.change_target(goal, "integrationen", "12.6")
    put_figures(
        coesfeld, "integrationen", months(2022, 1, 12, 100) | months(2023, 1, 6, 110)
    )
    return agreement, target


def explain_url(agreement, target):
    return reverse("agreements:target_explain", args=[agreement.pk, target.pk])


@pytest.mark.parametrize(
    ("user_fixture", "status"),
    [
        ("coesfeld_user", 200),
        ("ministry_user", 403),
        ("ministry_reader", 403),
        ("borken_user", 404),
    ],
)
def test_explain_page_for_every_user(
    request, client_for, at_risk, user_fixture, status
):
    agreement, target = at_risk
    client = client_for(request.getfixturevalue(user_fixture))
    assert client.get(explain_url(agreement, target)).status_code == status
    client.post(explain_url(agreement, target), {"text": "x"})
    expected = 1 if status == 200 else 0
    assert TargetExplanation.objects.count() == expected


def test_the_jobcenter_is_asked_and_its_explanation_is_shown(
    client_for, coesfeld_user, ministry_user, at_risk, coesfeld, put_figures
):
    agreement, target = at_risk
    client = client_for(coesfeld_user)
    home = client.get(reverse("home")).content.decode()
    assert "Erklärungen erbeten" in home
    assert explain_url(agreement, target) in home
    progress_url = reverse("agreements:progress", args=[agreement.pk])
    assert (
        "Bitte erklären Sie dem Ministerium"
        in client.get(progress_url).content.decode()
    )

    refused = client.post(explain_url(agreement, target), {"text": ""})
    assert refused.status_code == 200
    assert "Fehler: " in refused.content.decode()
    client.post(
        explain_url(agreement, target),
        {"text": "Zuzug aus der Ukraine; erst Sprachkurse, dann Vermittlung."},
    )
    explanation = TargetExplanation.objects.get()
    assert (explanation.status, explanation.as_of.month) == ("at_risk", 6)
    assert explanation.written_by == coesfeld_user
    page = client.get(progress_url).content.decode()
    assert "Zuzug aus der Ukraine" in page
    assert "Bitte erklären Sie dem Ministerium" not in page
    assert "Erklärungen erbeten" not in client.get(reverse("home")).content.decode()
    ministry = client_for(ministry_user).get(reverse("home")).content.decode()
    assert "Erklärung: Zuzug aus der Ukraine" in ministry

    # Missed in December: a new status asks for a new explanation.
    put_figures(coesfeld, "integrationen", months(2023, 7, 6, 110))
    home = client_for(coesfeld_user).get(reverse("home")).content.decode()
    assert "Erklärungen erbeten" in home


def test_a_target_on_track_needs_no_explanation(client_for, coesfeld_user, at_risk):
    agreement, target = at_risk
    Target.objects.filter(pk=target.pk).update(target_value=5)
    response = client_for(coesfeld_user).get(explain_url(agreement, target))
    assert response.status_code == 302
    assert not TargetExplanation.objects.exists()


def test_the_explanation_goes_into_the_dialogue_report(
    coesfeld_user, ministry_user, at_risk
):
    import datetime

    from agreements.models import SteeringDialogue
    from agreements.reports import render_report_html
    from agreements.services import target_explanation_create

    agreement, target = at_risk
    target_explanation_create(
        target=target,
        status="at_risk",
        as_of=datetime.date(2023, 6, 1),
        text="Weniger Stellen in der Logistik.",
        acting_user=coesfeld_user,
    )
    dialogue = SteeringDialogue.objects.create(
        agreement=agreement, held_on=datetime.date(2023, 7, 1), place="Coesfeld"
    )
    html, _document = render_report_html(dialogue)
    assert "Weniger Stellen in der Logistik." in html

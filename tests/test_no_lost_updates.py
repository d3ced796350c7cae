"""Two editors on the same form: the second is told, nothing is lost.

Each edit form carries the version it was opened at; a save over a newer
version is refused (409) with the other person's values beside the typed
ones, and the page carries the new version so that saving again is a choice.
"""

import pytest
from django.urls import reverse

from agreements import services
from agreements.focus_areas import focus_areas_version
from agreements.models import FocusArea, Goal, Target, TargetAssessment
from tests.test_agreement_views import _target_payload, _update_payload
from zielsteuerung.accounts.models import Role, User


@pytest.fixture
def second_editor(ministry):
    return User.objects.create_user(
        username="berta",
        first_name="Berta",
        last_name="Bach",
        password="geheim-genug-2024",
        organisation=ministry,
        role=Role.EDITOR,
    )


@pytest.fixture
def two_clients(client, ministry_user, second_editor):
    from django.test import Client

    first = client
    first.force_login(ministry_user)
    second = Client()
    second.force_login(second_editor)
    return first, second


def _conflict(response, *typed):
    assert response.status_code == 409
    page = response.content.decode()
    assert "Berta Bach hat inzwischen gespeichert" in page
    for text in typed:
        assert text in page, text
    return page


def test_second_save_of_agreement_texts_and_parties_is_refused(two_clients, agreement):
    alice, berta = two_clients
    url = reverse("agreements:update", args=[agreement.pk])
    opened = _update_payload(agreement)  # both open the form at this version
    theirs = {**opened, "preamble": "Bertas Präambel"}
    theirs["parties-1-representative_name"] = "Dr. Berta Landrätin"
    assert berta.post(url, theirs).status_code == 302
    mine = {**opened, "preamble": "Alices Präambel", "cooperation": "Alices Text"}
    page = _conflict(alice.post(url, mine), "Alices Präambel", "Alices Text")
    assert "Inzwischen von Berta Bach gespeichert: „Bertas Präambel“" in page
    assert "„Dr. Berta Landrätin“" in page  # the party's change, beside its field
    agreement.refresh_from_db()
    assert agreement.preamble == "Bertas Präambel"
    # Saving again with the version the page now carries is on purpose.
    again = {**mine, "version": services.agreement_version(agreement)}
    assert alice.post(url, again).status_code == 302
    agreement.refresh_from_db()
    assert agreement.preamble == "Alices Präambel"


def test_focus_area_deleted_meanwhile_keeps_the_typed_text(two_clients, agreement):
    """On the year's focus-area page: Berta deletes, Alice's text survives."""
    alice, berta = two_clients
    ministry = agreement.provider.supervisor
    area = FocusArea.objects.create(
        ministry=ministry, year=agreement.year, title="Alt", text="Alt"
    )
    url = reverse("agreements:focus_areas", args=[agreement.year])
    opened = {
        "version": focus_areas_version(ministry, agreement.year),
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": str(area.pk),
        "form-0-title": "Alt",
        "form-0-text": "Alt",
        "form-1-title": "",
        "form-1-text": "",
    }
    deleted = {**opened, "form-0-DELETE": "on"}
    assert berta.post(url, deleted).status_code == 302
    assert not FocusArea.objects.filter(pk=area.pk).exists()
    mine = {**opened, "form-0-text": "Alices neuer Text zum Schwerpunkt"}
    page = _conflict(alice.post(url, mine), "Alices neuer Text zum Schwerpunkt")
    assert "Dieser Schwerpunkt wurde inzwischen gelöscht" in page
    again = {**mine, "version": focus_areas_version(ministry, agreement.year)}
    again.update({"form-0-id": "", "form-INITIAL_FORMS": "0"})
    assert alice.post(url, again).status_code == 302
    (kept,) = FocusArea.objects.of(ministry, agreement.year)
    assert kept.text == "Alices neuer Text zum Schwerpunkt"


def test_second_save_of_a_goal_is_refused(two_clients, agreement):
    alice, berta = two_clients
    goal = Goal.objects.get(agreement=agreement)
    url = reverse("agreements:goal_update", args=[agreement.pk, goal.pk])
    opened = {
        "number": "II",
        "title": goal.title,
        "text": "",
        "local_intro": "",
        "version": services.goal_version(goal),
    }
    assert berta.post(url, {**opened, "title": "Bertas Titel"}).status_code == 302
    page = _conflict(
        alice.post(url, {**opened, "text": "Alices Erläuterung"}), "Alices Erläuterung"
    )
    assert "„Bertas Titel“" in page
    assert Goal.objects.get(pk=goal.pk).title == "Bertas Titel"


def test_second_save_of_a_target_is_refused(two_clients, agreement):
    alice, berta = two_clients
    target = Target.objects.get(goal__agreement=agreement)
    url = reverse("agreements:target_update", args=[agreement.pk, target.pk])
    opened = _target_payload(version=services.target_version(target))
    assert berta.post(url, {**opened, "target_value": "-4,0"}).status_code == 302
    page = _conflict(alice.post(url, {**opened, "target_value": "-7,5"}), "-7,5")
    assert "„−4,0“" in page or "„-4,0“" in page or "„−4“" in page
    assert str(Target.objects.get(pk=target.pk).target_value) == "-4.000"


def test_second_assessment_is_refused(two_clients, agreement):
    alice, berta = two_clients
    goal = Goal.objects.get(agreement=agreement)
    target = Target.objects.create(goal=goal, kind="qualitative", sentence="Konzept")
    url = reverse("agreements:target_assess", args=[agreement.pk, target.pk])
    opened = {"version": services.assessment_version(target), "evidence": ""}
    theirs = {**opened, "status": "achieved", "evidence": "Protokoll vom 3.5."}
    assert berta.post(url, theirs).status_code == 302
    mine = {**opened, "status": "in_progress", "evidence": "Alices Nachweis"}
    page = _conflict(alice.post(url, mine), "Alices Nachweis")
    assert "„Protokoll vom 3.5.“" in page
    assert TargetAssessment.objects.get(target=target).evidence == "Protokoll vom 3.5."


def test_goal_deleted_meanwhile_shows_the_typed_values(two_clients, agreement):
    alice, berta = two_clients
    goal = Goal.objects.get(agreement=agreement)
    url = reverse("agreements:goal_update", args=[agreement.pk, goal.pk])
    opened = {"number": "II", "title": "Alices Titel", "text": "Alices Text"}
    opened["version"] = services.goal_version(goal)
    delete = reverse("agreements:goal_delete", args=[agreement.pk, goal.pk])
    assert berta.post(delete).status_code == 302
    response = alice.post(url, opened)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Das Ziel wurde inzwischen gelöscht." in page
    assert "Alices Titel" in page
    assert "Alices Text" in page


def test_agreement_finalized_meanwhile_shows_the_typed_values(
    two_clients, agreement, second_editor
):
    alice, _berta = two_clients
    target = Target.objects.get(goal__agreement=agreement)
    url = reverse("agreements:target_update", args=[agreement.pk, target.pk])
    opened = _target_payload(
        version=services.target_version(target), closing="Alices Schlusssatz"
    )
    services.agreement_finalize(agreement=agreement, acting_user=second_editor)
    response = alice.post(url, opened)
    assert response.status_code == 409
    page = response.content.decode()
    assert "als Endfassung festgelegt" in page
    assert "Alices Schlusssatz" in page
    assert Target.objects.get(pk=target.pk).closing == ""


def test_second_save_of_an_organisations_names_is_refused(two_clients, coesfeld):
    from zielsteuerung.accounts.services import organisation_version

    alice, berta = two_clients
    url = reverse("organisation_names", args=[coesfeld.pk])
    opened = {
        "name": "Kreis Coesfeld",
        "short_name": "Coesfeld",
        "jobcenter_name": "Jobcenter des Kreises Coesfeld",
        "seat": "Coesfeld",
        "gender": "m",
        "name_nominative": "Kreis Coesfeld",
        "name_dative": "Kreis Coesfeld",
        "name_accusative": "Kreis Coesfeld",
        "version": organisation_version(coesfeld),
    }
    assert berta.post(url, {**opened, "seat": "Dülmen"}).status_code == 302
    page = _conflict(
        alice.post(url, {**opened, "jobcenter_name": "Jobcenter Kreis Coesfeld"}),
        "Jobcenter Kreis Coesfeld",
    )
    assert "„Dülmen“" in page
    coesfeld.refresh_from_db()
    assert coesfeld.seat == "Dülmen"


def test_second_save_of_the_land_targets_is_refused(two_clients, ministry):
    from agreements.models import LandTarget
    from tests.test_one_truth import _land_payload

    alice, berta = two_clients
    url = reverse("land_targets", args=[2023])
    row = {
        "indicator": "integrationen",
        "aspect": "change",
        "comparator": "gte",
        "target_value": "9,0",
        "note": "BMAS",
    }
    assert berta.post(url, _land_payload([row])).status_code == 302
    mine = {**row, "indicator": "k2", "aspect": "level", "target_value": "26,0"}
    page = _conflict(alice.post(url, _land_payload([mine])), "26,0")
    assert "Integrationen" in page  # Berta's target is on the page, unchanged
    assert LandTarget.objects.get().indicator == "integrationen"


def test_second_save_of_the_reporting_calendar_is_refused(two_clients, ministry):
    from indicators.models import ReportingCalendar

    alice, berta = two_clients
    url = reverse("indicators:calendar")
    opened = {
        "due_day": "20",
        "final_after_months": "3",
        "remind_days_before": "5",
        "reporting_since": "",
        "version": "0",
    }
    assert berta.post(url, {**opened, "due_day": "15"}).status_code == 302
    page = _conflict(alice.post(url, {**opened, "remind_days_before": "9"}), "9")
    assert "„15“" in page
    assert ReportingCalendar.objects.get().due_day == 15

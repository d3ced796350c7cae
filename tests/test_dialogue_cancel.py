"""Cancelling a dialogue, deleting one planned by mistake, preparing a report
again (the earlier one is kept), and the steering year in the admin."""

import datetime
import hashlib

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from agreements import dialogue_services as services
from agreements.models import (
    ActionStatus,
    AgreedAction,
    DialogueReportVersion,
    DialogueStatus,
    SteeringDialogue,
)
from tests.conftest import months
from tests.pdftools import pdf_text
from tests.test_dialogues import JUNE, OCTOBER, _plan, _prepared, _stored

pytestmark = pytest.mark.django_db

DECEMBER = datetime.date(2023, 12, 5)


def _url(name, dialogue, *extra):
    return reverse(
        f"agreements:{name}", args=[dialogue.agreement_id, dialogue.pk, *extra]
    )


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def _held(agreement, user, day=JUNE):
    dialogue = _prepared(agreement, user, day)
    return services.dialogue_minutes_record(
        dialogue=dialogue, minutes="Besprochen.", acting_user=user
    )


def _agree(dialogue, user, description):
    return services.action_agree(
        dialogue=dialogue,
        description=description,
        owner="Jobcenter",
        due_on=None,
        acting_user=user,
    )


# --- cancel -----------------------------------------------------------------


def test_ministry_editor_cancels_a_planned_dialogue_with_a_reason(
    client_for, year_agreement, ministry_user
):
    dialogue = _plan(year_agreement, ministry_user)
    client = client_for(ministry_user)
    url = _url("dialogue_cancel", dialogue)
    page = client.get(url)
    assert page.status_code == 200
    assert "Grund der Absage" in page.content.decode()

    response = client.post(url, {"reason": "  "})
    content = response.content.decode()
    assert response.status_code == 200
    assert "<title>Fehler: " in content
    assert response.context["form"].errors["reason"] == [
        "Bitte den Grund der Absage angeben."
    ]
    dialogue.refresh_from_db()
    assert dialogue.status == DialogueStatus.PLANNED

    response = client.post(url, {"reason": "Landrätin erkrankt, neuer Termin folgt."})
    assert response.status_code == 302
    assert response.url == dialogue.get_absolute_url()
    dialogue.refresh_from_db()
    assert dialogue.status == DialogueStatus.CANCELLED
    assert dialogue.cancel_reason == "Landrätin erkrankt, neuer Termin folgt."
    latest = dialogue.history.first()
    assert latest.history_user == ministry_user
    assert latest.history_change_reason == "Steuerungsdialog abgesagt"


def test_cancel_form_keeps_the_reason_when_the_dialogue_was_held_meanwhile(
    client_for, year_agreement, ministry_user
):
    dialogue = _prepared(year_agreement, ministry_user)
    client = client_for(ministry_user)
    url = _url("dialogue_cancel", dialogue)
    assert client.get(url).status_code == 200
    services.dialogue_minutes_record(  # someone else records the minutes
        dialogue=dialogue, minutes="Besprochen.", acting_user=ministry_user
    )
    response = client.post(url, {"reason": "Termin fällt aus."})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Ein durchgeführter Dialog kann nicht mehr abgesagt werden" in content
    assert "Termin fällt aus." in content
    dialogue.refresh_from_db()
    assert dialogue.status == DialogueStatus.HELD


def test_a_held_dialogue_cannot_be_cancelled(client_for, year_agreement, ministry_user):
    dialogue = _held(year_agreement, ministry_user)
    response = client_for(ministry_user).get(_url("dialogue_cancel", dialogue))
    assert response.status_code == 302
    assert "Ein durchgeführter Dialog kann nicht mehr abgesagt werden" in (
        " ".join(_messages(response))
    )
    with pytest.raises(services.DialogueStateError):
        services.dialogue_cancel(
            dialogue=dialogue, reason="Zu spät.", acting_user=ministry_user
        )


def test_a_cancelled_dialogue_stays_in_the_list_with_its_reason_and_no_number(
    client_for, year_agreement, ministry_user, coesfeld_user
):
    first = _plan(year_agreement, ministry_user, JUNE)
    services.dialogue_cancel(
        dialogue=first, reason="Kreistagssitzung verlegt.", acting_user=ministry_user
    )
    second = _prepared(year_agreement, ministry_user, OCTOBER)
    assert "Fortschrittsbericht zum 1. Steuerungsdialog 2023" in pdf_text(
        _stored(second)
    )
    url = reverse("agreements:dialogues", args=[year_agreement.pk])
    for user in (ministry_user, coesfeld_user):
        response = client_for(user).get(url)
        assert response.context["dialogues"] == [(None, first), (1, second)]
        content = response.content.decode()
        assert "Abgesagter Steuerungsdialog" in content
        assert "Abgesagt" in content
        assert "Kreistagssitzung verlegt." in content
        assert "1. Steuerungsdialog" in content
    page = client_for(coesfeld_user).get(first.get_absolute_url()).content.decode()
    assert "Dieser Dialog ist abgesagt." in page
    assert "Kreistagssitzung verlegt." in page
    assert "Dialog absagen" not in page


def test_the_year_page_does_not_count_a_cancelled_dialogue_as_planned(
    client_for, year_agreement, ministry_user
):
    _held(year_agreement, ministry_user, JUNE)
    cancelled = _plan(year_agreement, ministry_user, OCTOBER)
    services.dialogue_cancel(
        dialogue=cancelled, reason="Fällt aus.", acting_user=ministry_user
    )
    response = client_for(ministry_user).get(
        reverse("agreements:dialogue_year", args=[2023])
    )
    (row,) = response.context["rows"]
    assert (row["held"], row["planned"], row["cancelled"]) == (1, 0, 1)
    assert "(Abgesagt)" in response.content.decode()


def test_actions_of_a_cancelled_dialogue_carry_over_to_the_next_one(
    client_for, year_agreement, ministry_user
):
    first = _held(year_agreement, ministry_user, JUNE)
    earlier = _agree(first, ministry_user, "Arbeitgeberservice stärken")
    second = _prepared(year_agreement, ministry_user, OCTOBER)
    agreed_there = _agree(second, ministry_user, "Konzept U25 vorlegen")
    services.action_status_set(
        action=earlier,
        status=ActionStatus.DONE,
        note="Zwei Stellen besetzt.",
        dialogue=second,
        acting_user=ministry_user,
    )
    services.dialogue_cancel(
        dialogue=second, reason="Fällt aus.", acting_user=ministry_user
    )

    earlier.refresh_from_db()
    assert (earlier.status, earlier.closed_in) == (ActionStatus.OPEN, None)
    assert earlier.note == "Zwei Stellen besetzt."  # kept for the next dialogue
    assert earlier.history.first().history_change_reason == (
        "Wieder offen: Dialog abgesagt"
    )
    client = client_for(ministry_user)
    assert client.get(second.get_absolute_url()).context["carried_over"] == []

    third = _plan(year_agreement, ministry_user, DECEMBER)
    page = client.get(third.get_absolute_url())
    assert page.context["carried_over"] == [earlier, agreed_there]
    third = services.dialogue_prepare(dialogue=third, acting_user=ministry_user)
    report = pdf_text(_stored(third))
    assert "Fortschrittsbericht zum 2. Steuerungsdialog 2023" in report
    assert "Arbeitgeberservice stärken" in report
    assert "Konzept U25 vorlegen" in report


def test_a_cancelled_dialogue_takes_no_more_steps(
    client_for, year_agreement, ministry_user, coesfeld_user
):
    dialogue = _prepared(year_agreement, ministry_user)
    action = _agree(dialogue, ministry_user, "Konzept vorlegen")
    frozen = _stored(dialogue)
    services.dialogue_cancel(
        dialogue=dialogue, reason="Fällt aus.", acting_user=ministry_user
    )
    for step in (
        lambda: services.dialogue_minutes_record(
            dialogue=dialogue, minutes="…", acting_user=ministry_user
        ),
        lambda: _agree(dialogue, ministry_user, "Noch eine"),
        lambda: services.dialogue_prepare_again(
            dialogue=dialogue, acting_user=ministry_user
        ),
        lambda: services.action_status_set(
            action=action,
            status=ActionStatus.DONE,
            note="Erledigt.",
            dialogue=dialogue,
            acting_user=ministry_user,
        ),
    ):
        with pytest.raises(services.DialogueStateError):
            step()
    client = client_for(ministry_user)
    for name in ("dialogue_update", "dialogue_minutes", "action_create"):
        response = client.get(_url(name, dialogue))
        assert response.status_code == 302, name
        assert response.url == dialogue.get_absolute_url()
    comment = _url("dialogue_comment", dialogue)
    assert client_for(coesfeld_user).get(comment).status_code == 403
    # its report stays as it was, for everyone who may read it
    response = client_for(coesfeld_user).get(_url("dialogue_report", dialogue))
    assert b"".join(response.streaming_content) == frozen


def test_forms_sent_after_a_cancellation_keep_what_was_typed(
    client_for, year_agreement, ministry_user
):
    """Minutes or an action typed while a colleague cancelled: shown again."""
    dialogue = _prepared(year_agreement, ministry_user)
    client = client_for(ministry_user)
    assert client.get(_url("dialogue_minutes", dialogue)).status_code == 200
    services.dialogue_cancel(
        dialogue=dialogue, reason="Fällt aus.", acting_user=ministry_user
    )
    for name, data, typed in (
        ("dialogue_minutes", {"minutes": "Lange Mitschrift"}, "Lange Mitschrift"),
        (
            "action_create",
            {"description": "Konzept zur Ansprache", "owner": "Jobcenter"},
            "Konzept zur Ansprache",
        ),
    ):
        response = client.post(_url(name, dialogue), data)
        content = response.content.decode()
        assert response.status_code == 200, name
        assert typed in content
        assert "Der Dialog ist abgesagt" in content
    dialogue.refresh_from_db()
    assert dialogue.minutes == ""
    assert not dialogue.actions.exists()


# --- delete -----------------------------------------------------------------


def test_ministry_editor_deletes_a_dialogue_planned_by_mistake(
    client_for, year_agreement, ministry_user
):
    dialogue = _plan(year_agreement, ministry_user)
    client = client_for(ministry_user)
    url = _url("dialogue_delete", dialogue)
    page = client.get(url)
    assert page.status_code == 200
    assert "Endgültig löschen" in page.content.decode()
    response = client.post(url)
    assert response.status_code == 302
    assert response.url == reverse("agreements:dialogues", args=[year_agreement.pk])
    assert _messages(response) == ["Der Steuerungsdialog am 20.6.2023 ist gelöscht."]
    assert not SteeringDialogue.objects.filter(pk=dialogue.pk).exists()
    deleted = SteeringDialogue.history.get(id=dialogue.pk, history_type="-")
    assert deleted.history_user == ministry_user


@pytest.mark.parametrize("state", ["prepared", "held", "cancelled"])
def test_only_a_planned_dialogue_can_be_deleted(
    client_for, year_agreement, ministry_user, state
):
    dialogue = _prepared(year_agreement, ministry_user)
    if state == "held":
        services.dialogue_minutes_record(
            dialogue=dialogue, minutes="Besprochen.", acting_user=ministry_user
        )
    if state == "cancelled":
        services.dialogue_cancel(
            dialogue=dialogue, reason="Fällt aus.", acting_user=ministry_user
        )
    client = client_for(ministry_user)
    url = _url("dialogue_delete", dialogue)
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 302
        assert response.url == dialogue.get_absolute_url()
        assert "kann gelöscht werden" in " ".join(_messages(response)) or (
            "wird nicht gelöscht" in " ".join(_messages(response))
        )
    assert SteeringDialogue.objects.filter(pk=dialogue.pk).exists()


def test_a_planned_dialogue_with_the_jobcenters_explanation_is_not_deleted(
    client_for, year_agreement, ministry_user, coesfeld_user
):
    dialogue = _plan(year_agreement, ministry_user)
    services.dialogue_comment_add(
        dialogue=dialogue, text="Die Zahlen für Mai fehlen.", acting_user=coesfeld_user
    )
    response = client_for(ministry_user).post(_url("dialogue_delete", dialogue))
    assert response.status_code == 302
    assert "sagen Sie ihn bitte ab" in " ".join(_messages(response))
    assert dialogue.comments.count() == 1


# --- prepare again ------------------------------------------------------------


def test_preparing_again_keeps_the_earlier_report(
    client_for, year_agreement, ministry_user, coesfeld, coesfeld_user, put_figures
):
    dialogue = _prepared(year_agreement, ministry_user)
    frozen, first_sha = _stored(dialogue), dialogue.report_sha256
    first_prepared_at = dialogue.report_prepared_at
    put_figures(coesfeld, "integrationen", months(2023, 6, 1, 400))

    client = client_for(ministry_user)
    response = client.post(_url("dialogue_prepare_again", dialogue))
    assert response.status_code == 302
    dialogue.refresh_from_db()
    assert dialogue.status == DialogueStatus.PREPARED
    assert dialogue.report_sha256 != first_sha
    assert dialogue.report_as_of == datetime.date(2023, 6, 1)
    renewed = _stored(dialogue)
    assert hashlib.sha256(renewed).hexdigest() == dialogue.report_sha256

    (version,) = dialogue.report_versions.all()
    assert version.sha256 == first_sha
    assert version.prepared_at == first_prepared_at
    assert version.as_of == datetime.date(2023, 5, 1)
    with version.file.open("rb") as file:
        assert file.read() == frozen

    for user in (ministry_user, coesfeld_user):
        reader = client_for(user)
        page = reader.get(dialogue.get_absolute_url()).content.decode()
        assert "Frühere Fassungen" in page
        assert first_sha in page
        old = reader.get(_url("dialogue_report_version", dialogue, version.pk))
        assert old.status_code == 200
        assert b"".join(old.streaming_content) == frozen
        assert "Fassung-" in old["Content-Disposition"]
        current = reader.get(_url("dialogue_report", dialogue))
        assert b"".join(current.streaming_content) == renewed


def test_a_held_or_planned_dialogue_is_not_prepared_again(
    client_for, year_agreement, ministry_user
):
    held = _held(year_agreement, ministry_user)
    planned = _plan(year_agreement, ministry_user, OCTOBER)
    client = client_for(ministry_user)
    for dialogue in (held, planned):
        sha = dialogue.report_sha256
        response = client.post(_url("dialogue_prepare_again", dialogue))
        assert response.status_code == 302
        assert "nur neu erstellt werden" in " ".join(_messages(response))
        dialogue.refresh_from_db()
        assert dialogue.report_sha256 == sha
    assert DialogueReportVersion.objects.count() == 0


# --- three users (and anonymous) on every new page -------------------------------


@pytest.fixture
def new_urls(year_agreement, ministry_user):
    """Every new page, each on a dialogue in a state where it applies."""
    prepared = _prepared(year_agreement, ministry_user, JUNE)
    services.dialogue_prepare_again(dialogue=prepared, acting_user=ministry_user)
    version = prepared.report_versions.get()
    planned = _plan(year_agreement, ministry_user, OCTOBER)
    return {
        "cancel": _url("dialogue_cancel", planned),
        "delete": _url("dialogue_delete", planned),
        "prepare_again": _url("dialogue_prepare_again", prepared),
        "version": _url("dialogue_report_version", prepared, version.pk),
    }


WRITES = ("cancel", "delete", "prepare_again")


def test_ministry_editor_may_use_every_new_page(client_for, ministry_user, new_urls):
    client = client_for(ministry_user)
    for name in ("cancel", "delete", "version"):
        assert client.get(new_urls[name]).status_code == 200, name
    assert client.get(new_urls["prepare_again"]).status_code == 405


@pytest.mark.parametrize("user_fixture", ["coesfeld_user", "ministry_reader"])
def test_own_jobcenter_and_readers_read_but_do_not_cancel_or_delete(
    request, client_for, new_urls, user_fixture
):
    client = client_for(request.getfixturevalue(user_fixture))
    assert client.get(new_urls["version"]).status_code == 200
    for name in WRITES:
        assert client.post(new_urls[name], {"reason": "x"}).status_code == 403, name
    for name in ("cancel", "delete"):
        assert client.get(new_urls[name]).status_code == 403, name
    assert SteeringDialogue.objects.filter(status=DialogueStatus.CANCELLED).count() == 0
    assert SteeringDialogue.objects.count() == 2
    assert DialogueReportVersion.objects.count() == 1


def test_other_jobcenter_gets_404_on_every_new_page(client_for, borken_user, new_urls):
    client = client_for(borken_user)
    for name, url in new_urls.items():
        assert client.get(url).status_code in (404, 405), name
        assert client.post(url, {"reason": "x"}).status_code == 404, name


def test_anonymous_users_are_sent_to_sign_in(client, new_urls):
    for name, url in new_urls.items():
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 302, name
            assert response.url.startswith(reverse("login")), name


# --- the steering year in the admin -------------------------------------------


def test_admin_shows_the_steering_year_read_only_with_history(
    admin_client, year_agreement, ministry_user
):
    dialogue = _prepared(year_agreement, ministry_user)
    _agree(dialogue, ministry_user, "Konzept vorlegen")
    services.dialogue_prepare_again(dialogue=dialogue, acting_user=ministry_user)
    objects = {
        "steeringdialogue": dialogue,
        "agreedaction": AgreedAction.objects.get(),
        "dialoguereportversion": DialogueReportVersion.objects.get(),
    }
    for model in ("steeringdialogue", "agreedaction", "dialoguecomment"):
        objects.setdefault(model, None)
    for model, obj in objects.items():
        changelist = admin_client.get(reverse(f"admin:agreements_{model}_changelist"))
        assert changelist.status_code == 200, model
        assert (
            admin_client.get(reverse(f"admin:agreements_{model}_add")).status_code
            == 403
        )
        if obj is None:
            continue
        change = reverse(f"admin:agreements_{model}_change", args=[obj.pk])
        assert admin_client.get(change).status_code == 200, model
        assert admin_client.post(change, {}).status_code == 403, model
        delete = reverse(f"admin:agreements_{model}_delete", args=[obj.pk])
        assert admin_client.post(delete, {"post": "yes"}).status_code == 403, model
        history = reverse(f"admin:agreements_{model}_history", args=[obj.pk])
        assert admin_client.get(history).status_code == 200, model
    assert SteeringDialogue.objects.filter(pk=dialogue.pk).exists()

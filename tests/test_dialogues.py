"""Steering dialogues: frozen report, comments, minutes, actions that carry over."""

import datetime
import hashlib

import pytest
from django.urls import reverse

from agreements import dialogue_services as services
from agreements.models import (
    ActionStatus,
    Agreement,
    DialogueStatus,
    SteeringDialogue,
)
from indicators.models import MonthlyValue
from tests import factories
from tests.conftest import months
from tests.pdftools import pdf_text

pytestmark = pytest.mark.django_db

JUNE = datetime.date(2023, 6, 20)
OCTOBER = datetime.date(2023, 10, 17)


def _plan(agreement, user, day=JUNE):
    return services.dialogue_plan(
        agreement=agreement,
        held_on=day,
        place="Coesfeld, Kreishaus",
        participants="A. Beispiel, MAGS\nB. Muster, Jobcenter",
        acting_user=user,
    )


def _prepared(agreement, user, day=JUNE):
    dialogue = _plan(agreement, user, day)
    return services.dialogue_prepare(dialogue=dialogue, acting_user=user)


def _stored(dialogue):
    with dialogue.report_pdf.open("rb") as file:
        return file.read()


def test_report_states_each_target_with_value_data_status_forecast_and_chart(
    year_agreement, ministry_user, coesfeld_user
):
    dialogue = _plan(year_agreement, ministry_user)
    target = year_agreement.goals.get().targets.get(indicator="integrationen")
    services.dialogue_comment_add(
        dialogue=dialogue,
        target=target,
        text="Zwei Großbetriebe haben im Frühjahr Stellen abgebaut.",
        acting_user=coesfeld_user,
    )
    dialogue = services.dialogue_prepare(dialogue=dialogue, acting_user=ministry_user)
    text = pdf_text(_stored(dialogue))
    assert "Fortschrittsbericht zum 1. Steuerungsdialog 2023" in text
    # Σ Jan–May 550 ÷ 500 − 1 = +10,0 %: below +12,6 %, at risk
    assert "+10,0 %" in text
    assert "Stand Mai 2023" in text
    assert "t-3 Januar–März 2023, t-0 April–Mai 2023" in text
    assert "gefährdet" in text
    assert "Prognose" in text
    assert "Zwei Großbetriebe haben im Frühjahr Stellen abgebaut." in text
    assert "Zielwert 10,0 %" in text  # the target line of the level target
    assert dialogue.report_as_of == datetime.date(2023, 5, 1)
    assert dialogue.status == DialogueStatus.PREPARED


def test_report_stays_byte_identical_after_new_figures_arrive(
    client_for, year_agreement, ministry_user, coesfeld, coesfeld_user, put_figures
):
    dialogue = _prepared(year_agreement, ministry_user)
    frozen = _stored(dialogue)
    assert hashlib.sha256(frozen).hexdigest() == dialogue.report_sha256

    put_figures(coesfeld, "integrationen", months(2023, 6, 1, 400))
    MonthlyValue.objects.filter(
        provider=coesfeld, month=datetime.date(2023, 1, 1)
    ).update(value=999)
    with pytest.raises(services.DialogueStateError):
        services.dialogue_prepare(dialogue=dialogue, acting_user=ministry_user)

    url = reverse("agreements:dialogue_report", args=[year_agreement.pk, dialogue.pk])
    for user in (ministry_user, coesfeld_user):
        response = client_for(user).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == frozen
    dialogue.refresh_from_db()
    assert _stored(dialogue) == frozen
    assert "+10,0 %" in pdf_text(frozen)


def test_open_actions_carry_over_until_closed(
    client_for, year_agreement, ministry_user
):
    first = _prepared(year_agreement, ministry_user, JUNE)
    services.dialogue_minutes_record(
        dialogue=first,
        minutes="Integrationen liegen unter Plan.",
        acting_user=ministry_user,
    )
    open_action = services.action_agree(
        dialogue=first,
        description="Arbeitgeberservice stärken",
        owner="Jobcenter, Arbeitgeberservice",
        due_on=datetime.date(2023, 9, 30),
        acting_user=ministry_user,
    )
    done = services.action_agree(
        dialogue=first,
        description="Fallzahlen U25 prüfen",
        owner="Jobcenter",
        due_on=None,
        acting_user=ministry_user,
    )
    second = _plan(year_agreement, ministry_user, OCTOBER)
    services.action_status_set(
        action=done,
        status=ActionStatus.DONE,
        note="Geprüft, Bericht liegt vor.",
        dialogue=second,
        acting_user=ministry_user,
    )
    second = services.dialogue_prepare(dialogue=second, acting_user=ministry_user)
    report = pdf_text(_stored(second))
    assert "Fortschrittsbericht zum 2. Steuerungsdialog 2023" in report
    assert "Arbeitgeberservice stärken" in report
    # closed in this dialogue before its report: listed with its new status
    assert "Fallzahlen U25 prüfen" in report
    assert "Erledigt: Geprüft, Bericht liegt vor." in report

    page = client_for(ministry_user).get(second.get_absolute_url())
    assert list(page.context["carried_over"]) == [open_action, done]
    content = page.content.decode()
    assert "Arbeitgeberservice stärken" in content
    assert "Geprüft, Bericht liegt vor." in content

    third = _plan(year_agreement, ministry_user, datetime.date(2023, 12, 5))
    third_page = client_for(ministry_user).get(third.get_absolute_url())
    assert list(third_page.context["carried_over"]) == [open_action]

    services.action_status_set(
        action=open_action,
        status=ActionStatus.DROPPED,
        note="Durch Landesprogramm ersetzt.",
        dialogue=third,
        acting_user=ministry_user,
    )
    fourth = _plan(year_agreement, ministry_user, datetime.date(2023, 12, 20))
    assert (
        client_for(ministry_user).get(fourth.get_absolute_url()).context["carried_over"]
        == []
    )


def test_closing_an_action_needs_a_note(year_agreement, ministry_user):
    dialogue = _prepared(year_agreement, ministry_user)
    action = services.action_agree(
        dialogue=dialogue,
        description="Konzept vorlegen",
        owner="Jobcenter",
        due_on=None,
        acting_user=ministry_user,
    )
    with pytest.raises(services.DialogueStateError):
        services.action_status_set(
            action=action,
            status=ActionStatus.DONE,
            note=" ",
            dialogue=dialogue,
            acting_user=ministry_user,
        )


def test_minutes_need_a_prepared_report(year_agreement, ministry_user):
    dialogue = _plan(year_agreement, ministry_user)
    with pytest.raises(services.DialogueStateError):
        services.dialogue_minutes_record(
            dialogue=dialogue, minutes="…", acting_user=ministry_user
        )


def test_dialogue_attaches_to_the_version_in_force(
    coesfeld, ministry_user, year_agreement
):
    draft = Agreement.objects.create(  # a draft amendment: not in force
        provider=coesfeld, year=2023, version=2, amends=year_agreement
    )
    dialogue = _plan(draft, ministry_user)
    assert dialogue.agreement == year_agreement
    no_version = factories.agreement(coesfeld, 2024, status="draft")
    with pytest.raises(services.DialogueStateError):
        _plan(no_version, ministry_user)


def test_jobcenter_comments_before_the_meeting_but_not_after(
    client_for, year_agreement, ministry_user, coesfeld_user
):
    dialogue = _prepared(year_agreement, ministry_user)
    url = reverse("agreements:dialogue_comment", args=[year_agreement.pk, dialogue.pk])
    client = client_for(coesfeld_user)
    response = client.post(url, {"target": "", "text": ""})
    assert response.status_code == 200
    assert "Bitte eine Anmerkung schreiben." in response.content.decode()
    response = client.post(url, {"target": "", "text": "Die Zahlen für Mai fehlen."})
    assert response.status_code == 302
    page = client.get(dialogue.get_absolute_url())
    assert [c.text for c in page.context["report_comments"]] == [
        "Die Zahlen für Mai fehlen."
    ]
    services.dialogue_minutes_record(
        dialogue=dialogue, minutes="Besprochen.", acting_user=ministry_user
    )
    assert client.get(url).status_code == 403


# --- three users on every view ------------------------------------------------


def _urls(agreement, dialogue, action):
    args = [agreement.pk, dialogue.pk]
    return {
        "list": reverse("agreements:dialogues", args=[agreement.pk]),
        "detail": reverse("agreements:dialogue", args=args),
        "report": reverse("agreements:dialogue_report", args=args),
        "create": reverse("agreements:dialogue_create", args=[agreement.pk]),
        "update": reverse("agreements:dialogue_update", args=args),
        "prepare": reverse("agreements:dialogue_prepare", args=args),
        "minutes": reverse("agreements:dialogue_minutes", args=args),
        "action": reverse("agreements:action_create", args=args),
        "status": reverse("agreements:action_status", args=[*args, action.pk]),
        "comment": reverse("agreements:dialogue_comment", args=args),
    }


READS = ("list", "detail", "report")
MINISTRY_WRITES = ("create", "update", "minutes", "action", "status")


@pytest.fixture
def dialogue_urls(year_agreement, ministry_user):
    dialogue = _prepared(year_agreement, ministry_user)
    action = services.action_agree(
        dialogue=dialogue,
        description="Konzept vorlegen",
        owner="Jobcenter",
        due_on=None,
        acting_user=ministry_user,
    )
    # a second, unprepared dialogue for the prepare step
    planned = _plan(year_agreement, ministry_user, OCTOBER)
    urls = _urls(year_agreement, dialogue, action)
    urls["prepare"] = reverse(
        "agreements:dialogue_prepare", args=[year_agreement.pk, planned.pk]
    )
    return urls


def test_ministry_editor_reads_and_writes(client_for, ministry_user, dialogue_urls):
    client = client_for(ministry_user)
    for name in (*READS, *MINISTRY_WRITES):
        assert client.get(dialogue_urls[name]).status_code == 200, name
    assert client.get(dialogue_urls["comment"]).status_code == 403
    assert client.post(dialogue_urls["prepare"]).status_code == 302
    assert SteeringDialogue.objects.filter(status=DialogueStatus.PLANNED).count() == 0


def test_own_jobcenter_reads_and_comments_but_does_not_edit(
    client_for, coesfeld_user, dialogue_urls
):
    client = client_for(coesfeld_user)
    for name in (*READS, "comment"):
        assert client.get(dialogue_urls[name]).status_code == 200, name
    for name in MINISTRY_WRITES:
        assert client.get(dialogue_urls[name]).status_code == 403, name
        assert client.post(dialogue_urls[name]).status_code == 403, name
    assert client.post(dialogue_urls["prepare"]).status_code == 403


def test_other_jobcenter_gets_404_everywhere(client_for, borken_user, dialogue_urls):
    client = client_for(borken_user)
    for name, url in dialogue_urls.items():
        assert client.get(url).status_code in (404, 405), name
        assert client.post(url).status_code == 404, name


def test_ministry_reader_reads_but_gets_403_on_writes(
    client_for, ministry_reader, dialogue_urls
):
    client = client_for(ministry_reader)
    for name in READS:
        assert client.get(dialogue_urls[name]).status_code == 200, name
    for name in (*MINISTRY_WRITES, "comment", "prepare"):
        assert client.post(dialogue_urls[name]).status_code == 403, name


def test_forms_show_the_error_summary(client_for, ministry_user, year_agreement):
    url = reverse("agreements:dialogue_create", args=[year_agreement.pk])
    response = client_for(ministry_user).post(url, {"held_on": "", "place": ""})
    content = response.content.decode()
    assert response.status_code == 200
    assert "<title>Fehler: " in content
    assert "error-summary" in content
    assert "Bitte das Datum des Dialogs angeben." in content


# --- the ministry's year page -----------------------------------------------------


def test_year_page_counts_held_and_planned_dialogues_per_provider(
    client_for, ministry_user, year_agreement, borken
):
    factories.agreement(borken, 2023)
    first = _prepared(year_agreement, ministry_user)
    services.dialogue_minutes_record(
        dialogue=first, minutes="Besprochen.", acting_user=ministry_user
    )
    _plan(year_agreement, ministry_user, OCTOBER)
    response = client_for(ministry_user).get(
        reverse("agreements:dialogue_year", args=[2023])
    )
    assert response.status_code == 200
    rows = {
        row["agreement"].provider.short_name: row for row in response.context["rows"]
    }
    assert (rows["Coesfeld"]["held"], rows["Coesfeld"]["planned"]) == (1, 1)
    assert (rows["Borken"]["held"], rows["Borken"]["planned"]) == (0, 0)
    assert "noch keiner geplant" in response.content.decode()


@pytest.mark.parametrize("user_fixture", ["coesfeld_user", "borken_user"])
def test_year_page_is_the_ministrys(request, client_for, user_fixture):
    client = client_for(request.getfixturevalue(user_fixture))
    url = reverse("agreements:dialogue_year", args=[2023])
    assert client.get(url).status_code == 404


def test_year_page_queries_do_not_grow_with_providers(
    client_for, ministry_user, ministry, django_assert_max_num_queries
):
    from zielsteuerung.accounts.models import Organisation

    def add(number):
        provider = Organisation.objects.create(
            kind="provider",
            name=f"Kreis Nummer {number:02d}",
            short_name=f"Nr. {number:02d}",
            regional_key=f"059{number:02d}",
            supervisor=ministry,
        )
        agreement = factories.agreement(provider, 2023)
        return _plan(agreement, ministry_user)

    for number in range(2):
        add(number)
    client = client_for(ministry_user)
    url = reverse("agreements:dialogue_year", args=[2023])
    with django_assert_max_num_queries(12) as captured:
        client.get(url)
    few = len(captured)
    for number in range(2, 12):
        add(number)
    with django_assert_max_num_queries(few):
        assert client.get(url).status_code == 200

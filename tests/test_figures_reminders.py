"""Reminder e-mails on fixed days: who gets one when, and never twice."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from indicators.elements import ensure_default_elements
from indicators.models import MonthlyValue, Reminder
from indicators.reminders import reminders_send
from zielsteuerung.accounts.models import Role, User

pytestmark = pytest.mark.django_db

d = datetime.date


@pytest.fixture
def people(ministry_user, ministry_reader, coesfeld_user, borken_user, coesfeld):
    """Editors with addresses; readers and the other provider must stay silent."""
    for user, address in [
        (ministry_user, "alice@mags.example"),
        (ministry_reader, "anna@mags.example"),
        (coesfeld_user, "bob@coesfeld.example"),
        (borken_user, "charlie@borken.example"),
    ]:
        user.email = address
        user.save()
    User.objects.create_user(
        username="carl",
        email="carl@coesfeld.example",
        organisation=coesfeld,
        role=Role.READER,
    )
    # Coesfeld reported January 2025 (t-0); Borken (charlie) reports nothing.
    MonthlyValue.objects.create(
        provider=coesfeld,
        month=d(2025, 1, 1),
        element=ensure_default_elements()["elb"],
        sex="total",
        value=Decimal(8500),
        data_status="t0",
        source="manual",
        changed_at=timezone.now(),
    )


def coesfeld_mail():
    return [m for m in mail.outbox if "Coesfeld" in m.subject]


def test_reminder_before_the_deadline_goes_to_the_jobcenters_editors_only(people):
    reminders_send(today=d(2025, 3, 14))  # February is due on 20 March: 6 days
    assert coesfeld_mail() == []
    reminders_send(today=d(2025, 3, 15))
    (message,) = coesfeld_mail()
    assert message.to == ["bob <bob@coesfeld.example>"]
    assert message.subject == "Erinnerung: Monatswerte Kreis Coesfeld bald fällig"
    assert "Februar 2025: Werte (t-0) fällig bis 20.3.2025" in message.body
    assert "/monatswerte/05558/2025-02/" in message.body
    reminder = Reminder.objects.get(provider__regional_key="05558")
    assert (reminder.month, reminder.deadline_kind, reminder.stage) == (
        d(2025, 2, 1),
        "t0",
        "before",
    )
    assert reminder.recipient_list == ["bob <bob@coesfeld.example>"]


def test_overdue_reminder_also_goes_to_the_ministrys_editors(people):
    reminders_send(today=d(2025, 3, 21))
    to_jobcenter, to_ministry = coesfeld_mail()
    assert to_jobcenter.to == ["bob <bob@coesfeld.example>"]
    assert to_ministry.to == ["alice <alice@mags.example>"]
    assert to_ministry.subject == "Überfällige Monatswerte: Kreis Coesfeld"
    assert "Februar 2025: Werte (t-0) überfällig seit 20.3.2025" in to_ministry.body
    assert all("anna" not in str(m.to) and "carl" not in str(m.to) for m in mail.outbox)
    assert not any("charlie" in str(m.to) for m in coesfeld_mail())


def test_never_twice_for_the_same_deadline(people):
    for day in (15, 16, 17, 20):
        reminders_send(today=d(2025, 3, day))
    assert len(coesfeld_mail()) == 1
    for day in (21, 22, 30):
        reminders_send(today=d(2025, 3, day))
    assert len(coesfeld_mail()) == 3  # plus the overdue one, to bob and to alice
    assert Reminder.objects.filter(provider__regional_key="05558").count() == 2


def test_the_t3_deadline_has_its_own_reminders(people):
    reminders_send(today=d(2025, 5, 15))  # January's t-3 is due on 20 May
    bodies = " ".join(m.body for m in coesfeld_mail())
    assert "Januar 2025: endgültige Werte (t-3) fällig bis 20.5.2025" in bodies
    stages = set(
        Reminder.objects.filter(provider__regional_key="05558").values_list(
            "month", "deadline_kind", "stage"
        )
    )
    assert (d(2025, 1, 1), "t3", "before") in stages
    assert (d(2025, 3, 1), "t0", "overdue") in stages  # due on 20 April


def test_months_of_several_deadlines_go_out_in_one_mail(people):
    reminders_send(today=d(2025, 5, 21))
    to_jobcenter = coesfeld_mail()[0]
    for month in ("Januar", "Februar", "März", "April"):
        assert f"{month} 2025" in to_jobcenter.body


def test_nothing_is_recorded_when_sending_fails(people):
    class Broken:
        def __enter__(self):
            return self

        def __exit__(self, *args):
            return False

        def send_messages(self, messages):
            raise OSError("SMTP-Server nicht erreichbar")

    with pytest.raises(OSError, match="SMTP"):
        reminders_send(today=d(2025, 3, 15), connection=Broken())
    assert not Reminder.objects.exists()
    reminders_send(today=d(2025, 3, 15))
    assert Reminder.objects.filter(provider__regional_key="05558").count() == 1


def test_without_an_address_nobody_is_recorded_as_reminded(people, borken_user):
    borken_user.email = ""
    borken_user.save()
    # Borken has no figures: January is overdue, February due on 20 March.
    reminders_send(today=d(2025, 3, 15))
    (reminder,) = Reminder.objects.filter(provider=borken_user.organisation)
    assert (reminder.month, reminder.stage) == (d(2025, 1, 1), "overdue")
    assert reminder.recipient_list == ["alice <alice@mags.example>"]
    # Once Borken's editor has an address, February's reminder follows.
    borken_user.email = "charlie@borken.example"
    borken_user.save()
    reminders_send(today=d(2025, 3, 16))
    assert Reminder.objects.filter(provider=borken_user.organisation).count() == 2


def test_command_sends_on_a_given_day_and_dry_run_sends_nothing(people):
    out = io.StringIO()
    call_command("send_reminders", "--today", "2025-03-15", "--dry-run", stdout=out)
    assert "05558 2025-02 t0 before (Frist 20.03.2025)" in out.getvalue()
    assert mail.outbox == []
    call_command("send_reminders", "--today", "2025-03-15", stdout=out)
    assert "Erinnerungen für" in out.getvalue()
    assert len(coesfeld_mail()) == 1


def test_cockpit_shows_who_was_reminded_when(
    client_for, people, coesfeld_user, borken_user, monkeypatch
):
    reminders_send(today=d(2025, 3, 21))
    monkeypatch.setattr(
        "indicators.reporting_views.timezone.localdate", lambda: d(2025, 3, 22)
    )
    url = reverse("indicators:cockpit", args=[2025])
    content = client_for(coesfeld_user).get(url).content.decode()
    assert "erinnert" in content
    assert "alice &lt;alice@mags.example&gt;" in content
    assert "Frist überschritten" in content
    other = client_for(borken_user).get(url).content.decode()
    assert "bob@coesfeld.example" not in other


def test_admin_shows_reminders_steps_and_calendars_read_only(admin_client, people):
    reminders_send(today=d(2025, 3, 21))
    for model in ("reminder", "reportingmonthevent", "reportingcalendar"):
        response = admin_client.get(f"/verwaltung/indicators/{model}/")
        assert response.status_code == 200
        add = admin_client.get(f"/verwaltung/indicators/{model}/add/")
        assert add.status_code == 403

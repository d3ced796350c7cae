"""The ministry's administrator adds a colleague; two tabs edit one goal."""

import re

from django.core import mail
from playwright.sync_api import expect

from agreements.models import Goal

from .conftest import check_accessibility, field, login, screenshot


def test_administrator_adds_a_jobcenter_user_who_sets_a_password(page, demo, sign_in):
    sign_in(page, "ministerium")
    page.get_by_role("button", name=re.compile("Maria Schneider")).click()
    page.get_by_role("link", name="Benutzerverwaltung").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Benutzer")
    check_accessibility(page)
    page.get_by_role("link", name="Neuer Benutzer").click()
    check_accessibility(page)
    field(page, "Organisation").select_option(label="Kreis Coesfeld")
    field(page, "Benutzername").fill("c.neu")
    field(page, "E-Mail-Adresse").fill("c.neu@kreis-coesfeld.de")
    page.get_by_role("button", name="Anlegen und Link senden").click()
    expect(page.get_by_role("status").first).to_contain_text("ist angelegt")
    check_accessibility(page)
    screenshot(page, "people-detail")
    link = re.search(r"/passwort/setzen/\S+/", mail.outbox[-1].body)[0]

    page.get_by_role("button", name=re.compile("Maria Schneider")).click()
    page.get_by_role("button", name="Abmelden").click()
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Passwort festlegen")
    check_accessibility(page)
    field(page, "Neues Passwort").fill("ein-langes-Passwort-2025")
    field(page, "Neues Passwort bestätigen").fill("ein-langes-Passwort-2025")
    page.get_by_role("button", name="Passwort speichern").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Passwort gespeichert")
    login(page, "c.neu", "ein-langes-Passwort-2025")
    expect(page.get_by_role("button", name=re.compile("c.neu"))).to_be_visible()


def test_second_tab_saving_a_goal_is_told_and_keeps_its_text(
    browser, live_server, demo, sign_in
):
    goal = Goal.objects.filter(agreement__status__in=["draft", "negotiation"]).first()
    url = f"/zielvereinbarungen/{goal.agreement_id}/ziele/{goal.pk}/bearbeiten/"
    context = browser.new_context(locale="de-DE", base_url=live_server.url)
    first, second = context.new_page(), context.new_page()
    sign_in(first, "ministerium")
    first.goto(url)
    second.goto(url)
    field(first, "Titel").fill("Titel aus dem ersten Tab")
    first.get_by_role("button", name="Speichern").click()
    field(second, "Erläuterung").fill("Text aus dem zweiten Tab")
    second.get_by_role("button", name="Speichern").click()
    summary = second.locator("[data-error-summary]")
    expect(summary).to_contain_text("hat inzwischen gespeichert")
    expect(second.get_by_role("strong")).to_contain_text("„Titel aus dem ersten Tab“")
    expect(field(second, "Erläuterung")).to_have_value("Text aus dem zweiten Tab")
    check_accessibility(second)
    screenshot(second, "goal-conflict")
    second.get_by_role("button", name="Speichern").click()  # now on purpose
    goal.refresh_from_db()
    assert goal.text == "Text aus dem zweiten Tab"
    context.close()

"""The steering year in a real browser, with axe on every page.

Borken 2023 (demo: first dialogue held, one action open): the ministry plans
and prepares the second dialogue, whose report carries the open action; the
Jobcenter downloads the report and comments on it; the ministry records the
minutes, closes the old action and agrees a new one; after the year the
ministry records the official results, and the overview of the closed year
shows them.
"""

import hashlib
import re

from playwright.sync_api import expect

from agreements.models import Agreement

from ..pdftools import pdf_text
from .conftest import check_accessibility, field, screenshot

OPEN_ACTION = "Konzept zur Verzahnung von Sprachkurs und Arbeitsaufnahme vorlegen"


def _download(page, link_name):
    with page.expect_download() as download:
        page.get_by_role("link", name=link_name).click()
    with open(download.value.path(), "rb") as file:
        return file.read()


def test_a_steering_year_from_dialogue_to_closed_year(
    page, browser, live_server, demo, sign_in
):
    borken = Agreement.objects.get(provider__short_name="Borken", year=2023)
    sign_in(page, "ministerium")
    page.goto(borken.get_absolute_url())
    page.get_by_role("link", name="Steuerungsdialoge", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Steuerungsdialoge 2023 – Kreis Borken"
    )
    check_accessibility(page)
    page.get_by_role("link", name="1. Steuerungsdialog").click()
    expect(page.get_by_text(OPEN_ACTION).first).to_be_visible()
    check_accessibility(page)

    # --- the second dialogue: plan, prepare (the report is frozen) ----------
    page.get_by_role("link", name="Alle Dialoge des Jahres").click()
    page.get_by_role("link", name="Steuerungsdialog planen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Steuerungsdialog planen")
    check_accessibility(page)
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Bitte das Datum des Dialogs angeben."
    )
    check_accessibility(page)
    field(page, "Datum").fill("2023-10-17")
    field(page, "Ort").fill("Borken, Kreishaus")
    field(page, "Teilnehmende").fill(
        "Maria Schneider, MAGS NRW\nSabine Wessels, Jobcenter des Kreises Borken"
    )
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("status")).to_contain_text("geplant")
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "2. Steuerungsdialog 2023 – Kreis Borken"
    )
    carried = page.get_by_role("table", name=re.compile("Aus früheren Dialogen"))
    expect(carried).to_contain_text(OPEN_ACTION)
    check_accessibility(page)

    page.get_by_role("button", name="Dialog vorbereiten: Bericht erstellen").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Fortschrittsbericht ist erstellt"
    )
    shown_hash = page.locator("code.archive-hash").inner_text().strip()
    check_accessibility(page)
    screenshot(page, "dialogue-prepared")
    report = _download(page, "Fortschrittsbericht (PDF) herunterladen")
    assert hashlib.sha256(report).hexdigest() == shown_hash
    text = pdf_text(report)
    assert "Fortschrittsbericht zum 2. Steuerungsdialog 2023" in text
    assert "Konzept zur Verzahnung" in text  # the open action, carried over
    assert "Datenstand" in text
    dialogue_url = page.url

    # --- the Jobcenter reads the report and comments before the meeting ----
    context = browser.new_context(locale="de-DE", base_url=live_server.url)
    jobcenter = context.new_page()
    jobcenter.set_default_timeout(10_000)
    sign_in(jobcenter, "borken")
    jobcenter.goto(borken.get_absolute_url())
    jobcenter.get_by_role("link", name="Steuerungsdialoge", exact=True).click()
    expect(jobcenter.get_by_role("heading", level=1)).to_contain_text(
        "Steuerungsdialoge 2023"
    )
    check_accessibility(jobcenter)
    jobcenter.get_by_role("link", name="2. Steuerungsdialog").click()
    expect(jobcenter.get_by_role("heading", level=1)).to_contain_text(
        "2. Steuerungsdialog"
    )
    expect(jobcenter.get_by_role("link", name="Termin bearbeiten")).to_have_count(0)
    check_accessibility(jobcenter)
    assert _download(jobcenter, "Fortschrittsbericht (PDF) herunterladen") == report
    jobcenter.get_by_role("link", name="Bericht kommentieren").click()
    expect(jobcenter.get_by_role("heading", level=1)).to_have_text(
        "Anmerkung schreiben"
    )
    check_accessibility(jobcenter)
    jobcenter.get_by_role("button", name="Anmerkung speichern").click()
    expect(jobcenter.get_by_role("alert")).to_contain_text("Bitte eine Anmerkung")
    check_accessibility(jobcenter)
    field(jobcenter, "Anmerkung des Jobcenters").fill(
        "Die Integrationen im September sind nachgemeldet; der Trend zeigt nach oben."
    )
    jobcenter.get_by_role("button", name="Anmerkung speichern").click()
    expect(jobcenter.get_by_role("status")).to_contain_text("Anmerkung ist gespeichert")
    expect(jobcenter.get_by_text("der Trend zeigt nach oben")).to_be_visible()
    check_accessibility(jobcenter)
    assert jobcenter.goto("/zielvereinbarungen/dialoge/2023/").status == 404
    context.close()

    # --- minutes and actions -------------------------------------------------
    page.goto(dialogue_url)
    expect(page.get_by_text("der Trend zeigt nach oben")).to_be_visible()
    page.get_by_role("link", name="Protokoll erfassen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Protokoll")
    check_accessibility(page)
    field(page, "Protokoll").fill(
        "Die Integrationen holen auf. Das Konzept zur Sprachförderung liegt vor."
    )
    page.get_by_role("button", name="Protokoll speichern").click()
    expect(page.get_by_role("status")).to_contain_text("Protokoll ist gespeichert")
    expect(page.locator(".badge", has_text="Durchgeführt")).to_be_visible()

    page.get_by_role("link", name=re.compile(r"Stand ändern\s*: Konzept")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stand der Maßnahme")
    check_accessibility(page)
    field(page, "Stand").select_option(label="Erledigt")
    page.get_by_role("button", name="Stand speichern").click()
    expect(page.get_by_role("alert")).to_contain_text("Bitte vermerken")
    check_accessibility(page)
    field(page, "Vermerk").fill("Konzept am 12.10.2023 vorgelegt.")
    page.get_by_role("button", name="Stand speichern").click()
    expect(carried).to_contain_text("Konzept am 12.10.2023 vorgelegt.")

    page.get_by_role("link", name="Maßnahme vereinbaren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Maßnahme vereinbaren")
    check_accessibility(page)
    field(page, "Maßnahme").fill("Arbeitgeberservice für Geflüchtete ausbauen")
    field(page, "Verantwortlich").fill("Jobcenter, Arbeitgeberservice")
    field(page, "Zu erledigen bis").fill("2024-03-31")
    page.get_by_role("button", name="Maßnahme speichern").click()
    agreed = page.get_by_role("table", name=re.compile("In diesem Dialog vereinbart"))
    expect(agreed).to_contain_text("Arbeitgeberservice für Geflüchtete ausbauen")
    check_accessibility(page)
    screenshot(page, "dialogue-held")

    # --- after the year: the final version, then the official results -------
    page.goto(borken.get_absolute_url())
    page.get_by_role("link", name="Endfassung festlegen").click()
    page.get_by_role("button", name="Endfassung festlegen").click()
    expect(page.get_by_role("status")).to_contain_text("jetzt die Endfassung")
    page.get_by_role("link", name="Jahresergebnis", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Jahresergebnis 2023 – Kreis Borken"
    )
    check_accessibility(page)
    # The figures suggest each result; the ministry judges the integrations
    # "taking the circumstances into account", which needs its reasons.
    integrations = "„Veränderung der absoluten Zahl der Integrationen“"
    field(page, f"Ergebnis für {integrations}").select_option(
        label="erreicht unter Berücksichtigung der Rahmenbedingungen"
    )
    page.get_by_role("button", name="Gewählte Ergebnisse festhalten").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "welche Rahmenbedingungen berücksichtigt wurden"
    )
    check_accessibility(page)
    field(page, f"Begründung für {integrations}").fill(
        "Zugang geflüchteter Menschen aus der Ukraine seit Juni 2022."
    )
    page.get_by_role("button", name="Gewählte Ergebnisse festhalten").click()
    expect(page.get_by_role("status")).to_contain_text("festgehalten")
    expect(page.get_by_text("Das Jahr ist abgeschlossen")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "year-end-closed")

    # --- the overview of the closed year, and who had their dialogues -------
    page.goto("/uebersicht/2023/")
    table = page.get_by_role("table", name=re.compile("^Zielerreichung je Träger"))
    borken_row = table.get_by_role("row").filter(has_text="Kreis Borken")
    expect(borken_row).to_contain_text("Jahresergebnis festgehalten")
    expect(borken_row).to_contain_text("Rahmenbedingungen")
    check_accessibility(page)
    screenshot(page, "overview-closed-year")
    page.get_by_role("link", name="Steuerungsdialoge 2023").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Steuerungsdialoge 2023"
    )
    row = page.get_by_role("row").filter(has_text="Kreis Borken")
    expect(row.get_by_role("cell").nth(0)).to_have_text("2")  # held
    check_accessibility(page)
    screenshot(page, "dialogues-of-the-year")


def test_a_dialogue_prepared_again_then_cancelled_and_one_deleted(
    page, live_server, demo, sign_in
):
    """Prepare again keeps the earlier report; cancel needs a reason; a
    dialogue planned by mistake is deleted. axe on every new page."""
    borken = Agreement.objects.get(provider__short_name="Borken", year=2023)
    sign_in(page, "ministerium")
    page.goto(f"{borken.get_absolute_url()}dialoge/neu/")
    field(page, "Datum").fill("2023-10-17")
    field(page, "Ort").fill("Borken, Kreishaus")
    field(page, "Teilnehmende").fill("Maria Schneider, MAGS NRW")
    page.get_by_role("button", name="Speichern").click()
    page.get_by_role("button", name="Dialog vorbereiten: Bericht erstellen").click()
    first_hash = page.locator("code.archive-hash").inner_text().strip()
    page.get_by_role("button", name="Bericht neu erstellen").click()
    expect(page.get_by_role("status")).to_contain_text("neu erstellt")
    expect(page.get_by_role("heading", name="Frühere Fassungen")).to_be_visible()
    expect(page.locator("code.archive-hash").nth(1)).to_have_text(first_hash)
    check_accessibility(page)
    earlier = _download(page, re.compile("^Bericht vom "))
    assert hashlib.sha256(earlier).hexdigest() == first_hash

    page.get_by_role("link", name="Dialog absagen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Steuerungsdialog absagen"
    )
    check_accessibility(page)
    page.get_by_role("button", name="Dialog absagen").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Bitte den Grund der Absage angeben."
    )
    check_accessibility(page)
    field(page, "Grund der Absage").fill("Landrat verhindert, neuer Termin folgt.")
    page.get_by_role("button", name="Dialog absagen").click()
    expect(page.get_by_role("status").first).to_contain_text("abgesagt")
    expect(page.get_by_text("Dieser Dialog ist abgesagt.")).to_be_visible()
    check_accessibility(page)

    page.get_by_role("link", name="Alle Dialoge des Jahres").click()
    expect(page.get_by_role("table")).to_contain_text("Abgesagt")
    expect(page.get_by_role("table")).to_contain_text("Landrat verhindert")
    check_accessibility(page)
    screenshot(page, "dialogue-cancelled")

    page.get_by_role("link", name="Steuerungsdialog planen").click()
    field(page, "Datum").fill("2023-11-30")
    field(page, "Ort").fill("Versehen")
    field(page, "Teilnehmende").fill("Niemand")
    page.get_by_role("button", name="Speichern").click()
    page.get_by_role("link", name="Dialog löschen").click()
    check_accessibility(page)
    page.get_by_role("button", name="Endgültig löschen").click()
    expect(page.get_by_role("status")).to_contain_text("ist gelöscht")
    expect(page.get_by_role("table")).not_to_contain_text("Versehen")

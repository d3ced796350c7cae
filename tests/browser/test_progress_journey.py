"""Start page → overview → progress page, as the ministry and as a Jobcenter."""

import re

from playwright.sync_api import expect

from .conftest import check_accessibility, field, screenshot


def test_ministry_goes_from_start_page_to_overview_to_progress(page, demo, sign_in):
    sign_in(page, "ministerium")
    expect(page.get_by_role("heading", name="Braucht Aufmerksamkeit")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "home-ministry")

    page.get_by_role("link", name="Zur Übersicht aller Träger").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Zielerreichung aller Träger 2023"
    )
    table = page.get_by_role("table", name=re.compile("^Zielerreichung je Träger"))
    # head, 18 providers, the Land over all providers and over those agreeing
    expect(table.get_by_role("row")).to_have_count(1 + 18 + 2)
    expect(table).to_contain_text("Land insgesamt")
    expect(table).to_contain_text("Träger mit Zielvereinbarung")
    expect(page.get_by_role("heading", name="Landesziel")).to_be_visible()
    check_accessibility(page)

    # Sort by provider name, descending, and back.
    page.get_by_role("button", name="Träger", exact=True).click()
    first = table.get_by_role("row").nth(1)
    expect(first).to_contain_text("Stadt Wuppertal")

    # Filter on "verfehlt" and one provider.
    page.get_by_label("Stand", exact=True).select_option(label="verfehlt")
    page.get_by_label("Träger", exact=True).select_option(label="Kreis Borken")
    page.get_by_role("button", name="Filtern").click()
    expect(table.get_by_role("row")).to_have_count(1 + 1 + 2)
    check_accessibility(page)
    screenshot(page, "overview-filtered")

    page.get_by_role("link", name="Kreis Borken").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Zielerreichung 2023 – Kreis Borken"
    )
    expect(
        page.get_by_text("Ziel: mindestens +12,6 % gegenüber dem Vorjahr")
    ).to_be_visible()
    expect(page.get_by_text("verfehlt", exact=True).first).to_be_visible()
    page.get_by_text("Werte als Tabelle").first.click()
    expect(page.get_by_role("table").first).to_contain_text("Dezember 2023")
    check_accessibility(page)
    screenshot(page, "progress-borken")


def test_ministry_records_the_status_of_a_qualitative_target(page, demo, sign_in):
    from agreements.models import Agreement

    coesfeld = Agreement.objects.get(provider__short_name="Coesfeld", year=2014)
    sign_in(page, "ministerium")
    page.goto(f"/zielvereinbarungen/{coesfeld.pk}/fortschritt/")
    check_accessibility(page)
    page.get_by_role("link", name=re.compile("Stand eintragen")).first.click()
    check_accessibility(page)
    field(page, "Stand").select_option(label="Erreicht")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("alert")).to_contain_text("Bitte angeben, worauf")
    check_accessibility(page)
    field(page, "Nachweis").fill("Bericht an den Kreisausschuss vom 4.11.2014")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("status")).to_contain_text("gespeichert")
    expect(
        page.get_by_text("Bericht an den Kreisausschuss vom 4.11.2014")
    ).to_be_visible()


def test_jobcenter_sees_its_progress_but_not_the_overview(page, demo, sign_in):
    sign_in(page, "coesfeld")
    expect(page.get_by_role("heading", name="Ihre Ziele 2023")).to_be_visible()
    expect(page.get_by_role("link", name="Übersicht")).to_have_count(0)
    check_accessibility(page)
    screenshot(page, "home-coesfeld")
    page.get_by_role("link", name="Zielerreichung im Einzelnen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kreis Coesfeld")
    check_accessibility(page)
    response = page.goto("/uebersicht/2023/")
    assert response.status == 404


def test_jobcenter_explains_a_missed_target(page, demo, sign_in):
    sign_in(page, "borken")
    section = page.get_by_role("region", name="Erklärungen erbeten")
    expect(section).to_be_visible()
    check_accessibility(page)
    section.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Erklärung zu einer Zielvorgabe"
    )
    check_accessibility(page)
    page.get_by_role("button", name="Erklärung speichern").click()
    expect(page.get_by_role("alert")).to_be_focused()
    check_accessibility(page)
    field(page, "Erklärung").fill("Viele neue Leistungsberechtigte seit Juni 2022.")
    page.get_by_role("button", name="Erklärung speichern").click()
    expect(page.get_by_role("status")).to_contain_text("gespeichert")
    expect(
        page.get_by_text("Viele neue Leistungsberechtigte seit Juni 2022.")
    ).to_be_visible()
    check_accessibility(page)

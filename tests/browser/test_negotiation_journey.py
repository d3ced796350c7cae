"""The steering year in a real browser, checked with axe on every page:
rollover → the Jobcenter proposes → the ministry counters → the Jobcenter
accepts → diff → final version → signing with the Lokales Planungsdokument.
"""

import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from agreements.models import Agreement, Target
from zielsteuerung.jobs.models import Job
from zielsteuerung.jobs.services import job_run

from ..conftest import scanned_pdf_bytes
from ..pdftools import pdf_reader
from .conftest import check_accessibility, field, login, screenshot

DEMO_PASSWORD = "zielsteuerung-demo"
LPD = "Lokales Planungsdokument 2024 des Jobcenters des Kreises Coesfeld"


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", "--force", verbosity=0)


def _switch(page, username):
    page.context.clear_cookies()
    login(page, username, DEMO_PASSWORD)


def _pdf(name):
    return {"name": name, "mimeType": "application/pdf", "buffer": scanned_pdf_bytes()}


def _coesfeld_2024():
    return Agreement.objects.get(provider__short_name="Coesfeld", year=2024)


def _k3(agreement):
    return Target.objects.get(goal__agreement=agreement, indicator="k3")


def test_a_year_from_rollover_to_signing_with_an_annex(page, demo):
    # --- the ministry rolls 2023 over to 2024 --------------------------------
    login(page, "ministerium", DEMO_PASSWORD)
    page.get_by_role("link", name="Zielvereinbarungen", exact=True).first.click()
    page.get_by_role("link", name="Jahreswechsel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Jahreswechsel 2023 → 2024"
    )
    check_accessibility(page)
    screenshot(page, "rollover-preview")
    page.get_by_role("button", name="Ausgewählte Vereinbarungen 2024 anlegen").click()
    expect(page.get_by_role("status")).to_contain_text(
        "18 Zielvereinbarungen 2024 angelegt."
    )
    check_accessibility(page)

    # … and opens negotiations with Coesfeld.
    page.get_by_role("link", name=re.compile("Vereinbarung 2024 schon vorhanden")).nth(
        _row_of(page, "Kreis Coesfeld")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Zielvereinbarung 2024 – Kreis Coesfeld"
    )
    check_accessibility(page)
    page.get_by_role("link", name="Texte und Parteien bearbeiten").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("bearbeiten")
    check_accessibility(page)
    field(page, "Status").select_option(label="In Verhandlung")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("status")).to_contain_text("gespeichert")

    # --- Coesfeld uploads its planning document and proposes a K3 value -------
    _switch(page, "coesfeld")
    page.goto(_coesfeld_2024().get_absolute_url())
    check_accessibility(page)
    page.get_by_role("link", name="Anlage hochladen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Anlage hochladen")
    check_accessibility(page)
    field(page, "Titel").fill(LPD)
    field(page, "Datei (PDF)").set_input_files(
        files=[{"name": "lpd.pdf", "mimeType": "application/pdf", "buffer": b"x"}]
    )
    page.get_by_role("button", name="Hochladen").click()
    expect(page.get_by_role("alert")).to_contain_text("Die Datei ist kein PDF")
    check_accessibility(page)
    field(page, "Datei (PDF)").set_input_files(files=[_pdf("lpd.pdf")])
    page.get_by_role("button", name="Hochladen").click()
    expect(page.get_by_role("status")).to_contain_text("hochgeladen")
    expect(page.get_by_role("link", name=LPD, exact=True)).to_be_visible()

    page.get_by_role("link", name=re.compile("^Verhandlung")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Verhandlung 2024")
    check_accessibility(page)
    page.get_by_role(
        "link", name=re.compile(r"Wert vorschlagen\s*: Ziel III: K3")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zielwert vorschlagen")
    check_accessibility(page)
    field(page, "Vorgeschlagener Zielwert").fill("-0,8")
    field(page, "Begründung").fill("Der Bestand sinkt langsamer als erwartet.")
    page.get_by_role("button", name="Vorschlag senden").click()
    expect(page.get_by_role("status")).to_contain_text("beim Ministerium")
    check_accessibility(page)

    # --- the ministry counters --------------------------------------------------
    _switch(page, "ministerium")
    page.goto(f"/zielvereinbarungen/{_coesfeld_2024().pk}/verhandlung/")
    expect(
        page.get_by_role("heading", name="Landesziel aus den Trägerzielen")
    ).to_be_visible()
    check_accessibility(page)
    screenshot(page, "negotiation-ministry")
    page.get_by_role("link", name=re.compile("^Antworten")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Auf einen Vorschlag antworten"
    )
    check_accessibility(page)
    page.get_by_label("Gegenvorschlag machen").check()
    page.get_by_role("button", name="Antwort speichern").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Ein Gegenvorschlag braucht einen Wert"
    )
    check_accessibility(page)
    field(page, "Gegenvorschlag: Zielwert").fill("-1,1")
    page.get_by_role("button", name="Antwort speichern").click()
    expect(page.get_by_role("status")).to_contain_text("gespeichert")

    # --- Coesfeld accepts; the diff shows what the round changed --------------
    _switch(page, "coesfeld")
    page.goto(f"/zielvereinbarungen/{_coesfeld_2024().pk}/verhandlung/")
    page.get_by_role("link", name=re.compile("^Antworten")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Auf einen Vorschlag antworten"
    )
    check_accessibility(page)
    page.get_by_label("Annehmen:").check()
    page.get_by_role("button", name="Antwort speichern").click()
    expect(page.get_by_role("status")).to_contain_text("gespeichert")
    assert str(_k3(_coesfeld_2024()).target_value) == "-1.100"
    page.get_by_role("link", name=re.compile("Änderung ansehen")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vergleich 2024")
    table = page.get_by_role("table")
    expect(table).to_contain_text("höchstens −1,1 %")
    expect(page.locator("ins").first).to_be_visible()
    check_accessibility(page)
    screenshot(page, "diff-round")

    # --- the ministry finalizes and signs; the annex goes into the archive ----
    _switch(page, "ministerium")
    page.goto(_coesfeld_2024().get_absolute_url())
    page.get_by_role("link", name="Endfassung festlegen").click()
    expect(page.get_by_role("button", name="Endfassung festlegen")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Endfassung festlegen").click()
    expect(page.get_by_role("status")).to_contain_text("jetzt die Endfassung")
    page.get_by_role("link", name="Unterzeichnung erfassen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Unterzeichnung erfassen")
    check_accessibility(page)
    places = page.get_by_label(re.compile(r"^\s*Ort"))
    dates = page.get_by_label(re.compile(r"^\s*Datum"))
    places.nth(0).fill("Düsseldorf")
    dates.nth(0).fill("2024-04-02")
    places.nth(1).fill("Coesfeld")
    dates.nth(1).fill("2024-03-20")
    field(page, "Unterschriebene Fassung (PDF)").set_input_files(
        files=[_pdf("unterschrieben.pdf")]
    )
    page.get_by_role("button", name="Unterzeichnung speichern").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "Die Unterzeichnung ist erfasst"
    )
    expect(page.get_by_role("link", name="Anlage hochladen")).to_have_count(0)
    # The worker renders the archive with the annex (here run in its place).
    expect(page.locator("[data-job-status-url]")).to_be_visible()
    job_run(Job.objects.get(kind="agreement_archive").pk)
    expect(page.locator("code.archive-hash")).to_be_visible(timeout=10_000)
    check_accessibility(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Archivexemplar (PDF/A) herunterladen").click()
    reader = pdf_reader(Path(download.value.path()).read_bytes())
    annex = next(name for name in reader.attachments if name.startswith("anlage-1-"))
    assert reader.attachments[annex] == [scanned_pdf_bytes()]
    data = json.loads(reader.attachments["zielvereinbarung.json"][0])
    assert data["annexes"][0]["title"] == LPD


def _row_of(page, provider):
    """Which of the "schon vorhanden" links belongs to ``provider``."""
    rows = page.locator("table.rollover-table tbody tr")
    names = [rows.nth(i).locator("th").inner_text() for i in range(rows.count())]
    return names.index(provider)


def test_the_jobcenter_reports_and_never_sees_another_negotiation(page, demo):
    borken = Agreement.objects.get(provider__short_name="Borken", year=2023)
    login(page, "coesfeld", DEMO_PASSWORD)
    for suffix in ("verhandlung/", "vergleich/", "anlagen/neu/"):
        response = page.goto(f"/zielvereinbarungen/{borken.pk}/{suffix}")
        assert response.status == 404
    assert page.goto("/zielvereinbarungen/jahreswechsel/2023/").status == 404

    coesfeld = Agreement.objects.get(provider__short_name="Coesfeld", year=2014)
    page.goto(f"/zielvereinbarungen/{coesfeld.pk}/fortschritt/")
    check_accessibility(page)
    page.get_by_role("link", name=re.compile("^Stand melden")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Stand einer Zielvorgabe melden"
    )
    check_accessibility(page)
    field(page, "Stand laut Jobcenter").select_option(label="Erreicht")
    field(page, "Bericht").fill("Die Auswertung liegt vor.")
    page.get_by_role("button", name="Bericht senden").click()
    expect(page.get_by_role("alert")).to_contain_text("worauf sich der Bericht stützt")
    check_accessibility(page)
    field(page, "Nachweis").fill("Bericht an den Kreisausschuss vom 4.11.2014")
    page.get_by_role("button", name="Bericht senden").click()
    expect(page.get_by_role("status")).to_contain_text("das Ministerium prüft ihn")

    _switch(page, "ministerium")
    page.goto(f"/zielvereinbarungen/{coesfeld.pk}/fortschritt/")
    page.get_by_role("link", name=re.compile("^Bericht prüfen")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Bericht des Jobcenters prüfen"
    )
    check_accessibility(page)
    page.get_by_role("button", name="Stand eintragen").click()
    expect(page.get_by_role("status")).to_contain_text("eingetragen")
    check_accessibility(page)

    page.goto("/zielvereinbarungen/schwerpunkte/2014/")
    check_accessibility(page)

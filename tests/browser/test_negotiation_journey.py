"""One whole steering year in a real browser, checked with axe on every page:
rollover → the Jobcenter proposes → the ministry counters → the Jobcenter
accepts → diff → final version → signing with the Lokales Planungsdokument →
the first steering dialogue (report frozen, an action agreed) → the second
(the action carried over and closed) → the year-end result → the overview of
the closed year. The monthly figures of the year are stored directly: their
entry and import have a journey of their own (``test_figures_journey``).
"""

import json
import re
from pathlib import Path

from playwright.sync_api import expect

from agreements.models import Agreement, Target
from zielsteuerung.jobs.models import Job
from zielsteuerung.jobs.services import job_run

from ..conftest import scanned_pdf_bytes
from ..pdftools import pdf_reader, pdf_text
from .conftest import check_accessibility, field, screenshot

LPD = "Lokales Planungsdokument 2024 des Jobcenters des Kreises Coesfeld"
ACTION = "Konzept U25 für Schulabgängerinnen und Schulabgänger vorlegen"


def _pdf(name):
    return {"name": name, "mimeType": "application/pdf", "buffer": scanned_pdf_bytes()}


def _coesfeld_2024():
    return Agreement.objects.get(provider__short_name="Coesfeld", year=2024)


def _k3(agreement):
    return Target.objects.get(goal__agreement=agreement, indicator="k3")


def _report_months(provider, year, last_month):
    """The Jobcenter's figures of ``year`` up to ``last_month``, all final (t-3):
    last year's values, 4 % more integrations and 3 % fewer recipients."""
    import datetime
    from decimal import Decimal

    from django.utils import timezone

    from indicators.models import MonthlyValue, ReportingMonth
    from indicators.services import figures_changed

    growth = {"integrationen": Decimal("1.04")}
    stored = MonthlyValue.objects.filter(
        provider=provider,
        month__year=year - 1,
        month__month__lte=last_month,
    ).select_related("element")
    MonthlyValue.objects.bulk_create(
        [
            MonthlyValue(
                provider=provider,
                month=value.month.replace(year=year),
                element=value.element,
                sex=value.sex,
                value=(
                    value.value * growth.get(value.element.code, Decimal("0.97"))
                ).quantize(Decimal(1)),
                data_status="t3",
                source="manual",
                changed_at=timezone.now(),
            )
            for value in stored
        ],
        ignore_conflicts=True,
    )
    for month in range(1, last_month + 1):
        ReportingMonth.objects.update_or_create(
            provider=provider,
            month=datetime.date(year, month, 1),
            defaults={"data_status": "t3"},
        )
    figures_changed([provider])


def _forget_year(provider, year):
    from indicators.models import MonthlyValue, MonthlyValueChange, ReportingMonth

    MonthlyValueChange.objects.filter(
        monthly_value__provider=provider, monthly_value__month__year=year
    ).delete()
    MonthlyValue.objects.filter(provider=provider, month__year=year).delete()
    ReportingMonth.objects.filter(provider=provider, month__year=year).delete()


def _hold_dialogue(page, date, place, minutes):
    """Plan a dialogue, prepare it (the report is frozen), record its minutes."""
    page.get_by_role("link", name="Steuerungsdialog planen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Steuerungsdialog planen")
    check_accessibility(page)
    field(page, "Datum").fill(date)
    field(page, "Ort").fill(place)
    field(page, "Teilnehmende").fill(
        "Referat II B 3, MAGS NRW\nGeschäftsführung, Jobcenter des Kreises Coesfeld"
    )
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("status")).to_contain_text("geplant")
    check_accessibility(page)
    page.get_by_role("button", name="Dialog vorbereiten: Bericht erstellen").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Fortschrittsbericht ist erstellt"
    )
    check_accessibility(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Fortschrittsbericht (PDF) herunterladen").click()
    report = pdf_text(Path(download.value.path()).read_bytes())
    page.get_by_role("link", name="Protokoll erfassen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Protokoll")
    check_accessibility(page)
    field(page, "Protokoll").fill(minutes)
    page.get_by_role("button", name="Protokoll speichern").click()
    expect(page.get_by_role("status")).to_contain_text("Protokoll ist gespeichert")
    check_accessibility(page)
    return report


def test_a_whole_steering_year_from_rollover_to_the_closed_year(page, demo, sign_in):
    # --- the ministry rolls 2023 over to 2024 --------------------------------
    sign_in(page, "ministerium")
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
    sign_in(page, "coesfeld")
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
    sign_in(page, "ministerium")
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
    sign_in(page, "coesfeld")
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
    sign_in(page, "ministerium")
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

    # --- spring: the first steering dialogue, on the figures up to March ------
    # (the demo already has all of 2024: start the year afresh)
    coesfeld_2024 = _coesfeld_2024()
    _forget_year(coesfeld_2024.provider, 2024)
    _report_months(coesfeld_2024.provider, 2024, 3)
    page.get_by_role("link", name="Steuerungsdialoge", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Steuerungsdialoge 2024 – Kreis Coesfeld"
    )
    check_accessibility(page)
    first_report = _hold_dialogue(
        page,
        "2024-05-14",
        "Coesfeld, Kreishaus",
        "Die Integrationen liegen über dem Vorjahr; K3 sinkt wie vereinbart.",
    )
    assert "Fortschrittsbericht zum 1. Steuerungsdialog 2024" in first_report
    assert "März 2024" in first_report  # the figures it was prepared on
    page.get_by_role("link", name="Maßnahme vereinbaren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Maßnahme vereinbaren")
    check_accessibility(page)
    field(page, "Maßnahme").fill(ACTION)
    field(page, "Verantwortlich").fill("Jobcenter, Bereich U25")
    field(page, "Zu erledigen bis").fill("2024-09-30")
    page.get_by_role("button", name="Maßnahme speichern").click()
    agreed = page.get_by_role("table", name=re.compile("In diesem Dialog vereinbart"))
    expect(agreed).to_contain_text(ACTION)
    check_accessibility(page)

    # --- autumn: the second dialogue carries the open action and closes it ----
    _report_months(coesfeld_2024.provider, 2024, 9)
    page.get_by_role("link", name="Alle Dialoge des Jahres").click()
    second_report = _hold_dialogue(
        page,
        "2024-10-22",
        "Düsseldorf, MAGS NRW",
        "Das Konzept U25 liegt vor; die Zahlen bis September bestätigen den Trend.",
    )
    assert "Fortschrittsbericht zum 2. Steuerungsdialog 2024" in second_report
    assert "Konzept U25 für Schulabgängerinnen" in second_report  # still open
    carried = page.get_by_role("table", name=re.compile("Aus früheren Dialogen"))
    expect(carried).to_contain_text(ACTION)
    page.get_by_role("link", name=re.compile(r"Stand ändern\s*: Konzept")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stand der Maßnahme")
    check_accessibility(page)
    field(page, "Stand").select_option(label="Erledigt")
    field(page, "Vermerk").fill("Konzept am 30.9.2024 vorgelegt.")
    page.get_by_role("button", name="Stand speichern").click()
    expect(carried).to_contain_text("Konzept am 30.9.2024 vorgelegt.")
    check_accessibility(page)

    # --- after the year: December is final, the ministry records the results -
    _report_months(coesfeld_2024.provider, 2024, 12)
    page.goto(coesfeld_2024.get_absolute_url())
    page.get_by_role("link", name="Jahresergebnis", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Jahresergebnis 2024 – Kreis Coesfeld"
    )
    check_accessibility(page)
    page.get_by_role("button", name="Gewählte Ergebnisse festhalten").click()
    expect(page.get_by_role("status")).to_contain_text("festgehalten")
    expect(page.get_by_text("Das Jahr ist abgeschlossen")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "year-end-coesfeld-2024")

    page.goto("/uebersicht/2024/")
    table = page.get_by_role("table", name=re.compile("^Zielerreichung je Träger"))
    row = table.get_by_role("row").filter(has_text="Kreis Coesfeld")
    expect(row).to_contain_text("Jahresergebnis festgehalten")
    check_accessibility(page)


def _row_of(page, provider):
    """Which of the "schon vorhanden" links belongs to ``provider``."""
    rows = page.locator("table.rollover-table tbody tr")
    names = [rows.nth(i).locator("th").inner_text() for i in range(rows.count())]
    return names.index(provider)


def test_the_jobcenter_reports_and_never_sees_another_negotiation(page, demo, sign_in):
    borken = Agreement.objects.get(provider__short_name="Borken", year=2023)
    sign_in(page, "coesfeld")
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

    sign_in(page, "ministerium")
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

"""Printing and signing in a real browser: finalize → sign → hash → archive."""

import hashlib
import re
from pathlib import Path

from playwright.sync_api import expect

from agreements.models import Agreement
from zielsteuerung.jobs.models import Job
from zielsteuerung.jobs.services import job_run

from ..conftest import scanned_pdf_bytes
from .conftest import check_accessibility, field, screenshot


def borken():
    return Agreement.objects.get(provider__short_name="Borken", year=2023)


def test_ministry_finalizes_signs_and_downloads_the_archive(page, demo, sign_in):
    sign_in(page, "ministerium")
    page.goto(borken().get_absolute_url())

    page.get_by_role("link", name="Druckansicht").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vereinbarung")
    expect(page.get_by_text("ENTWURF – gedruckt am")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "print-preview-borken")
    page.get_by_role("link", name="Zurück zur Zielvereinbarung").click()

    page.get_by_role("link", name="Endfassung festlegen").click()
    check_accessibility(page)
    page.get_by_role("button", name="Endfassung festlegen").click()
    expect(page.get_by_role("status")).to_contain_text("jetzt die Endfassung")
    expect(page.locator(".badge", has_text="Endfassung")).to_be_visible()
    expect(
        page.get_by_role("link", name="Texte und Parteien bearbeiten")
    ).to_have_count(0)
    check_accessibility(page)

    page.get_by_role("link", name="Unterzeichnung erfassen").click()
    check_accessibility(page)
    # A file that is no PDF is refused beside the field; typed values stay.
    _fill_signatures(page, place="Borken-Stadt")
    field(page, "Unterschriebene Fassung (PDF)").set_input_files(
        files=[{"name": "scan.pdf", "mimeType": "application/pdf", "buffer": b"x"}]
    )
    page.get_by_role("button", name="Unterzeichnung speichern").click()
    expect(page.get_by_role("alert")).to_contain_text("Die Datei ist kein PDF")
    expect(page.get_by_label(re.compile(r"^\s*Ort")).nth(1)).to_have_value(
        "Borken-Stadt"
    )
    check_accessibility(page)

    field(page, "Unterschriebene Fassung (PDF)").set_input_files(
        files=[
            {
                "name": "unterschrieben.pdf",
                "mimeType": "application/pdf",
                "buffer": scanned_pdf_bytes(),
            }
        ]
    )
    page.get_by_role("button", name="Unterzeichnung speichern").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "Die Unterzeichnung ist erfasst"
    )
    # The worker renders the archive after the signing; the page waits for it
    # and reloads itself (here the test runs the job in place of a worker).
    expect(page.locator("[data-job-status-url]")).to_be_visible()
    job_run(Job.objects.get(kind="agreement_archive").pk)
    expect(page.locator("code.archive-hash")).to_be_visible(timeout=10_000)
    shown_hash = page.locator("code.archive-hash").inner_text().strip()
    assert re.fullmatch(r"[0-9a-f]{64}", shown_hash)
    check_accessibility(page)
    screenshot(page, "agreement-signed")

    with page.expect_download() as download:
        page.get_by_role("link", name="Archivexemplar (PDF/A) herunterladen").click()
    archive = Path(download.value.path()).read_bytes()
    assert hashlib.sha256(archive).hexdigest() == shown_hash
    assert archive.startswith(b"%PDF-")

    page.get_by_role("link", name="Änderungsvereinbarung anlegen").click()
    check_accessibility(page)
    page.get_by_role("button", name="Änderungsvereinbarung anlegen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Änderungsvereinbarung"
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fassung 2")
    check_accessibility(page)


def _fill_signatures(page, *, place):
    places = page.get_by_label(re.compile(r"^\s*Ort"))
    dates = page.get_by_label(re.compile(r"^\s*Datum"))
    places.nth(0).fill("Düsseldorf")
    dates.nth(0).fill("2023-05-02")
    places.nth(1).fill(place)
    dates.nth(1).fill("2023-04-20")


def test_reopen_page_with_error_passes_axe(page, demo, sign_in):
    agreement = borken()
    sign_in(page, "ministerium")
    page.goto(f"/zielvereinbarungen/{agreement.pk}/endfassung/")
    page.get_by_role("button", name="Endfassung festlegen").click()
    page.get_by_role("link", name="Zurück zum Entwurf").click()
    check_accessibility(page)
    page.get_by_role("button", name="Zurück zum Entwurf").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Dieses Feld ist zwingend erforderlich."
    )
    check_accessibility(page)
    field(page, "Grund").fill("Zielwert K3 nachverhandelt")
    page.get_by_role("button", name="Zurück zum Entwurf").click()
    expect(page.get_by_role("status")).to_contain_text("wieder ein Entwurf")
    expect(page.get_by_text("Zielwert K3 nachverhandelt")).to_be_visible()
    check_accessibility(page)


def test_jobcenter_user_prints_own_agreement_only(page, demo, sign_in):
    sign_in(page, "borken")
    agreement = borken()
    page.goto(agreement.get_absolute_url())
    expect(page.get_by_role("link", name="Endfassung festlegen")).to_have_count(0)
    page.get_by_role("link", name="Druckansicht").click()
    check_accessibility(page)
    coesfeld = Agreement.objects.get(provider__short_name="Coesfeld", year=2014)
    for suffix in ("druckansicht/", "pdf/"):
        response = page.goto(f"/zielvereinbarungen/{coesfeld.pk}/{suffix}")
        assert response.status == 404

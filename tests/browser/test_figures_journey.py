"""Monthly figures in a real browser: entry with a plausibility comment,
import after a dry run, another provider's 404; axe on every new page."""

import re

from playwright.sync_api import expect

from indicators.models import Import, MonthlyValue

from .conftest import check_accessibility, login, screenshot

DEMO_PASSWORD = "zielsteuerung-demo"
CSV = (
    "\ufeffregionalschluessel;monat;merkmal;geschlecht;wert;datenstand\r\n"
    "05558;2025-01;elb;insgesamt;9.012;t0\r\n"
    "05558;2025-01;elb;frauen;4.550;t0\r\n"
    "05558;2025-01;elb;maenner;4462;t0\r\n"
    "05558;2025-01;llu_eur;insgesamt;4.123.456,78;t0\r\n"
)



def test_coesfeld_enters_a_month_with_a_comment_and_imports_a_file(
    page, demo, tmp_path
):
    login(page, "coesfeld", DEMO_PASSWORD)
    page.get_by_role("link", name="Monatswerte", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kreis Coesfeld")
    page.goto("/monatswerte/05558/2024/")
    check_accessibility(page)
    screenshot(page, "figures-year-2024")

    page.get_by_role("link", name="Dezember 2024").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dezember 2024")
    check_accessibility(page)
    total = page.get_by_label("Integrationen – insgesamt", exact=True)
    previous = int(total.input_value())
    total.fill(str(previous * 2))
    total.press("Enter")  # Enter saves

    expect(page.get_by_text("Auffällige Veränderung").first).to_be_visible()
    expect(total).to_have_value(str(previous * 2))  # nothing typed is lost
    check_accessibility(page)
    screenshot(page, "figures-grid-plausibility")
    comment = page.get_by_label("Kommentar zu Integrationen", exact=True)
    comment.fill("Jobmesse im Dezember mit vielen Einstellungen")
    comment.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("1 Wert geändert")
    expect(total).to_have_value(str(previous * 2))
    screenshot(page, "figures-grid-saved")

    page.get_by_role(
        "link", name=re.compile(r"^insgesamt\s*:\s*Integrationen$")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Verlauf")
    expect(page.get_by_text("Jobmesse im Dezember")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "figures-history")

    path = tmp_path / "statistik-2025-01.csv"
    path.write_text(CSV, encoding="utf-8")
    page.goto("/monatswerte/import/")
    check_accessibility(page)
    page.get_by_label("Datei (CSV oder XLSX)").set_input_files(str(path))
    page.get_by_role("button", name="Probelauf").click()
    expect(page.get_by_text("4 Zeilen: 4 neu, 0 geändert")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "figures-import-dry-run")
    assert not MonthlyValue.objects.filter(month__year=2025).exists()

    page.get_by_label("Datei (CSV oder XLSX)").set_input_files(str(path))
    page.get_by_role("button", name="Importieren").click()
    # While the file goes up, a progress bar with a live status is shown.
    expect(page.get_by_role("status").filter(has_text="4 neue")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "figures-import-done")
    assert MonthlyValue.objects.filter(month__year=2025).count() == 4
    assert Import.objects.get().file_name == "statistik-2025-01.csv"


def test_import_with_bad_rows_lists_them_and_passes_axe(page, demo, tmp_path):
    path = tmp_path / "fehler.csv"
    path.write_text(
        CSV + "05554;2025-01;elb;insgesamt;1;t0\r\n05558;2025-1;x;y;z;t9\r\n"
    )
    login(page, "coesfeld", DEMO_PASSWORD)
    page.goto("/monatswerte/import/")
    page.get_by_label("Datei (CSV oder XLSX)").set_input_files(str(path))
    page.get_by_role("button", name="Importieren").click()
    expect(page.get_by_role("alert")).to_contain_text("nichts gespeichert")
    expect(
        page.get_by_role("table", name="Fehlerhafte Zeilen").get_by_role("row")
    ).to_have_count(7)
    check_accessibility(page)
    screenshot(page, "figures-import-errors")
    assert not Import.objects.exists()


def test_ministry_sees_index_and_grid_with_reason_field(page, demo):
    login(page, "ministerium", DEMO_PASSWORD)
    page.get_by_role("link", name="Monatswerte", exact=True).click()
    check_accessibility(page)
    page.get_by_role("link", name="Kreis Borken").click()
    page.goto("/monatswerte/05554/2023-06/")
    expect(page.get_by_label("Grund der Korrektur")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "figures-grid-ministry")


def test_borken_gets_404_for_coesfelds_grid(page, demo):
    login(page, "borken", DEMO_PASSWORD)
    for url in [
        "/monatswerte/05558/2024-12/",
        "/monatswerte/05558/2024/",
        "/monatswerte/05558/2024-12/verlauf/elb/insgesamt/",
    ]:
        response = page.goto(url)
        assert response.status == 404
        expect(page.get_by_role("heading", name="Seite nicht gefunden")).to_be_visible()
    check_accessibility(page)


def test_import_page_shows_upload_progress(page, demo, tmp_path):
    """A slow connection: the upload's progress and then the check are announced."""
    rows = [
        f"05558;{year}-{month:02d};elb;{sex};{value};t3"
        for year in range(2001, 2012)
        for month in range(1, 13)
        for sex, value in [("insgesamt", 8000), ("frauen", 4000), ("maenner", 4000)]
    ]
    path = tmp_path / "gross.csv"
    path.write_text(CSV.splitlines()[0] + "\r\n" + "\r\n".join(rows) + "\r\n")
    login(page, "coesfeld", DEMO_PASSWORD)
    page.goto("/monatswerte/import/")
    progress = page.locator("#import-progress")
    expect(progress).to_be_hidden()
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": 50,
            "downloadThroughput": -1,
            "uploadThroughput": 10_000,
        },
    )
    page.get_by_label("Datei (CSV oder XLSX)").set_input_files(str(path))
    page.get_by_role("button", name="Probelauf").click()
    expect(progress).to_be_visible()
    expect(
        page.get_by_text(re.compile("Datei wird hochgeladen: \\d+ %"))
    ).to_be_visible()
    expect(
        page.get_by_role("heading", name=re.compile("Ergebnis des Probelaufs"))
    ).to_be_visible(timeout=60_000)
    check_accessibility(page)

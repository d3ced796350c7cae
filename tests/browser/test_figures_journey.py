"""Monthly figures in a real browser: entry with a plausibility comment, the
import a Jobcenter finds and uses (dry run, reason, import), the cockpit and
the calendar, complete → accept → reopen, the grid at 320 px, another
provider's 404; axe on every page."""

import datetime
import re
from decimal import Decimal

from playwright.sync_api import expect

from indicators import approval
from indicators.models import Import, MonthlyValue, ReportingCalendar, StagedImport
from zielsteuerung.accounts.models import Organisation, User

from .conftest import check_accessibility, screenshot

HEADER = "regionalschluessel;monat;merkmal;geschlecht;wert;datenstand"
CSV = (
    f"\ufeff{HEADER}\r\n"
    "05558;2025-01;elb;insgesamt;9.012;t0\r\n"
    "05558;2025-01;elb;frauen;4.550;t0\r\n"
    "05558;2025-01;elb;maenner;4462;t0\r\n"
    "05558;2025-01;llu_eur;insgesamt;4.123.456,78;t0\r\n"
)
DEC_2024 = datetime.date(2024, 12, 1)


def de(number):
    """3489 → ``3.489``, as the grid shows it."""
    return f"{number:,}".replace(",", ".")


def no_horizontal_scroll(page):
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url}: {width} px wide"


def test_coesfeld_enters_a_month_with_a_comment(page, demo, sign_in):
    sign_in(page, "coesfeld")
    page.get_by_role("link", name="Monatswerte", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kreis Coesfeld")
    page.goto("/monatswerte/05558/2024/")
    check_accessibility(page)
    screenshot(page, "figures-year-2024")

    page.get_by_role("link", name="Dezember 2024").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dezember 2024")
    check_accessibility(page)
    elb = page.get_by_label(
        "Erwerbsfähige Leistungsberechtigte (eLb) – insgesamt", exact=True
    )
    expect(elb).to_have_value("9.101")  # thousands separators, as everywhere
    total = page.get_by_label("Integrationen – insgesamt", exact=True)
    previous = int(total.input_value().replace(".", ""))
    total.fill(str(previous * 2))
    total.press("Enter")  # Enter saves

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile("^Fehler: "))
    expect(page.get_by_text("Auffällige Veränderung").first).to_be_visible()
    expect(total).to_have_value(str(previous * 2))  # nothing typed is lost
    expect(total).not_to_have_class(re.compile("is-invalid"))  # a warning
    check_accessibility(page)
    screenshot(page, "figures-grid-plausibility")
    summary.get_by_role("link").first.click()
    comment = page.get_by_label("Kommentar zu Integrationen", exact=True)
    expect(comment).to_be_focused()
    comment.fill("Jobmesse im Dezember mit vielen Einstellungen")
    comment.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("1 Wert geändert")
    expect(total).to_have_value(de(previous * 2))
    screenshot(page, "figures-grid-saved")

    page.get_by_role("link", name="Verlauf des Monats").click()
    expect(page.get_by_text("Jobmesse im Dezember").first).to_be_visible()
    check_accessibility(page)
    screenshot(page, "figures-month-history")
    page.get_by_role(
        "link", name=re.compile(r"^Integrationen \(insgesamt\)$")
    ).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Verlauf")
    check_accessibility(page)


def test_jobcenter_finds_the_import_dry_runs_gives_a_reason_and_imports(
    page, demo, tmp_path, sign_in
):
    december = MonthlyValue.objects.get(
        provider__regional_key="05558",
        month=DEC_2024,
        element__code="elb",
        sex="total",
    ).value
    jump = int(december * Decimal("2.19"))  # +119 %
    path = tmp_path / "statistik-2025-01.csv"
    path.write_text(
        f"\ufeff{HEADER}\r\n05558;2025-01;elb;insgesamt;{de(jump)};t0\r\n"
        "05558;2025-01;bg;insgesamt;4.700;t0\r\n",
        encoding="utf-8",
    )
    sign_in(page, "coesfeld")
    expect(page.get_by_role("heading", name="Überfällige Monatswerte")).to_be_visible()
    expect(page.get_by_role("link", name="Januar 2025")).to_be_visible()
    check_accessibility(page)

    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Import", exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Monatswerte importieren")
    check_accessibility(page)
    page.get_by_label("Datei (CSV oder XLSX)").set_input_files(str(path))
    page.get_by_role("button", name="Probelauf starten").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Probelauf: statistik-2025-01.csv"
    )
    expect(page).to_have_url(re.compile(r"/monatswerte/import/\d+/$"))
    expect(page.get_by_text("+119,0 % gegenüber Vormonat")).to_be_visible()
    expect(page.get_by_text("2 Werte würden sich ändern")).to_be_visible()
    assert not MonthlyValue.objects.filter(month__year=2025).exists()
    check_accessibility(page)
    screenshot(page, "figures-import-dry-run")

    page.get_by_role("button", name="Jetzt importieren").click()
    expect(page.locator("[data-error-summary]")).to_be_focused()
    expect(page).to_have_title(re.compile("^Fehler: "))
    assert not MonthlyValue.objects.filter(month__year=2025).exists()
    check_accessibility(page)

    page.get_by_label("Begründung zu Zeile 2").fill(
        "Zuzug aus der Ukraine, von der BA bestätigt"
    )
    page.get_by_role("button", name="Jetzt importieren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Importiert: statistik-2025-01.csv"
    )
    expect(page.get_by_role("status")).to_contain_text("2 neue")
    check_accessibility(page)
    screenshot(page, "figures-import-done")
    value = MonthlyValue.objects.get(
        month=datetime.date(2025, 1, 1), element__code="elb"
    )
    assert value.value == jump
    assert value.comment == "Zuzug aus der Ukraine, von der BA bestätigt"
    record = Import.objects.get()
    assert record.sha256 == StagedImport.objects.get().sha256


def test_ministry_sets_deadlines_accepts_and_reopens_a_month(page, demo, sign_in):
    coesfeld = Organisation.objects.get(regional_key="05558")
    approval.reporting_month_complete(
        provider=coesfeld,
        month=DEC_2024,
        acting_user=User.objects.get(username="coesfeld"),
    )
    sign_in(page, "ministerium")
    page.get_by_role("link", name="Meldestand", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"^Meldestand \d{4}$")
    )
    check_accessibility(page)
    page.goto("/monatswerte/meldestand/2024/")
    coesfeld_row = page.get_by_role("row").filter(has_text="Coesfeld")
    expect(coesfeld_row.get_by_text("vollständig")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "figures-cockpit-ministry")

    page.get_by_role("link", name="Meldefristen").click()
    check_accessibility(page)
    page.get_by_label("Meldefrist: Tag des Folgemonats").fill("15")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("status")).to_contain_text("gespeichert")
    expect(page.get_by_text("bis zum 15. des Folgemonats")).to_be_visible()
    assert ReportingCalendar.objects.get().due_day == 15
    check_accessibility(page)

    page.goto("/monatswerte/05558/2024-12/")
    page.get_by_role("button", name="Monat abnehmen").click()
    expect(page.get_by_role("status")).to_contain_text("abgenommen")
    expect(page.get_by_text("abgenommen und gesperrt").first).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Wieder öffnen …").click()
    check_accessibility(page)
    page.get_by_label("Grund für die Wiederöffnung").fill("Revision der BA")
    page.get_by_role("button", name="Wieder öffnen").click()
    expect(page.get_by_role("status")).to_contain_text("wieder geöffnet")
    page.get_by_role("link", name="Verlauf des Monats").click()
    expect(page.get_by_text("Revision der BA")).to_be_visible()
    check_accessibility(page)


def test_grid_and_new_pages_reflow_at_320_px(page, demo, sign_in):
    page.set_viewport_size({"width": 320, "height": 800})
    sign_in(page, "coesfeld")
    page.goto("/monatswerte/05558/2024-12/")
    no_horizontal_scroll(page)
    check_accessibility(page)
    screenshot(page, "figures-grid-320")
    women = page.get_by_label(
        "Erwerbsfähige Leistungsberechtigte (eLb) – Frauen", exact=True
    )
    expect(women).to_be_visible()
    women.fill("zwölf")
    women.press("Enter")
    expect(page.locator("[data-error-summary]")).to_be_focused()
    no_horizontal_scroll(page)
    check_accessibility(page)
    screenshot(page, "figures-grid-320-error")
    for url in (
        "/monatswerte/meldestand/2024/",
        "/monatswerte/meldefristen/",
        "/monatswerte/import/",
        "/monatswerte/05558/2024-12/verlauf/",
    ):
        page.goto(url)
        no_horizontal_scroll(page)


def test_import_with_bad_rows_lists_them_and_passes_axe(page, demo, tmp_path, sign_in):
    path = tmp_path / "fehler.csv"
    path.write_text(
        CSV + "05554;2025-01;elb;insgesamt;1;t0\r\n05558;2025-1;x;y;z;t9\r\n"
    )
    sign_in(page, "coesfeld")
    page.goto("/monatswerte/import/")
    page.get_by_label("Datei (CSV oder XLSX)").set_input_files(str(path))
    page.get_by_role("button", name="Probelauf starten").click()
    expect(page.get_by_role("alert")).to_contain_text("nicht importiert werden")
    expect(
        page.get_by_role("table", name="Fehlerhafte Zeilen").get_by_role("row")
    ).to_have_count(7)
    expect(page.get_by_role("button", name="Jetzt importieren")).to_have_count(0)
    check_accessibility(page)
    screenshot(page, "figures-import-errors")
    assert not Import.objects.exists()


def test_ministry_sees_index_and_grid_with_reason_field(page, demo, sign_in):
    sign_in(page, "ministerium")
    page.get_by_role("link", name="Monatswerte", exact=True).click()
    check_accessibility(page)
    page.get_by_role("link", name="Kreis Borken").click()
    page.goto("/monatswerte/05554/2023-06/")
    expect(page.get_by_label("Grund der Korrektur")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "figures-grid-ministry")


def test_borken_gets_404_for_coesfelds_pages_and_sees_only_its_own_row(
    page, demo, sign_in
):
    sign_in(page, "borken")
    for url in [
        "/monatswerte/05558/2024-12/",
        "/monatswerte/05558/2024/",
        "/monatswerte/05558/2024-12/verlauf/elb/insgesamt/",
        "/monatswerte/05558/2024-12/verlauf/",
        "/monatswerte/05558/2024/werte.csv",
    ]:
        response = page.goto(url)
        assert response.status == 404
        expect(page.get_by_role("heading", name="Seite nicht gefunden")).to_be_visible()
    check_accessibility(page)
    page.goto("/monatswerte/meldestand/2024/")
    expect(page.get_by_role("row").filter(has_text="Borken")).to_have_count(1)
    expect(page.get_by_text("Coesfeld")).to_have_count(0)
    check_accessibility(page)
    screenshot(page, "figures-cockpit-jobcenter")


def test_import_page_shows_upload_progress(page, demo, tmp_path, sign_in):
    """A slow connection: the upload's progress and then the check are announced."""
    rows = [
        f"05558;{year}-{month:02d};elb;{sex};{value};t3"
        for year in range(2001, 2012)
        for month in range(1, 13)
        for sex, value in [("insgesamt", 8000), ("frauen", 4000), ("maenner", 4000)]
    ]
    path = tmp_path / "gross.csv"
    path.write_text(HEADER + "\r\n" + "\r\n".join(rows) + "\r\n")
    sign_in(page, "coesfeld")
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
            "uploadThroughput": 8_000,  # 12 kB: 1.5 s of upload to watch
        },
    )
    page.get_by_label("Datei (CSV oder XLSX)").set_input_files(str(path))
    page.get_by_role("button", name="Probelauf starten").click()
    expect(progress).to_be_visible()
    expect(
        page.get_by_text(re.compile("Datei wird hochgeladen: \\d+ %"))
    ).to_be_visible()
    expect(
        page.get_by_role("heading", name=re.compile("Probelauf: gross.csv"))
    ).to_be_visible(timeout=60_000)
    check_accessibility(page)

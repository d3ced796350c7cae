"""The printed agreement: content of both demo agreements, marks, pages, fonts."""

import datetime
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from agreements.models import Agreement, AgreementStatus, FocusArea
from agreements.pdf import (
    PDF_BASE_URL,
    RefusedURL,
    html_to_pdf,
    render_agreement_html,
    render_agreement_pdf,
    static_file_for,
    static_url_fetcher,
)
from agreements.printing import headings_of
from agreements.wording import target_text
from zielsteuerung.numbers import format_decimal

from .pdftools import normalise, pdf_pages, pdf_reader, pdf_text, xmp

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
STATIC = PDF_BASE_URL + "static/"


@pytest.fixture
def demo(seeds):
    """The two seed agreements of the demo (no figures: printing needs none)."""


SEED_YEARS = {"Coesfeld": 2014, "Borken": 2023}


def demo_agreement(short_name):
    """One of the two seed agreements of the demo."""
    return Agreement.objects.get(
        provider__short_name=short_name, year=SEED_YEARS[short_name]
    )


def targets_of(agreement):
    return [t for goal in agreement.goals.all() for t in goal.targets.all()]


# --- content -------------------------------------------------------------------


@pytest.mark.parametrize("short_name", ["Coesfeld", "Borken"])
def test_pdf_contains_parties_goals_and_targets_of_demo_agreement(demo, short_name):
    agreement = demo_agreement(short_name)
    text = pdf_text(render_agreement_pdf(agreement))

    assert f"im Jahr {agreement.year}" in text
    for party in agreement.parties.all():
        assert party.name in text
        assert f"vertreten durch {party.representative}" in text
    assert "Gemäß § 48b Abs. 1 S. 1 Nr. 4 SGB II schließen" in text
    assert "Präambel" in text
    assert normalise(agreement.preamble.split("\n")[0]) in text
    assert normalise(agreement.references.split("\n\n")[-1]) in text
    for area in FocusArea.objects.of(agreement.provider.supervisor, agreement.year):
        assert area.title in text
    for goal in agreement.goals.all():
        assert goal.title in text
        assert goal.number in text
    for target in targets_of(agreement):
        printed = target_text(target, agreement.year)
        assert normalise(printed.sentence) in text
        if target.target_value is not None:
            assert format_decimal(abs(target.target_value)) in text
        if target.baseline_value is not None:
            assert format_decimal(target.baseline_value) in text
    headings = headings_of(agreement)
    assert headings["goals"] in text
    assert headings["cooperation"] in text


def test_pdf_states_the_targets_as_sentences_in_german_format(demo):
    coesfeld = pdf_text(render_agreement_pdf(demo_agreement("Coesfeld")))
    for expected in [
        "1. Ziele für das Jobcenter des Kreises Coesfeld 2014",
        "Das Ziel ist für 2014 erreicht, wenn die Integrationsquote (K2) im "
        "Dezember 2014 (t-0) mindestens 25,4 % beträgt. Gegenüber dem "
        "Ausgangswert für Dezember 2013 (t-0) von 22,5 % bedeutet das einen "
        "Anstieg um 12,9 %.",
        "gegenüber dem Ausgangswert für Dezember 2013 von 3.489 um höchstens "
        "0,5 % steigt.",
        "auf höchstens 4.400",
        "Für bis zu 20 arbeitsmarktferne",
        "2. Dialoge zur Zielsteuerung",
    ]:
        assert expected in coesfeld
    # No technical lines: the contract states its targets in sentences only.
    assert "Zielwert:" not in coesfeld
    assert "Ausgangswert:" not in coesfeld
    borken = pdf_text(render_agreement_pdf(demo_agreement("Borken")))
    for expected in [
        "• Veränderung der absoluten Zahl der Integrationen",
        "gegenüber dem Vorjahr um mindestens 12,6 % steigt.",
        "gegenüber dem Vorjahr um mindestens 5,2 % sinkt.",
        "gegenüber dem Vorjahr um mindestens 6,6 % steigt.",
        "nicht steigt (Veränderung: 0 Prozentpunkte).",
        "1. Ziele 2023",
        "2. Zusammenarbeit",
    ]:
        assert expected in borken


def test_pdf_has_signature_block_with_place_date_party_and_signatory(demo):
    text = pdf_text(render_agreement_pdf(demo_agreement("Coesfeld")))
    assert "Düsseldorf, den 2.6.2014" in text
    assert "Coesfeld, den 9.5.2014" in text
    assert (
        "Für das Ministerium für Arbeit, Integration und Soziales des Landes "
        "Nordrhein-Westfalen" in text
    )
    assert "Für den Kreis Coesfeld" in text
    assert "In Vertretung" in text
    # Two columns, read row by row: the names, then the functions.
    assert "Dr. Wilhelm Schäffer Konrad Püning Staatssekretär Landrat" in text


def test_pdf_leaves_lines_for_missing_signing_dates(demo):
    text = pdf_text(render_agreement_pdf(demo_agreement("Borken")))
    assert "Düsseldorf, den ____" in text
    assert "Borken, den ____" in text
    # Only the ministry signs "In Vertretung" in 2023.
    assert text.count("In Vertretung") == 1


# --- draft mark, pages, header ---------------------------------------------------


def test_draft_prints_entwurf_and_print_date_on_every_page(demo):
    agreement = demo_agreement("Borken")
    assert agreement.is_editable
    data = render_agreement_pdf(agreement, printed_on=datetime.date(2026, 3, 5))
    pages = pdf_pages(data)
    assert len(pages) > 1
    for page in pages:
        assert "ENTWURF – gedruckt am 5.3.2026" in normalise(page)


def test_agreement_in_negotiation_is_still_a_draft(demo):
    agreement = demo_agreement("Borken")
    assert agreement.status == AgreementStatus.NEGOTIATION
    assert "ENTWURF" in pdf_text(render_agreement_pdf(agreement))


@pytest.mark.parametrize("status", [AgreementStatus.FINAL, AgreementStatus.SIGNED])
def test_final_and_signed_agreements_print_without_draft_mark(demo, status):
    agreement = demo_agreement("Coesfeld")
    # Only the status matters to the print: set in memory, as the demo's
    # agreement is final and refuses to be saved.
    agreement.status, agreement.archive_sha256 = status, "0" * 64
    text = pdf_text(render_agreement_pdf(agreement))
    assert "ENTWURF" not in text
    assert "gedruckt am" not in text


def test_every_page_says_seite_x_von_y_and_header_starts_on_page_two(demo):
    pages = pdf_pages(render_agreement_pdf(demo_agreement("Coesfeld")))
    total = len(pages)
    assert total >= 3
    header = "Zielvereinbarung 2014 – Kreis Coesfeld"
    for number, page in enumerate(pages, start=1):
        assert f"Seite {number} von {total}" in page
        if number > 1:
            assert normalise(page).startswith(header) or header in page.split("\n")[0]
    assert "Seite 1 von" in pages[0]
    assert header not in pages[0].split("\n")[0]


# --- the file itself: A4, tagged, fonts ----------------------------------------------


def test_pdf_is_a4_tagged_pdf_ua_with_german_language(demo):
    data = render_agreement_pdf(demo_agreement("Borken"))
    reader = pdf_reader(data)
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width) / 72 * 25.4), round(float(height) / 72 * 25.4)) == (
        210,
        297,
    )
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in root
    assert str(root["/Lang"]).startswith("de")
    assert "pdfuaid:part" in xmp(data)
    assert reader.metadata.title == "Zielvereinbarung 2023 – Kreis Borken"


def test_pdf_embeds_only_the_vendored_liberation_sans(demo, tmp_path):
    path = tmp_path / "borken.pdf"
    path.write_bytes(render_agreement_pdf(demo_agreement("Borken")))
    fonts = subprocess.run(
        ["pdffonts", str(path)],
        capture_output=True,
        check=True,
        text=True,
    ).stdout.splitlines()[2:]
    assert fonts
    for line in fonts:
        assert "Liberation-Sans" in line
        assert " yes yes yes " in line  # embedded, subset, with Unicode map


# --- only static files may be fetched ----------------------------------------------


def test_fetcher_serves_the_print_stylesheet_and_fonts():
    fetcher = static_url_fetcher()
    css = fetcher.fetch(STATIC + "css/print.css")
    assert b"@font-face" in css.read()
    assert css.content_type == "text/css"
    font = fetcher.fetch(STATIC + "fonts/LiberationSans-Regular.ttf")
    assert len(font.read()) > 100_000


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.org/style.css",
        "https://zielsteuerung.invalid/media/secret.pdf",
        "https://zielsteuerung.invalid.example.org/static/css/print.css",
        STATIC + "../zielsteuerung/settings.py",
        STATIC + "%2e%2e/zielsteuerung/settings.py",
        STATIC + "css/../../manage.py",
        STATIC + "/etc/passwd",
        STATIC + "css/print.css?x=1",
        STATIC + "css/does-not-exist.css",
        "data:text/css,body{color:red}",
    ],
)
def test_fetcher_refuses_everything_outside_static(url):
    with pytest.raises(RefusedURL):
        static_file_for(url)
    with pytest.raises(RefusedURL):
        static_url_fetcher().fetch(url)


def test_rendering_does_not_embed_a_local_file(caplog, write_pdf_each_time):
    image = Path("static/favicon.svg").resolve()
    html = (
        f'<html lang="de"><body><p>Text</p><img src="file://{image}" alt="x">'
        '<img src="http://127.0.0.1:9/x.png" alt="y"></body></html>'
    )
    # laid out now, not taken from an earlier test: the refusals are logged
    reader = pdf_reader(write_pdf_each_time(html, {}))
    resources = reader.pages[0]["/Resources"].get_object()
    assert not resources.get("/XObject")
    assert caplog.text.count("RefusedURL") == 2


def test_the_same_document_is_laid_out_to_the_same_bytes(
    agreement, write_pdf_each_time
):
    """What lets the tests lay out each document once (conftest)."""
    html = render_agreement_html(agreement)
    options = {"pdf_variant": "pdf/ua-1"}
    first = write_pdf_each_time(html, options)
    assert write_pdf_each_time(html, options) == first
    assert html_to_pdf(html, **options) == first


# --- the view: ministry, own provider, other provider --------------------------------


def test_ministry_downloads_pdf(client_for, ministry_user, agreement):
    response = client_for(ministry_user).get(
        reverse("agreements:pdf", args=[agreement.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert (
        "Zielvereinbarung-2014-Coesfeld-Fassung-1.pdf"
        in (response["Content-Disposition"])
    )


def test_own_provider_downloads_its_pdf(client_for, coesfeld_user, agreement):
    response = client_for(coesfeld_user).get(
        reverse("agreements:pdf", args=[agreement.pk])
    )
    assert response.status_code == 200
    assert "Kreis Coesfeld" in pdf_text(response.content)


def test_other_provider_gets_404_for_pdf(client_for, borken_user, agreement):
    response = client_for(borken_user).get(
        reverse("agreements:pdf", args=[agreement.pk])
    )
    assert response.status_code == 404


def test_pdf_needs_login(client, agreement):
    response = client.get(reverse("agreements:pdf", args=[agreement.pk]))
    assert response.status_code == 302


# --- pictures to look at ---------------------------------------------------------


@pytest.mark.parametrize("short_name", ["Coesfeld", "Borken"])
def test_render_demo_agreements_to_png_for_review(demo, short_name, tmp_path):
    """Keeps test-artifacts/pdf-<Träger>-<page>.png for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = tmp_path / f"{short_name}.pdf"
    data = render_agreement_pdf(demo_agreement(short_name))
    path.write_bytes(data)
    prefix = ARTIFACTS / f"pdf-{short_name.lower()}"
    subprocess.run(
        ["pdftoppm", "-r", "70", "-png", str(path), str(prefix)],
        check=True,
    )
    pngs = sorted(ARTIFACTS.glob(f"pdf-{short_name.lower()}-*.png"))
    assert len(pngs) == len(pdf_pages(data))

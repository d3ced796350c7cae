"""The main journeys of the foundation, in a real browser, checked with axe."""

import re

import pytest
from playwright.sync_api import expect

from agreements.models import Agreement

from .conftest import check_accessibility, field, login, screenshot

DEMO_PASSWORD = "zielsteuerung-demo"


def test_ministry_writes_an_agreement_and_sees_the_history(page, demo):
    login(page, "ministerium", DEMO_PASSWORD)
    check_accessibility(page)

    page.get_by_role("link", name="Zielvereinbarungen", exact=True).first.click()
    page.get_by_role("link", name="Neue Zielvereinbarung", exact=True).click()
    check_accessibility(page)
    field(page, "Träger").select_option(label="Kreis Warendorf")
    field(page, "Jahr").fill("2024")
    page.get_by_label("Inhalte aus der Vereinbarung des Vorjahres übernehmen").uncheck()
    page.get_by_role("button", name="Anlegen").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Kreis Warendorf")
    check_accessibility(page)
    field(page, "Präambel").fill(
        "Die Partner wollen möglichst viele Menschen in Arbeit bringen."
    )
    page.get_by_label("Vertreten durch").first.fill("Matthias Heidmeier")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("status")).to_contain_text("gespeichert")

    _add_goal(page, "I", "Verringerung der Hilfebedürftigkeit")
    _add_goal(page, "II", "Verbesserung der Integration in Erwerbstätigkeit")
    check_accessibility(page)

    _add_target(
        page,
        goal="I",
        kind="Veränderung gegenüber dem Vorjahr",
        indicator="K3 – Durchschnittlicher Bestand an Langzeitleistungsbeziehenden",
        comparator="höchstens",
        values={"Zielwert": "-5,2"},
        sentence="um mindestens 5,2 % sinkt.",
    )
    _add_target(
        page,
        goal="II",
        kind="Wert einer Kennzahl",
        indicator="K2 – Integrationsquote",
        comparator="mindestens",
        values={
            "Zielwert": "25,4",
            "Vereinbarter Ausgangswert": "22,5",
            "Ausgangswert: Jahr": "2023",
            "Entspricht einer Veränderung um": "12,9",
        },
        sentence="mindestens 25,4 % beträgt.",
    )
    _add_qualitative_target(page, goal="II")
    screenshot(page, "agreement-detail-new")

    # Change the K2 target from 25,4 to 26: the stated change no longer fits.
    page.get_by_role(
        "link",
        name=re.compile(
            "Bearbeiten Zielvorgabe „Das Ziel ist für 2024 erreicht, wenn die Integrationsquote"
        ),
    ).click()
    expect(field(page, "Zielwert")).to_have_value("25,4")
    field(page, "Zielwert").fill("26")
    page.get_by_role("button", name="Speichern").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("nicht um +12,9 %")
    expect(summary).to_be_focused()
    assert page.title().startswith("Fehler: ")
    check_accessibility(page)
    screenshot(page, "target-form-error-summary")
    summary.get_by_role("link").first.click()
    expect(field(page, "Entspricht einer Veränderung um")).to_be_focused()
    field(page, "Entspricht einer Veränderung um").fill("15,6")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("status")).to_contain_text("gespeichert")
    document = page.get_by_role("article", name="Text der Vereinbarung")
    expect(document).to_contain_text("mindestens 26 % beträgt")
    expect(document).to_contain_text("einen Anstieg um 15,6 %")
    expect(document).not_to_contain_text("25,4")

    history = page.get_by_role("table", name="Wer hat wann was geändert")
    first_row = history.get_by_role("row").nth(1)
    expect(first_row).to_contain_text("Maria Schneider")
    expect(first_row).to_contain_text("Zielwert")
    expect(first_row).to_contain_text("25,4")
    expect(first_row).to_contain_text("26")
    check_accessibility(page)
    screenshot(page, "agreement-history")

    agreement = Agreement.objects.get(provider__short_name="Warendorf", year=2024)
    targets = [t for goal in agreement.goals.all() for t in goal.targets.all()]
    assert sorted(t.kind for t in targets) == ["change", "level", "qualitative"]


def _add_goal(page, number, title):
    page.get_by_role("link", name="Ziel hinzufügen").first.click()
    check_accessibility(page)
    field(page, "Nummer").fill(number)
    field(page, "Titel").fill(title)
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("heading", name=f"{number}. {title}")).to_be_visible()


def _add_target(page, *, goal, kind, indicator, comparator, values, sentence):
    page.get_by_role(
        "link", name=f"Zielvorgabe hinzufügen zu Ziel {goal}", exact=True
    ).click()
    field(page, "Art").select_option(label=kind)
    field(page, "Kennzahl").select_option(label=indicator)
    field(page, "Erreicht bei").select_option(label=comparator)
    for label, value in values.items():
        field(page, label).fill(value)
    page.get_by_role("button", name="Vorschau anzeigen").click()
    preview = page.get_by_role(
        "region", name="So steht die Zielvorgabe in der Vereinbarung"
    )
    expect(preview).to_contain_text(sentence)
    check_accessibility(page)
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text(sentence).first).to_be_visible()


def _add_qualitative_target(page, *, goal):
    page.get_by_role(
        "link", name=f"Zielvorgabe hinzufügen zu Ziel {goal}", exact=True
    ).click()
    field(page, "Art").select_option(label="Qualitatives Ziel")
    expect(field(page, "Zielwert")).to_be_hidden()
    field(page, "Eigener Zielsatz").fill(
        "Bis zum {frist} liegt ein Konzept für Alleinerziehende vor."
    )
    field(page, "Frist").fill("2024-12-31")
    page.get_by_role("button", name="Speichern").click()
    expect(
        page.get_by_text(
            "Bis zum 31.12.2024 liegt ein Konzept für Alleinerziehende vor."
        )
    ).to_be_visible()


@pytest.mark.full_motion
def test_bad_input_is_explained_and_kept(page, demo, sign_in):
    sign_in(page, "ministerium")
    page.goto("/zielvereinbarungen/neu/")
    field(page, "Träger").select_option(label="Kreis Coesfeld")
    field(page, "Jahr").fill("2014")
    page.get_by_role("button", name="Anlegen").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("schon eine Zielvereinbarung")
    expect(summary).to_be_focused()
    expect(page.get_by_text("schon eine Zielvereinbarung")).to_have_count(2)
    expect(field(page, "Jahr")).to_have_value("2014")
    check_accessibility(page)


@pytest.mark.full_motion
def test_jobcenter_user_reads_own_agreement_and_gets_404_for_others(
    page, demo, sign_in
):
    sign_in(page, "coesfeld")
    check_accessibility(page)
    page.get_by_role("link", name="Zielvereinbarungen", exact=True).click()
    check_accessibility(page)
    page.get_by_role("row").filter(has_text="2014").get_by_role(
        "link", name="Kreis Coesfeld"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("2014")
    expect(page.get_by_text("Nur lesen")).to_be_visible()
    expect(
        page.get_by_role("link", name="Texte und Parteien bearbeiten")
    ).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("^Bearbeiten"))).to_have_count(0)
    expect(page.get_by_text("mindestens 25,4 % beträgt")).not_to_have_count(0)
    check_accessibility(page)
    screenshot(page, "coesfeld-2014-readonly")

    borken = Agreement.objects.get(provider__short_name="Borken", year=2023)
    response = page.goto(f"/zielvereinbarungen/{borken.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Seite nicht gefunden")).to_be_visible()
    check_accessibility(page)


def test_every_agreement_page_passes_axe(page, demo, sign_in):
    """axe reports no WCAG 2.1 A/AA violation on any page of the foundation."""
    agreement = Agreement.objects.get(provider__short_name="Borken", year=2023)
    goal = agreement.goals.first()
    target = goal.targets.first()
    base = f"/zielvereinbarungen/{agreement.pk}"
    sign_in(page, "ministerium")
    for url in [
        "/",
        "/zielvereinbarungen/?year=2014&status=draft",
        f"{base}/fortschritt/",
        f"{base}/vorgaben/{target.pk}/zahlen-bestaetigen/",
        "/uebersicht/2023/",
        "/uebersicht/2023/landesziele/",
        f"/organisationen/{agreement.provider_id}/namen/",
        "/zielvereinbarungen/?year=1999",
        f"{base}/",
        f"{base}/bearbeiten/",
        f"{base}/ziele/neu/",
        f"{base}/ziele/{goal.pk}/bearbeiten/",
        f"{base}/ziele/{goal.pk}/loeschen/",
        f"{base}/ziele/{goal.pk}/vorgaben/neu/",
        f"{base}/vorgaben/{target.pk}/bearbeiten/",
        f"{base}/vorgaben/{target.pk}/loeschen/",
        "/passwort/",
        "/gibt-es-nicht/",
    ]:
        response = page.goto(url)
        assert response.status == (404 if "gibt-es-nicht" in url else 200), url
        check_accessibility(page)
    # A form with errors must pass too.
    page.goto(f"{base}/ziele/{goal.pk}/vorgaben/neu/")
    page.get_by_role("button", name="Speichern").click()
    expect(
        page.get_by_text("Dieses Feld ist zwingend erforderlich.").first
    ).to_be_visible()
    check_accessibility(page)

"""One truth per target: what is agreed is what is printed and what is judged.

Tests that cross features: the target form, the page, the PDF, the final
version, the progress page and the overview must never state different
numbers for the same target.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from agreements import services
from agreements.models import AgreementStatus, LandTarget, Target
from agreements.pdf import render_agreement_pdf
from agreements.wording import short_rule, target_text, unconfirmed_conflicts
from tests import factories
from tests.conftest import months
from zielsteuerung.accounts.services import organisation_version

from .pdftools import pdf_text

pytestmark = pytest.mark.django_db


def _document(response):
    """The text of the agreement itself on its page (not the history)."""
    html = response.content.decode().replace("\xa0", " ")
    match = re.search(r"<article.*?</article>", html, re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0)))


def _target_post(target, **changes):
    data = {
        "kind": target.kind,
        "local": "",
        "indicator": target.indicator,
        "comparator": target.comparator,
        "target_value": str(target.target_value).replace(".", ","),
        "tolerance": "",
        "unit": target.unit,
        "subject": "",
        "data_status": target.data_status,
        "baseline_value": "22,5",
        "baseline_year": "2013",
        "baseline_month": "12",
        "baseline_data_status": "",
        "target_change": "12,9",
        "label": "",
        "intro": "",
        "sentence": "",
        "closing": "",
        "deadline": "",
        "version": services.target_version(target),
    }
    data.update(changes)
    return data


def test_changing_a_target_value_changes_every_sentence_that_states_it(
    client_for, ministry_user, agreement
):
    """Coesfeld 2014: K2 from 25,4 % (+12,9 %) to 25,6 % (+13,8 %)."""
    client = client_for(ministry_user)
    target = Target.objects.get(goal__agreement=agreement)
    detail = reverse("agreements:detail", args=[agreement.pk])
    before = _document(client.get(detail))
    assert "mindestens 25,4 % beträgt" in before
    assert "einen Anstieg um 12,9 %" in before

    url = reverse("agreements:target_update", args=[agreement.pk, target.pk])
    refused = client.post(url, _target_post(target, target_value="25,6"))
    assert refused.status_code == 200  # +12,9 % no longer fits 25,6 %
    assert "nicht um +12,9 %" in str(refused.context["form"].errors["target_change"])
    saved = client.post(
        url, _target_post(target, target_value="25,6", target_change="13,8")
    )
    assert saved.status_code == 302

    after = _document(client.get(detail))
    assert "mindestens 25,6 % beträgt" in after
    assert "einen Anstieg um 13,8 %" in after
    assert "25,4" not in after
    assert "12,9" not in after
    printed = pdf_text(render_agreement_pdf(agreement))
    assert "mindestens 25,6 % beträgt" in printed
    assert "Anstieg um 13,8 %" in printed
    assert "25,4" not in printed
    preview = client.get(reverse("agreements:preview", args=[agreement.pk]))
    assert "25,4" not in preview.content.decode().replace("\xa0", " ")


def test_an_own_sentence_with_a_literal_number_blocks_the_final_version(
    client_for, ministry_user, agreement
):
    client = client_for(ministry_user)
    target = Target.objects.get(goal__agreement=agreement)
    url = reverse("agreements:target_update", args=[agreement.pk, target.pk])
    own = "Die Integrationsquote soll 2014 auf 25,4 % steigen."
    client.post(
        url,
        _target_post(target, target_value="25,6", target_change="13,8", sentence=own),
    )
    target.refresh_from_db()
    conflicts = unconfirmed_conflicts(target, 2014)
    assert [c.text for c in conflicts] == ["25,4 %"]
    page = client.get(reverse("agreements:detail", args=[agreement.pk]))
    assert "Zahlen im Text prüfen" in page.content.decode()

    finalize = reverse("agreements:finalize", args=[agreement.pk])
    response = client.post(finalize, follow=True)
    assert "kann noch nicht festgelegt werden" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DRAFT

    confirm = reverse(
        "agreements:target_confirm_numbers", args=[agreement.pk, target.pk]
    )
    assert client.post(confirm, {"reason": ""}).status_code == 200
    response = client.post(confirm, {"reason": "Der Wert des Vorjahresplans, bewusst"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert unconfirmed_conflicts(target, 2014) == []
    assert client.post(finalize).status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.FINAL


def test_a_confirmation_lapses_when_text_or_values_change(ministry_user, agreement):
    target = Target.objects.get(goal__agreement=agreement)
    target.sentence = "Ziel: 25,0 % im Dezember {jahr}."
    target.save()
    services.target_numbers_confirm(
        target=target, acting_user=ministry_user, reason="gerundet"
    )
    assert unconfirmed_conflicts(target, 2014) == []
    target.target_value = Decimal("25.5")
    target.target_change = None
    target.save()
    assert [c.text for c in unconfirmed_conflicts(target, 2014)] == ["25,0 %"]


@pytest.mark.parametrize(
    ("user_fixture", "status"),
    [
        ("ministry_user", 200),
        ("ministry_reader", 403),
        ("coesfeld_user", 403),
        ("borken_user", 404),
    ],
)
def test_confirm_numbers_page_for_every_user(
    request, client_for, agreement, user_fixture, status
):
    target = Target.objects.get(goal__agreement=agreement)
    url = reverse("agreements:target_confirm_numbers", args=[agreement.pk, target.pk])
    client = client_for(request.getfixturevalue(user_fixture))
    assert client.get(url).status_code == status
    assert client.post(url, {"reason": "x"}).status_code in (status, 200)
    target.refresh_from_db()
    assert target.numbers_confirmed_reason == ""  # nothing to confirm anyway


# --- units come from the indicator ------------------------------------------------


def test_a_kind_change_re_derives_the_unit(client_for, ministry_user, coesfeld):
    """A copied K3 change target switched to a level is in persons, not per cent."""
    goal = factories.goal(factories.agreement(coesfeld, 2015, status="draft"))
    target = factories.change_target(
        goal,
        "k3",
        "0.5",
        comparator="lte",
        baseline_value=3588,
        baseline_year=2014,
        baseline_month=12,
    )
    assert short_rule(target) == ("höchstens +0,5 % gegenüber 3.588 (Dezember 2014)")
    url = reverse("agreements:target_update", args=[goal.agreement_id, target.pk])
    response = client_for(ministry_user).post(
        url,
        _target_post(
            target,
            kind="level",
            target_value="3.500",
            baseline_value="3.588",
            baseline_year="2014",
            target_change="",
        ),
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.value_unit == "persons"
    assert short_rule(target) == "höchstens 3.500"
    text = target_text(target, 2015).sentence
    assert "höchstens 3.500 beträgt" in text
    assert "3.588" in text
    assert "%" not in text.split("bedeutet das")[0]


def test_the_gap_is_in_percentage_points_everywhere(
    client_for, ministry_user, borken, put_figures
):
    agreement = factories.agreement(borken, 2023)
    goal = factories.goal(agreement)
    factories.target(goal, kind="monitoring", indicator="k2_abstand")
    for sex, share in (("men", 60), ("women", 40)):
        put_figures(borken, "integrationen", months(2022, 1, 24, share), sex=sex)
        put_figures(borken, "elb", months(2021, 12, 25, 5000), sex=sex)
    put_figures(borken, "integrationen", months(2022, 1, 24, 100))
    client = client_for(ministry_user)
    progress = client.get(reverse("agreements:progress", args=[agreement.pk]))
    content = re.sub(r"\s+", " ", progress.content.decode().replace("\xa0", " "))
    assert "Stand Dezember 2023: <strong>0,0 Prozentpunkte</strong>" in content
    overview = client.get(reverse("overview", args=[2023]))
    cells = [c for row in overview.context["overview"].land_rows for c in row.cells]
    assert {cell.text for cell in cells} == {"0,0 Prozentpunkte"}
    assert "0,0 %" not in overview.content.decode()


# --- the agreed baseline ---------------------------------------------------------


def test_progress_shows_both_baselines_and_which_one_counts(
    client_for, coesfeld_user, coesfeld, put_figures
):
    agreement = factories.agreement(coesfeld, 2014)
    goal = factories.goal(agreement, number="III", title="LZB")
    target = factories.change_target(
        goal,
        "k3",
        "0.5",
        comparator="lte",
        baseline_value=3489,
        baseline_year=2013,
        baseline_month=12,
    )
    # The figures say 3,588 in December 2013; 2014 averages 3,506.
    put_figures(coesfeld, "lzb", months(2013, 1, 12, 3588) | months(2014, 1, 12, 3506))
    response = client_for(coesfeld_user).get(
        reverse("agreements:progress", args=[agreement.pk])
    )
    content = response.content.decode().replace("\xa0", " ")
    row = next(
        row
        for _goal, rows in response.context["goals"]
        for row in rows
        if row.target == target
    )
    assert row.actual_text == "+0,5 %"  # 3,506 ÷ 3,489 − 1, not ÷ 3,588
    assert row.badge[0] == "erreicht"
    assert [(r[0], r[1], r[3]) for r in row.baseline_rows] == [
        ("vereinbart", "3.489", True),
        ("laut Monatswerten", "3.588", False),
    ]
    assert "maßgeblich" in content


# --- names in every state ----------------------------------------------------------


@pytest.fixture
def bavaria(db):
    from zielsteuerung.accounts.models import Organisation

    ministry = Organisation.objects.create(
        kind="ministry",
        name="Bayerisches Staatsministerium für Familie, Arbeit und Soziales",
        short_name="StMAS",
        regional_key="09",
        seat="München",
        state_name="Bayern",
    )
    erlangen = Organisation.objects.create(
        kind="provider",
        name="Stadt Erlangen",
        short_name="Erlangen",
        regional_key="09562",
        seat="Erlangen",
        jobcenter_name="Jobcenter Stadt Erlangen",
        supervisor=ministry,
    )
    return ministry, erlangen


def test_a_second_state_declines_a_ministry_that_starts_with_an_adjective(bavaria):
    _ministry, erlangen = bavaria
    agreement = factories.agreement(erlangen, 2024)
    factories.change_target(factories.goal(agreement), "integrationen", "3")
    text = pdf_text(render_agreement_pdf(agreement))
    assert (
        "zwischen dem Bayerischen Staatsministerium für Familie, Arbeit und Soziales"
        in text
    )
    assert "und der Stadt Erlangen als zugelassenem kommunalen Träger" in text
    assert (
        "schließen das Bayerische Staatsministerium für Familie, Arbeit und Soziales "
        "(StMAS) und die Stadt Erlangen als zugelassener kommunaler Träger" in text
    )
    assert "Für das Bayerische Staatsministerium für Familie" in text
    assert "Für die Stadt Erlangen" in text
    assert "in Bayern im Jahr 2024" not in text  # no focus areas, no heading
    assert "Bayerisches Staatsministerium" not in text  # never the bare form


def test_corrected_grammar_on_the_organisation_reaches_the_agreement(bavaria):
    ministry, erlangen = bavaria
    ministry.name_dative = (
        "Bayerischen Staatsministerium für Familie, Arbeit und Soziales (StMAS)"
    )
    ministry.save()
    agreement = factories.agreement(erlangen, 2024)
    party = agreement.parties.get(role="ministry")
    assert party.dative.endswith("(StMAS)")
    assert party.nominative.startswith("das Bayerische ")


# --- the Land's own targets ------------------------------------------------------


@pytest.mark.parametrize(
    ("user_fixture", "status"),
    [
        ("ministry_user", 200),
        ("ministry_reader", 403),
        ("coesfeld_user", 404),
        ("borken_user", 404),
    ],
)
def test_land_targets_page_for_every_user(request, client_for, user_fixture, status):
    url = reverse("land_targets", args=[2023])
    client = client_for(request.getfixturevalue(user_fixture))
    assert client.get(url).status_code == status


def _land_payload(rows, version="0"):
    data = {
        "version": version,
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"form-{index}-{key}"] = value
    return data


def test_ministry_records_the_lands_own_target(client_for, ministry_user, ministry):
    client = client_for(ministry_user)
    url = reverse("land_targets", args=[2023])
    row = {
        "indicator": "integrationen",
        "aspect": "change",
        "comparator": "gte",
        "target_value": "9,0",
        "note": "Zielvereinbarung mit dem BMAS vom 14.3.2023",
    }
    twice = client.post(url, _land_payload([row, row]))
    assert twice.status_code == 200
    assert "schon ein Landesziel" in twice.content.decode()
    assert not LandTarget.objects.exists()
    saved = client.post(url, _land_payload([row]))
    assert saved.status_code == 302
    land_target = LandTarget.objects.get()
    assert (land_target.ministry, land_target.year) == (ministry, 2023)
    assert land_target.target_value == Decimal("9.0")
    assert land_target.formatted == "+9 %"
    assert land_target.history.get().history_user == ministry_user


def test_names_of_the_day_of_signing_are_frozen_at_signing(
    ministry_user, agreement, coesfeld
):
    """Before signing the parties carry today's names; signing takes the day's."""
    from tests.conftest import scanned_upload

    assert agreement.parties.get(role="ministry").short_name == "MAGS NRW"
    services.agreement_finalize(agreement=agreement, acting_user=ministry_user)
    services.agreement_sign(
        agreement=agreement,
        acting_user=ministry_user,
        signatures={
            "ministry": ("Düsseldorf", datetime.date(2014, 6, 2)),
            "provider": ("Coesfeld", datetime.date(2014, 5, 9)),
        },
        signed_copy=scanned_upload(),
    )
    assert agreement.parties.get(role="ministry").short_name == "MAIS NRW"


@pytest.mark.parametrize(
    ("user_fixture", "status"),
    [
        ("ministry_user", 200),
        ("ministry_reader", 403),
        ("coesfeld_user", 403),
        ("borken_user", 404),
    ],
)
def test_organisation_names_page_for_every_user(
    request, client_for, coesfeld, user_fixture, status
):
    url = reverse("organisation_names", args=[coesfeld.pk])
    client = client_for(request.getfixturevalue(user_fixture))
    assert client.get(url).status_code == status


def test_ministry_corrects_the_grammar_of_a_name(
    client_for, ministry_user, bavaria, agreement
):
    """The guess is shown; a correction reaches every unsigned agreement."""
    _ministry, erlangen = bavaria
    client = client_for(ministry_user)
    coesfeld = agreement.provider
    url = reverse("organisation_names", args=[coesfeld.pk])
    page = client.get(url).content.decode()
    assert "Für den Kreis Coesfeld" in page
    data = {
        "name": "Kreis Coesfeld",
        "short_name": "Coesfeld",
        "jobcenter_name": "Jobcenter des Kreises Coesfeld",
        "seat": "Coesfeld",
        "gender": "m",
        "name_nominative": "Kreis Coesfeld",
        "name_dative": "",
        "name_accusative": "Kreis Coesfeld",
        "version": organisation_version(coesfeld),
    }
    refused = client.post(url, data)
    assert "Bitte die Form des Namens eintragen" in refused.content.decode()
    data["name_dative"] = "Kreise Coesfeld"
    assert client.post(url, data).status_code == 302
    services.party_names_refresh(agreement=agreement, acting_user=ministry_user)
    party = agreement.parties.get(role="provider")
    assert party.dative == "dem Kreise Coesfeld"
    # Another ministry's provider is out of reach: 404.
    other = reverse("organisation_names", args=[erlangen.pk])
    assert client.get(other).status_code == 404

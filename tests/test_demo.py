"""The demo data: complete, faithful to the two seed agreements, repeatable."""

from decimal import Decimal

import pytest
from django.contrib.auth import authenticate as django_authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from agreements.demo import DEMO_PASSWORD, PROVIDERS, load_demo
from agreements.models import (
    Agreement,
    AgreementStatus,
    FocusArea,
    Goal,
    Party,
    PartyRole,
    Target,
    TargetKind,
)
from agreements.wording import number_conflicts, target_text, unconfirmed_conflicts
from zielsteuerung.accounts.models import Organisation, OrganisationName, User

pytestmark = pytest.mark.django_db

NUMERIC_TARGETS = {
    ("Coesfeld", 2014, "I", "level", "bg", Decimal(4400), None),
    ("Coesfeld", 2014, "II", "level", "k2", Decimal("25.4"), Decimal("22.5")),
    ("Coesfeld", 2014, "II", "count", "", Decimal(20), None),
    ("Coesfeld", 2014, "II", "level", "arbeitslose_u25", Decimal(150), Decimal(185)),
    ("Coesfeld", 2014, "III", "change", "k3", Decimal("0.5"), Decimal(3489)),
    ("Coesfeld", 2014, "III", "level", "lzb_anteil", Decimal("40.8"), Decimal("40.8")),
    ("Coesfeld", 2014, "IV-A", "level", "alq_sgb2", Decimal("1.7"), None),
    ("Borken", 2023, "II", "change", "integrationen", Decimal("12.6"), None),
    ("Borken", 2023, "II", "change", "k2", Decimal(0), None),
    ("Borken", 2023, "II", "change", "k2_abstand", Decimal(0), None),
    ("Borken", 2023, "III", "change", "k3", Decimal("-5.2"), None),
    ("Borken", 2023, "III", "change", "lzb_integrationen", Decimal("6.6"), None),
}


def authenticate(**credentials):
    """Sign in as the login page does: django-axes needs the request."""
    return django_authenticate(RequestFactory().post("/anmelden/"), **credentials)


BORKEN = "05554"


def _numeric_targets():
    """The numeric targets of the two seed agreements."""
    rows = []
    seeds = Target.objects.filter(
        goal__agreement__provider__regional_key__in=["05558", BORKEN],
        goal__agreement__year__in=[2014, 2023],
    ).exclude(
        goal__agreement__provider__regional_key="05558", goal__agreement__year=2023
    )
    for target in seeds.select_related("goal__agreement__provider"):
        if not target.is_numeric:
            continue
        agreement = target.goal.agreement
        rows.append(
            (
                agreement.provider.short_name,
                agreement.year,
                target.goal.number,
                target.kind,
                target.indicator,
                target.target_value,
                target.baseline_value,
            )
        )
    return rows


def _counts():
    models = (Organisation, OrganisationName, User, Agreement, Party, FocusArea)
    counts = {model.__name__: model.objects.count() for model in models}
    counts["Goal"] = Goal.objects.count()
    counts["Target"] = Target.objects.count()
    return counts


def test_demo_contains_every_numeric_target_of_both_seeds():
    load_demo(complete=False)
    rows = _numeric_targets()
    # The Coesfeld count target of 20 appears twice (low-threshold jobs, Job-AKTIV).
    assert len(rows) == len(NUMERIC_TARGETS) + 1
    assert set(rows) == NUMERIC_TARGETS
    k2 = Target.objects.get(goal__agreement__year=2014, indicator="k2")
    assert round(k2.implied_change, 1) == Decimal("12.9") == k2.target_change
    sentence = target_text(k2, 2014).sentence
    assert "mindestens 25,4 % beträgt" in sentence
    assert "22,5 %" in sentence
    # "bis zu 20 Plätze" is a capacity, not a minimum.
    places = Target.objects.get(goal__agreement__year=2014, comparator="up_to")
    assert places.target_value == 20
    assert "bis zu 20" in target_text(places, 2014).sentence


def test_demo_texts_state_only_numbers_their_fields_hold():
    """Every seed target passes the number check; one was confirmed with a reason."""
    load_demo(complete=False)
    confirmed = []
    for target in Target.objects.select_related("goal__agreement"):
        year = target.goal.agreement.year
        assert unconfirmed_conflicts(target, year) == [], target
        if number_conflicts(target, year):
            confirmed.append(target.numbers_confirmed_reason)
    assert confirmed == [
        "100 ist die Zahl der Personen, die das Projekt aktiviert, nicht der Zielwert."
    ]


def test_demo_has_the_monitoring_and_qualitative_targets():
    load_demo(complete=False)
    coesfeld = Target.objects.filter(goal__agreement__year=2014)
    borken = Target.objects.filter(
        goal__agreement__year=2023, goal__agreement__provider__regional_key=BORKEN
    )
    assert coesfeld.filter(kind=TargetKind.MONITORING).count() == 1
    assert coesfeld.filter(kind=TargetKind.QUALITATIVE).count() == 10
    assert coesfeld.exclude(deadline=None).get().deadline.isoformat() == "2015-12-31"
    monitored = borken.filter(kind=TargetKind.MONITORING)
    assert sorted(monitored.values_list("indicator", flat=True)) == ["k1", "kdu"]
    assert not borken.filter(kind=TargetKind.QUALITATIVE).exists()
    assert coesfeld.count() == 19
    assert borken.count() == 7
    assert coesfeld.filter(local=True).count() == 16


def test_demo_goals_and_texts_follow_the_seeds():
    load_demo(complete=False)
    coesfeld = Agreement.objects.get(year=2014)
    borken = Agreement.objects.get(year=2023, provider__regional_key=BORKEN)
    numbers = list(coesfeld.goals.values_list("number", flat=True))
    assert numbers == ["I", "II", "III", "IV", "IV-A", "IV-B", "IV-C", "V"]
    assert list(borken.goals.values_list("number", flat=True)) == ["I", "II", "III"]
    assert FocusArea.objects.of(coesfeld.provider.supervisor, 2014).count() == 4
    assert not FocusArea.objects.filter(year=2023).exists()
    assert coesfeld.status == AgreementStatus.FINAL
    assert coesfeld.goals_heading == "1. Ziele für das {jobcenter} {jahr}"
    assert coesfeld.cooperation_heading == "2. Dialoge zur Zielsteuerung"
    assert coesfeld.goals.get(number="II").local_intro
    assert borken.status == AgreementStatus.NEGOTIATION
    assert "§ 1 Abs. 2 S. 3 SGB II" in borken.preamble
    assert "Bürgergeld" in borken.preamble
    assert "Lokale Planungsdokument 2023" in borken.references
    for agreement in (coesfeld, borken):
        assert agreement.legal_basis == "§ 48b Abs. 1 S. 1 Nr. 4 SGB II"
        assert "Steuerungsdialog" in agreement.cooperation or (
            "Dialoge zur Zielsteuerung" in agreement.cooperation
        )


def test_demo_parties_keep_the_names_of_the_day_of_signing():
    load_demo(complete=False)
    ministry_2014 = Party.objects.get(agreement__year=2014, role=PartyRole.MINISTRY)
    assert ministry_2014.short_name == "MAIS NRW"
    assert "Integration" in ministry_2014.name
    assert ministry_2014.representative == "Herrn Staatssekretär Dr. Wilhelm Schäffer"
    assert ministry_2014.in_representation
    assert ministry_2014.signing_place == "Düsseldorf"
    assert ministry_2014.signing_date.isoformat() == "2014-06-02"
    coesfeld = Party.objects.get(agreement__year=2014, role=PartyRole.PROVIDER)
    assert coesfeld.name == "Kreis Coesfeld"
    assert coesfeld.representative == "Herrn Landrat Konrad Püning"
    assert coesfeld.signing_place == "Coesfeld"
    assert coesfeld.signing_date.isoformat() == "2014-05-09"
    ministry_2023 = Party.objects.get(
        agreement__year=2023,
        agreement__provider__regional_key=BORKEN,
        role=PartyRole.MINISTRY,
    )
    assert ministry_2023.short_name == "MAGS NRW"
    assert ministry_2023.representative_name == "Matthias Heidmeier"
    assert ministry_2023.in_representation
    assert ministry_2023.signing_date is None
    borken = Party.objects.get(
        agreement__year=2023,
        agreement__provider__regional_key=BORKEN,
        role=PartyRole.PROVIDER,
    )
    assert borken.representative_name == "Dr. Kai Zwicker"
    assert borken.representative_function == "Landrat"
    assert (borken.signing_place, borken.signing_date) == ("Borken", None)


def test_demo_organisations_and_users():
    load_demo(complete=False)  # the figures and agreements add no one
    ministry = Organisation.objects.ministries().get()
    assert (ministry.short_name, ministry.regional_key) == ("MAGS NRW", "05")
    assert ministry.former_names.get().short_name == "MAIS NRW"
    providers = Organisation.objects.providers()
    assert providers.count() == 18
    assert set(providers.values_list("supervisor", flat=True)) == {ministry.pk}
    keys = set(providers.values_list("regional_key", flat=True))
    assert keys == {data.regional_key for data in PROVIDERS}
    assert all(len(key) == 5 for key in keys)
    lippe = providers.get(regional_key="05766")
    assert (lippe.name, lippe.seat) == ("Kreis Lippe", "Detmold")
    assert providers.get(short_name="Essen").jobcenter_name == "Jobcenter Essen"
    for username in ("ministerium", "coesfeld", "borken"):
        user = authenticate(username=username, password=DEMO_PASSWORD)
        assert user is not None, username
        assert user.role == "editor"
        assert not user.is_staff
        assert not user.is_superuser
    assert User.objects.get(username="ministerium").organisation == ministry
    assert User.objects.get(username="borken").organisation.short_name == "Borken"


@pytest.mark.django_db(transaction=True)
def test_loading_twice_changes_nothing(demo):
    """The demo as ``load_demo`` left it (the session's snapshot), loaded again."""
    before = _counts()
    load_demo()
    assert _counts() == before
    assert before["Organisation"] == 19
    # The two seed agreements and a 2023 agreement for each other provider.
    assert before["Agreement"] == 2 + 17


def test_existing_passwords_are_kept_unless_reset():
    load_demo(complete=False)
    user = User.objects.get(username="coesfeld")
    user.set_password("ein-eigenes-passwort")
    user.save()
    load_demo(complete=False)
    assert authenticate(username="coesfeld", password="ein-eigenes-passwort")
    load_demo(complete=False, reset_passwords=True)
    assert authenticate(username="coesfeld", password=DEMO_PASSWORD)


@pytest.mark.django_db(transaction=True)
def test_existing_agreement_is_left_alone(demo, capsys):
    agreement = Agreement.objects.get(year=2023, provider__regional_key=BORKEN)
    agreement.goals.get(number="III").delete()
    call_command("load_demo", force=True)
    assert agreement.goals.count() == 2
    assert "schon vorhanden" in capsys.readouterr().out


def test_command_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo")
    assert not Agreement.objects.exists()
    call_command("load_demo", force=True)
    assert Agreement.objects.count() == 2 + 17


def test_command_runs_with_debug(settings, capsys):
    settings.DEBUG = True
    call_command("load_demo")
    output = capsys.readouterr().out
    assert "Träger: 18 angelegt" in output
    assert "angelegt (8 Ziele, 19 Zielvorgaben, Endfassung)" in output


@pytest.mark.django_db(transaction=True)
def test_every_provider_has_a_2023_agreement_with_its_own_targets(demo):
    agreements = Agreement.objects.filter(year=2023)
    assert agreements.count() == 18
    values = set(
        Target.objects.filter(
            goal__agreement__year=2023, indicator="integrationen"
        ).values_list("target_value", flat=True)
    )
    assert len(values) > 3
    for target in Target.objects.filter(goal__agreement__year=2023, kind="change"):
        target.full_clean()


@pytest.mark.django_db(transaction=True)
def test_borken_has_held_its_first_steering_dialogue(demo):
    from agreements.models import SteeringDialogue

    load_demo()  # not created twice
    dialogue = SteeringDialogue.objects.get()
    assert dialogue.agreement.provider.short_name == "Borken"
    assert dialogue.is_held
    assert len(dialogue.report_sha256) == 64
    assert [action.is_open for action in dialogue.actions.all()] == [True]

"""The year rollover: next year's agreements for all providers at once."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from agreements import services
from agreements.models import (
    AgreementLockedError,
    FocusArea,
    FocusAreaLockedError,
    PartyRole,
)
from agreements.printing import print_document
from tests import factories

pytestmark = pytest.mark.django_db


# --- signatories: the current holder of the office -----------------------------


def _representative(agreement, role):
    party = agreement.parties.get(role=role)
    return (
        party.representative_salutation,
        party.representative_function,
        party.representative_name,
    )


def test_new_agreement_takes_the_current_signatory_else_the_previous_one(
    ministry, coesfeld
):
    previous = factories.agreement(coesfeld, 2023)
    previous.parties.filter(role=PartyRole.PROVIDER).update(
        representative_salutation="mr",
        representative_function="Landrat",
        representative_name="Konrad Püning",
    )
    previous.parties.filter(role=PartyRole.MINISTRY).update(
        representative_function="Staatssekretär",
        representative_name="Dr. Wilhelm Schäffer",
        in_representation=True,
    )
    ministry.signatory_salutation = "ms"
    ministry.signatory_function = "Staatssekretärin"
    ministry.signatory_name = "Dr. Maria Beispiel"
    ministry.save()

    new = services.agreement_create(provider=coesfeld, year=2024)

    assert _representative(new, PartyRole.MINISTRY) == (
        "ms",
        "Staatssekretärin",
        "Dr. Maria Beispiel",
    )
    ministry_party = new.parties.get(role=PartyRole.MINISTRY)
    assert ministry_party.in_representation  # kept from the previous agreement
    assert ministry_party.representative == "Frau Staatssekretärin Dr. Maria Beispiel"
    # Coesfeld names nobody: the previous agreement's signatory stays.
    assert _representative(new, PartyRole.PROVIDER) == (
        "mr",
        "Landrat",
        "Konrad Püning",
    )


@pytest.mark.parametrize(
    ("user_fixture", "status"),
    [
        ("ministry_user", 302),
        ("ministry_reader", 403),
        ("coesfeld_user", 403),
        ("borken_user", 404),
    ],
)
def test_current_signatory_is_edited_on_the_names_page(
    request, client_for, coesfeld, user_fixture, status
):
    client = client_for(request.getfixturevalue(user_fixture))
    url = reverse("organisation_names", args=[coesfeld.pk])
    data = {
        "name": "Kreis Coesfeld",
        "short_name": "Coesfeld",
        "jobcenter_name": "Jobcenter des Kreises Coesfeld",
        "seat": "Coesfeld",
        "gender": "m",
        "name_nominative": "Kreis Coesfeld",
        "name_dative": "Kreis Coesfeld",
        "name_accusative": "Kreis Coesfeld",
        "signatory_salutation": "mr",
        "signatory_function": "Landrat",
        "signatory_name": "Dr. Christian Beispiel",
    }
    assert client.post(url, data).status_code == status
    coesfeld.refresh_from_db()
    expected = "Dr. Christian Beispiel" if status == 302 else ""
    assert coesfeld.signatory_name == expected


# --- the state's focus areas: once per ministry and year ------------------------


def _area(ministry, year, title, position=0, text=""):
    return FocusArea.objects.create(
        ministry=ministry, year=year, title=title, text=text, position=position
    )


def test_focus_areas_are_shared_by_all_agreements_of_the_ministry_and_year(
    ministry, coesfeld, borken
):
    _area(ministry, 2023, "Frauen stärken", 1, "Im Jahr {jahr} mehr als {vorjahr}.")
    _area(ministry, 2023, "Junge Menschen", 0)
    _area(ministry, 2022, "Vorjahr")
    documents = [
        print_document(factories.agreement(provider, 2023))
        for provider in (coesfeld, borken)
    ]
    for doc in documents:
        assert doc.focus_areas == [
            ("Junge Menschen", ""),
            ("Frauen stärken", "Im Jahr 2023 mehr als 2022."),
        ]


def test_focus_areas_lock_once_an_agreement_of_the_year_is_signed(signed_agreement):
    ministry = signed_agreement.provider.supervisor
    area = _area(ministry, 2015, "Nächstes Jahr")
    area.year = 2014
    with pytest.raises(FocusAreaLockedError):
        area.save()  # moved into the signed year
    for change in [
        lambda: _area(ministry, 2014, "Neu"),
        lambda: FocusArea.objects.filter(year=2015).update(year=2014),
    ]:
        with pytest.raises(AgreementLockedError):
            change()
    FocusArea.objects.filter(pk=area.pk).update(title="Geändert")  # 2015 is open
    assert FocusArea.objects.get(pk=area.pk).title == "Geändert"


def _focus_post(*titles, existing=()):
    data = {
        "form-TOTAL_FORMS": str(len(titles)),
        "form-INITIAL_FORMS": str(len(existing)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for index, title in enumerate(titles):
        data[f"form-{index}-title"] = title
        data[f"form-{index}-text"] = f"Text zu {title}"
        if index < len(existing):
            data[f"form-{index}-id"] = str(existing[index].pk)
    return data


@pytest.mark.parametrize(
    ("user_fixture", "get", "post"),
    [
        ("ministry_user", 200, 302),
        ("ministry_reader", 200, 403),
        ("coesfeld_user", 404, 404),
        ("borken_user", 404, 404),
    ],
)
def test_focus_area_page_for_every_user(
    request, client_for, coesfeld, user_fixture, get, post
):
    client = client_for(request.getfixturevalue(user_fixture))
    url = reverse("agreements:focus_areas", args=[2024])
    assert client.get(url).status_code == get
    assert client.post(url, _focus_post("Neu")).status_code == post
    assert FocusArea.objects.filter(year=2024).exists() == (post == 302)


def test_ministry_writes_orders_and_deletes_focus_areas(
    client_for, ministry_user, ministry
):
    client = client_for(ministry_user)
    url = reverse("agreements:focus_areas", args=[2024])
    assert client.post(url, _focus_post("Eins", "Zwei")).status_code == 302
    first, second = FocusArea.objects.of(ministry, 2024)
    data = _focus_post("Eins", "Zwei", "Drei", existing=[first, second])
    data["form-0-DELETE"] = "on"
    assert client.post(url, data).status_code == 302
    assert [(a.title, a.position) for a in FocusArea.objects.of(ministry, 2024)] == [
        ("Zwei", 0),
        ("Drei", 1),
    ]
    refused = client.post(url, _focus_post(""))  # a new one without a title
    assert refused.status_code == 200  # an empty extra form is simply ignored
    history = FocusArea.history.filter(title="Eins").first()
    assert history.history_user == ministry_user


def test_focus_areas_of_last_year_are_copied_once(client_for, ministry_user, ministry):
    _area(ministry, 2023, "Im Jahr 2023 und {jahr}", text="Seit 2022.")
    client = client_for(ministry_user)
    copy = reverse("agreements:focus_areas_copy", args=[2024])
    assert client.post(copy).status_code == 302
    assert client.post(copy).status_code == 302  # nothing twice
    (area,) = FocusArea.objects.of(ministry, 2024)
    page = client.get(reverse("agreements:focus_areas", args=[2024]))
    assert "nennen Jahreszahlen wörtlich" in page.content.decode()
    assert area.title.startswith("Im Jahr")


def test_signed_year_shows_its_focus_areas_read_only(
    client_for, ministry_user, signed_agreement
):
    client = client_for(ministry_user)
    url = reverse("agreements:focus_areas", args=[2014])
    page = client.get(url).content.decode()
    assert "ist unterzeichnet" in page
    assert client.post(url, _focus_post("Neu")).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_focus_areas_move_to_ministry_and_year_without_loss_and_back():
    """The migration keeps every area once per ministry and year; reversible."""
    executor = MigrationExecutor(connection)
    before = [
        ("agreements", "0004_one_truth_per_target"),
        ("accounts", "0006_organisation_signatory"),
    ]
    after = [("agreements", "0005_rollover_focus_areas")]
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    organisation = apps.get_model("accounts", "Organisation")
    agreement_model = apps.get_model("agreements", "Agreement")
    area_model = apps.get_model("agreements", "FocusArea")
    ministry = organisation.objects.create(
        kind="ministry", name="Ministerium", short_name="M", regional_key="09"
    )
    agreements = []
    for key in ("09001", "09002"):
        provider = organisation.objects.create(
            kind="provider",
            name=key,
            short_name=key,
            regional_key=key,
            supervisor=ministry,
        )
        agreements.append(agreement_model.objects.create(provider=provider, year=2023))
    for agreement in agreements:
        area_model.objects.create(agreement=agreement, title="Gemeinsam", position=0)
    area_model.objects.create(agreement=agreements[1], title="Nur Borken", position=1)

    executor.loader.build_graph()
    executor.migrate(after)
    apps = executor.loader.project_state(after).apps
    areas = apps.get_model("agreements", "FocusArea").objects.order_by("position")
    assert [(a.ministry_id, a.year, a.title, a.position) for a in areas] == [
        (ministry.pk, 2023, "Gemeinsam", 0),
        (ministry.pk, 2023, "Nur Borken", 1),
    ]

    executor.loader.build_graph()
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    back = apps.get_model("agreements", "FocusArea").objects
    for agreement in agreements:
        titles = sorted(
            back.filter(agreement_id=agreement.pk).values_list("title", flat=True)
        )
        assert titles == ["Gemeinsam", "Nur Borken"]

    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

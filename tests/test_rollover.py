"""The year rollover: next year's agreements for all providers at once."""

import datetime
import re

import pytest
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models import QuerySet
from django.urls import reverse

from agreements import services
from agreements.models import (
    Agreement,
    AgreementLockedError,
    AgreementStatus,
    FocusArea,
    FocusAreaLockedError,
    PartyRole,
    ReviewKind,
    Target,
    TargetKind,
)
from agreements.printing import print_document
from agreements.rollover import agreements_roll_over, rollover_plan
from agreements.years import move_years, unmovable_years
from indicators import calculations
from indicators.attainment import rounded
from indicators.models import MonthlyValue
from tests import factories
from tests.conftest import months
from zielsteuerung import versioning
from zielsteuerung.accounts.models import Organisation, User
from zielsteuerung.accounts.services import organisation_version

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
        "version": organisation_version(coesfeld),
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


def _focus_post(*titles, existing=(), year=2024):
    """The focus-area form as posted, opened at the year's current version."""
    history = FocusArea.history.filter(year=year)
    data = {
        "version": str(versioning.history_version(history)),
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
    assert "als Endfassung festgelegt oder unterzeichnet" in page
    assert 'name="form-0-title"' not in page  # read only
    refused = client.post(url, _focus_post("Neu", year=2014))
    assert refused.status_code == 409  # the typed text stays to be copied
    assert 'value="Neu"' in refused.content.decode()
    assert not FocusArea.objects.filter(year=2014, title="Neu").exists()


def test_a_final_agreement_locks_the_focus_areas_of_its_year(
    client_for, ministry_user, final_agreement
):
    """The final text is what is signed: its focus areas cannot change either."""
    ministry = final_agreement.provider.supervisor
    with pytest.raises(FocusAreaLockedError):
        FocusArea.objects.create(ministry=ministry, year=2014, title="Neu")
    page = client_for(ministry_user).get(reverse("agreements:focus_areas", args=[2014]))
    assert final_agreement.provider.name in page.content.decode()
    services.agreement_reopen(
        agreement=final_agreement, acting_user=ministry_user, reason="Schwerpunkte"
    )
    FocusArea.objects.create(ministry=ministry, year=2014, title="Neu")


def test_focus_areas_saved_meanwhile_are_shown_not_overwritten(
    client_for, ministry_user, ministry
):
    area = _area(ministry, 2024, "Alt", text="Alter Text")
    client = client_for(ministry_user)
    url = reverse("agreements:focus_areas", args=[2024])
    opened = _focus_post("Meins", existing=[area])
    area.text = "Text der Kollegin"
    area.save()
    conflict = client.post(url, opened)
    assert conflict.status_code == 409
    page = conflict.content.decode()
    assert "Text der Kollegin" in page  # theirs, beside the field
    assert 'value="Meins"' in page  # mine, in the field
    area.refresh_from_db()
    assert (area.title, area.text) == ("Alt", "Text der Kollegin")
    again = dict(opened, version=_focus_post(year=2024)["version"])
    assert client.post(url, again).status_code == 302
    area.refresh_from_db()
    assert area.title == "Meins"


@pytest.fixture
def scratch_database(django_db_setup, django_db_blocker, tmp_path):
    """An empty database of its own, dropped afterwards: for migrating back
    and forth without unapplying and applying again every later migration of
    the test database (which took half a minute)."""
    default = connections["default"]
    config = {**default.settings_dict}
    with django_db_blocker.unblock():
        if default.vendor == "sqlite":
            config["NAME"] = str(tmp_path / "migrations.sqlite3")
        else:
            config["NAME"] = f"{default.settings_dict['NAME']}_migrations"
            with default._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}"')
                cursor.execute(f'CREATE DATABASE "{config["NAME"]}"')
        connections.settings[SCRATCH] = config
        try:
            yield connections[SCRATCH]
        finally:
            connections[SCRATCH].close()
            del connections[SCRATCH]
            del connections.settings[SCRATCH]
            if default.vendor != "sqlite":
                with default._nodb_cursor() as cursor:
                    cursor.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}"')


SCRATCH = "migrations"


def test_focus_areas_move_to_ministry_and_year_without_loss_and_back(scratch_database):
    """The migrations keep every area once per ministry and year; reversible."""
    executor = MigrationExecutor(scratch_database)
    before = [
        ("agreements", "0004_one_truth_per_target"),
        ("accounts", "0006_organisation_signatory"),
    ]
    after = [("agreements", "0007_rollover_focus_areas_owned")]
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    organisation = apps.get_model("accounts", "Organisation").objects.using(SCRATCH)
    agreement_model = apps.get_model("agreements", "Agreement").objects.using(SCRATCH)
    area_model = apps.get_model("agreements", "FocusArea").objects.using(SCRATCH)
    ministry = organisation.create(
        kind="ministry", name="Ministerium", short_name="M", regional_key="09"
    )
    agreements = []
    for key in ("09001", "09002"):
        provider = organisation.create(
            kind="provider",
            name=key,
            short_name=key,
            regional_key=key,
            supervisor=ministry,
        )
        agreements.append(agreement_model.create(provider=provider, year=2023))
    for agreement in agreements:
        area_model.create(agreement=agreement, title="Gemeinsam", position=0)
    area_model.create(agreement=agreements[1], title="Nur Borken", position=1)

    executor.loader.build_graph()
    executor.migrate(after)
    apps = executor.loader.project_state(after).apps
    areas = (
        apps.get_model("agreements", "FocusArea")
        .objects.using(SCRATCH)
        .order_by("position")
    )
    assert [(a.ministry_id, a.year, a.title, a.position) for a in areas] == [
        (ministry.pk, 2023, "Gemeinsam", 0),
        (ministry.pk, 2023, "Nur Borken", 1),
    ]

    executor.loader.build_graph()
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    back = apps.get_model("agreements", "FocusArea").objects.using(SCRATCH)
    for agreement in agreements:
        titles = back.filter(agreement_id=agreement.pk).values_list("title", flat=True)
        assert sorted(titles) == ["Gemeinsam", "Nur Borken"]


# --- the rollover of the whole demo: 2023 → 2024 --------------------------------


def _raw(provider, code, sex="total"):
    """A provider's raw monthly series, read straight from the table."""
    return dict(
        MonthlyValue.objects.filter(
            provider=provider, element__code=code, sex=sex
        ).values_list("month", "value")
    )


def _expected_baseline(provider, indicator):
    """The 2023 result by hand: the formulas of DOMAIN.md on the raw series."""
    if indicator in ("integrationen", "lzb_integrationen"):
        value = calculations.ytd_total(_raw(provider, indicator), 2023, 12).value
        return rounded(value, 0), None
    if indicator == "k2":
        flows, stocks = _raw(provider, "integrationen"), _raw(provider, "elb")
        value = calculations.ytd_quota(flows, stocks, 2023, 12).value
        return rounded(value, 1), None
    if indicator == "k2_abstand":
        men = (_raw(provider, "integrationen", "men"), _raw(provider, "elb", "men"))
        women = (
            _raw(provider, "integrationen", "women"),
            _raw(provider, "elb", "women"),
        )
        value = calculations.ytd_quota_gap(men, women, 2023, 12).value
        return rounded(value, 1), None
    if indicator == "k3":  # a stock: its December value
        return rounded(_raw(provider, "lzb")[datetime.date(2023, 12, 1)], 0), 12
    raise AssertionError(indicator)


def _fields(target):
    return (
        target.goal.number,
        target.position,
        target.kind,
        target.indicator,
        target.comparator,
        target.target_value,
        target.local,
    )


@pytest.mark.django_db(transaction=True)
def test_rollover_of_all_demo_providers_from_2023_to_2024(
    demo, django_assert_max_num_queries
):
    ministry_user = User.objects.get(username="ministerium")
    ministry = ministry_user.organisation
    borken = Organisation.objects.get(regional_key="05554")
    ministry.signatory_name = "Dr. Neue Staatssekretärin"
    ministry.signatory_salutation = "ms"
    ministry.save()
    # Written past the lock: some demo agreements of 2023 are final already.
    QuerySet(model=FocusArea).bulk_create(
        [
            FocusArea(
                ministry=ministry,
                year=2023,
                title="Bürgergeld 2023 umsetzen",
                text="Seit 2023.",
            )
        ]
    )
    sources = {
        agreement.provider_id: agreement
        for agreement in Agreement.objects.filter(year=2023).in_force()
    }
    assert len(sources) == 18
    # A fixed point in time cannot move on: it is flagged, not changed.
    source = sources[borken.pk]
    source.cooperation += "\n\nDas Bürgergeld gilt seit 2023."
    QuerySet(model=Agreement).filter(pk=source.pk).update(
        cooperation=source.cooperation
    )

    with django_assert_max_num_queries(12):
        plan = rollover_plan(ministry_user, 2023)
    assert len(plan.creatable) == 18

    created = agreements_roll_over(
        year=2023,
        providers=[row.provider.pk for row in plan.creatable],
        acting_user=ministry_user,
    )
    assert len(created) == 18
    for agreement in created:
        agreement.refresh_from_db()
        source = sources[agreement.provider_id]
        assert agreement.year == 2024
        assert agreement.version == 1
        assert agreement.status == AgreementStatus.DRAFT
        old = Target.objects.filter(goal__agreement=source).select_related("goal")
        new = Target.objects.filter(goal__agreement=agreement).select_related("goal")
        assert [_fields(t) for t in new] == [_fields(t) for t in old]
        assert new.exists()
        for target in new:
            if target.kind == TargetKind.MONITORING:
                assert target.baseline_value is None
                continue
            value, month = _expected_baseline(agreement.provider, target.indicator)
            assert target.baseline_value == value, (agreement, target.indicator)
            assert (target.baseline_year, target.baseline_month) == (2024 - 1, month)
            assert target.baseline_data_status == "t3"
            assert target.target_change is None
        ministry_party = agreement.parties.get(role=PartyRole.MINISTRY)
        assert ministry_party.representative_name == "Dr. Neue Staatssekretärin"

    borken_2024 = Agreement.objects.get(provider=borken, year=2024)
    # Years in texts moved on through placeholders …
    assert "{jahr} wird für die Jobcenter erneut" in borken_2024.preamble
    assert "2023" not in borken_2024.preamble
    assert "Lokale Planungsdokument {jahr} des Jobcenters" in borken_2024.references
    assert "Im Jahr {jahr} führen die Partner" in borken_2024.cooperation
    doc = print_document(borken_2024)
    assert "2024 wird für die Jobcenter erneut" in doc.preamble
    assert "Lokale Planungsdokument 2024" in doc.references
    # … or flagged on the new agreement's review list.
    (flag,) = borken_2024.review_items.all()
    assert flag.kind == ReviewKind.YEAR_NOT_MOVED
    assert flag.excerpt == "Das Bürgergeld gilt seit 2023."
    assert "Das Bürgergeld gilt seit 2023." in borken_2024.cooperation
    # Borken names its Landrat: the current holder signs.
    provider_party = borken_2024.parties.get(role=PartyRole.PROVIDER)
    assert provider_party.representative == "Herrn Landrat Dr. Kai Zwicker"
    # The state's focus areas go on once, their years as placeholders.
    (area,) = FocusArea.objects.of(ministry, 2024)
    assert area.title == "Bürgergeld {jahr} umsetzen"
    assert area.text == "Seit 2023."
    assert doc.focus_areas == [("Bürgergeld 2024 umsetzen", "Seit 2023.")]

    # Running it again creates nothing twice.
    counts = (
        Agreement.objects.count(),
        Target.objects.count(),
        FocusArea.objects.count(),
    )
    again = agreements_roll_over(
        year=2023,
        providers=[row.provider.pk for row in plan.rows],
        acting_user=ministry_user,
    )
    assert again == []
    assert (
        Agreement.objects.count(),
        Target.objects.count(),
        FocusArea.objects.count(),
    ) == counts
    assert rollover_plan(ministry_user, 2023).creatable == []


# --- years in texts -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "moved", "unresolved"),
    [
        (
            "2023 wird ein anspruchsvolles Jahr.",
            "{jahr} wird ein anspruchsvolles Jahr.",
            [],
        ),
        (
            "Im Jahr 2022 stieg, 2023 sank die Zahl.",
            "Im Jahr {vorjahr} stieg, {jahr} sank die Zahl.",
            [],
        ),
        (
            "Das „Lokale Planungsdokument 2023“ gilt.",
            "Das „Lokale Planungsdokument {jahr}“ gilt.",
            [],
        ),
        ("Seit 2023 gilt das Bürgergeld.", None, ["Seit 2023 gilt das Bürgergeld."]),
        ("Frist: bis Ende 2023.", None, ["Frist: bis Ende 2023."]),
        ("Ausgangswert vom Dezember 2022.", None, ["Ausgangswert vom Dezember 2022."]),
        (
            "Bis zum 31.12.2023 liegt es vor.",
            None,
            ["Bis zum 31.12.2023 liegt es vor."],
        ),
        ("Die Jahre 2023/2024 zählen.", None, ["Die Jahre 2023/2024 zählen."]),
        (
            "Von Juni 2023 bis Juni 2024 läuft es.",
            None,
            ["Von Juni 2023 bis Juni 2024 läuft es."],
        ),
        ("2023 und 2025 sind Wahljahre.", None, ["2023 und 2025 sind Wahljahre."]),
        ("Das SGB II gilt seit 2005.", None, []),  # history stays, unflagged
        ("Es sind 2023 Personen.", None, []),  # a number, not a year
        (
            "§ 48b Abs. 1 SGB II, K2 und 2023.",
            "§ 48b Abs. 1 SGB II, K2 und {jahr}.",
            [],
        ),
        (
            "Erst 2023. Dann seit 2023.",
            "Erst {jahr}. Dann seit 2023.",
            ["Dann seit 2023."],
        ),
        ("Schon {jahr} und {vorjahr}.", None, []),
    ],
)
def test_years_move_on_where_that_is_safe(text, moved, unresolved):
    result = move_years(text, 2023)
    assert result.text == (text if moved is None else moved)
    assert list(result.unresolved) == unresolved


def test_years_in_texts_printed_as_typed_are_only_flagged():
    assert unmovable_years("Ziele 2023. Ohne Jahr.", 2023) == ("Ziele 2023.",)
    assert unmovable_years("Seit 2005.", 2023) == ()


# --- the rollover page and the review list --------------------------------------


@pytest.fixture
def year_2023(coesfeld, borken, put_figures):
    """Coesfeld and Borken with agreements in force for 2023; Borken has 2024."""
    coesfeld_2023 = factories.agreement(coesfeld, 2023)
    coesfeld_2023.cooperation = "Im Jahr 2023 zwei Dialoge. Seit 2023 gilt das."
    coesfeld_2023.save()
    goal = factories.goal(coesfeld_2023, text="Auch 2023 wichtig.")
    factories.change_target(goal, "k3", "-2.0", comparator="lte")
    factories.change_target(goal, "integrationen", "5.0")
    factories.target(
        goal,
        kind="qualitative",
        local=True,
        sentence="Ein Konzept bis {frist}.",
        deadline=datetime.date(2023, 12, 31),
    )
    put_figures(coesfeld, "lzb", months(2023, 1, 12, "3500"))
    factories.agreement(borken, 2023)
    factories.agreement(borken, 2024, status=AgreementStatus.DRAFT)
    return coesfeld_2023


@pytest.mark.parametrize(
    ("user_fixture", "get", "post"),
    [
        ("ministry_user", 200, 302),
        ("ministry_reader", 200, 403),
        ("coesfeld_user", 404, 404),
        ("borken_user", 404, 404),
    ],
)
def test_rollover_page_for_every_user(
    request, client_for, year_2023, coesfeld, user_fixture, get, post
):
    client = client_for(request.getfixturevalue(user_fixture))
    url = reverse("agreements:rollover", args=[2023])
    assert client.get(url).status_code == get
    assert client.post(url, {"providers": [coesfeld.pk]}).status_code == post
    created = Agreement.objects.filter(provider=coesfeld, year=2024).exists()
    assert created == (post == 302)


def test_rollover_page_previews_what_it_creates_and_what_it_skips(
    client_for,
    ministry_user,
    year_2023,
    coesfeld,
    borken,
    django_assert_max_num_queries,
):
    client = client_for(ministry_user)
    url = reverse("agreements:rollover", args=[2023])
    with django_assert_max_num_queries(16):
        response = client.get(url)
    page = re.sub(r"\s+", " ", response.content.decode().replace("\xa0", " "))
    assert "Jahreswechsel 2023 → 2024" in page
    assert "Vereinbarung 2024 schon vorhanden (Fassung 1, Entwurf)" in page
    assert "wird übersprungen" in page
    # Coesfeld: the December stock of LZB, the sums of integrations missing.
    # put_figures records its months as final (t-3): the data status is named.
    assert (
        "K3 Ø Langzeitbeziehende: <strong>3.500</strong> (Dezember 2023, t-3)" in page
    )
    assert "Integrationen: <span" in page
    assert "Es fehlen Monatswerte" in page
    assert "Seit 2023 gilt das." in page  # will be flagged
    rows = [row for row, _box in response.context["rows"]]
    assert [row.provider for row in rows if row.creatable] == [coesfeld]

    assert client.post(url, {}).status_code == 200  # nothing chosen: an error
    response = client.post(url, {"providers": [coesfeld.pk, borken.pk]}, follow=True)
    assert "1 Zielvereinbarung 2024 angelegt. 1 Träger übersprungen" in (
        response.content.decode()
    )
    assert Agreement.objects.filter(year=2024).count() == 2


def test_rollover_flags_what_it_cannot_do_and_the_ministry_ticks_it_off(
    client_for, ministry_user, year_2023, coesfeld
):
    (new,) = agreements_roll_over(
        year=2023, providers=[coesfeld.pk], acting_user=ministry_user
    )
    items = {item.kind: item for item in new.review_items.all()}
    assert set(items) == {
        ReviewKind.YEAR_NOT_MOVED,
        ReviewKind.BASELINE_MISSING,
        ReviewKind.DEADLINE_PASSED,
    }
    assert items[ReviewKind.YEAR_NOT_MOVED].excerpt == "Seit 2023 gilt das."
    missing = items[ReviewKind.BASELINE_MISSING]
    assert missing.target.indicator == "integrationen"
    assert missing.target.baseline_value is None
    assert "Es fehlen Monatswerte" in missing.message
    assert items[ReviewKind.DEADLINE_PASSED].target.deadline.year == 2023
    assert new.cooperation == "Im Jahr {jahr} zwei Dialoge. Seit 2023 gilt das."
    assert new.goals.get().text == "Auch {jahr} wichtig."

    client = client_for(ministry_user)
    page = client.get(new.get_absolute_url()).content.decode()
    assert "Prüfliste des Jahreswechsels" in page
    assert "3 Punkte sind noch offen." in page
    with pytest.raises(services.AgreementStateError, match="Prüfliste"):
        services.agreement_finalize(agreement=new, acting_user=ministry_user)
    for item in items.values():
        url = reverse("agreements:review_item_tick", args=[new.pk, item.pk])
        assert client.post(url, {"done": "1"}).status_code == 302
    page = client.get(new.get_absolute_url()).content.decode()
    assert "Alle Punkte sind erledigt." in page
    services.agreement_finalize(agreement=new, acting_user=ministry_user)
    item = items[ReviewKind.YEAR_NOT_MOVED]
    item.refresh_from_db()
    assert item.done_by == ministry_user
    assert item.history.first().history_change_reason == "Erledigt"


@pytest.mark.parametrize(
    ("user_fixture", "status"),
    [
        ("ministry_user", 302),
        ("ministry_reader", 403),
        ("coesfeld_user", 403),
        ("borken_user", 404),
    ],
)
def test_review_list_is_ticked_by_ministry_editors_only(
    request, client_for, ministry_user, year_2023, coesfeld, user_fixture, status
):
    (new,) = agreements_roll_over(
        year=2023, providers=[coesfeld.pk], acting_user=ministry_user
    )
    item = new.review_items.first()
    client = client_for(request.getfixturevalue(user_fixture))
    url = reverse("agreements:review_item_tick", args=[new.pk, item.pk])
    assert client.post(url, {"done": "1"}).status_code == status
    item.refresh_from_db()
    assert item.is_done == (status == 302)


def test_review_list_is_locked_with_the_signed_agreement(signed_agreement):
    with pytest.raises(AgreementLockedError):
        signed_agreement.review_items.create(kind="year_not_moved", message="x")


def test_rollover_latest_goes_to_the_steering_year(
    client_for, ministry_user, year_2023
):
    response = client_for(ministry_user).get(reverse("agreements:rollover_latest"))
    assert response.url == reverse("agreements:rollover", args=[2023])


@pytest.mark.parametrize(
    ("user_fixture", "latest", "copy"),
    [
        ("ministry_user", 302, 302),
        ("ministry_reader", 302, 403),
        ("coesfeld_user", 404, 404),
        ("borken_user", 404, 404),
    ],
)
def test_rollover_start_and_focus_copy_for_every_user(
    request, client_for, ministry, user_fixture, latest, copy
):
    _area(ministry, 2023, "Frauen stärken")
    client = client_for(request.getfixturevalue(user_fixture))
    assert client.get(reverse("agreements:rollover_latest")).status_code == latest
    response = client.post(reverse("agreements:focus_areas_copy", args=[2024]))
    assert response.status_code == copy
    assert FocusArea.objects.of(ministry, 2024).exists() == (copy == 302)

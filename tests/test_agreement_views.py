"""Agreement pages, each with the three users: ministry, own provider, other provider."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from agreements import services
from agreements.models import Agreement, AgreementStatus, Goal, Target
from agreements.wording import short_rule, target_text

pytestmark = pytest.mark.django_db


def detail_url(agreement):
    return reverse("agreements:detail", args=[agreement.pk])


# --- reading -------------------------------------------------------------------


def test_pages_need_login(client, agreement):
    for url in [reverse("home"), reverse("agreements:list"), detail_url(agreement)]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/anmelden/")


def test_ministry_user_sees_agreement_with_edit_buttons(
    client_for, ministry_user, agreement
):
    response = client_for(ministry_user).get(detail_url(agreement))
    assert response.status_code == 200
    assert response.context["can_edit"] is True
    content = response.content.decode().replace("\xa0", " ")
    assert "Kreis Coesfeld" in content
    assert "Zielvereinbarung 2014" in content  # a year, not "2.014"
    assert "mindestens 25,4 % beträgt" in content
    assert "von 22,5 % bedeutet das einen Anstieg um 12,9 %" in content
    assert reverse("agreements:update", args=[agreement.pk]) in content


def test_own_provider_user_reads_agreement_without_edit_buttons(
    client_for, coesfeld_user, agreement
):
    response = client_for(coesfeld_user).get(detail_url(agreement))
    assert response.status_code == 200
    assert response.context["can_edit"] is False
    assert (
        reverse("agreements:update", args=[agreement.pk])
        not in response.content.decode()
    )


def test_jobcenter_user_gets_404_for_other_jobcenters_agreement(
    client_for, borken_user, agreement
):
    assert client_for(borken_user).get(detail_url(agreement)).status_code == 404


def test_list_shows_only_visible_agreements(
    client_for, ministry_user, coesfeld_user, borken_user, agreement, borken_agreement
):
    def listed(user):
        response = client_for(user).get(reverse("agreements:list"))
        assert response.status_code == 200
        return {a.pk for a in response.context["object_list"]}

    assert listed(ministry_user) == {agreement.pk, borken_agreement.pk}
    assert listed(coesfeld_user) == {agreement.pk}
    assert listed(borken_user) == {borken_agreement.pk}


def test_list_filters_by_year_provider_and_status(
    client_for, ministry_user, agreement, borken_agreement, borken
):
    client = client_for(ministry_user)
    url = reverse("agreements:list")

    def listed(**params):
        return {a.pk for a in client.get(url, params).context["object_list"]}

    assert listed(year=2014) == {agreement.pk}
    assert listed(provider=borken.pk) == {borken_agreement.pk}
    assert listed(status=AgreementStatus.NEGOTIATION) == set()
    assert listed(status=AgreementStatus.DRAFT) == {agreement.pk, borken_agreement.pk}


def test_list_query_count_does_not_grow_with_agreements(
    client_for, ministry_user, ministry, django_assert_max_num_queries
):
    from agreements import services
    from zielsteuerung.accounts.models import Organisation

    client = client_for(ministry_user)
    for number in range(12):
        provider = Organisation.objects.create(
            kind="provider",
            name=f"Kreis {number}",
            short_name=f"K{number}",
            regional_key=f"0590{number:02d}",
            supervisor=ministry,
        )
        services.agreement_create(provider=provider, year=2023)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("agreements:list"))
    assert len(response.context["object_list"]) == 12


def test_detail_query_count_is_fixed(
    client_for, ministry_user, agreement, django_assert_max_num_queries
):
    client = client_for(ministry_user)
    goal = agreement.goals.get()
    for number in range(5):
        new_goal = Goal.objects.create(
            agreement=agreement, number=f"X{number}", title="T"
        )
        Target.objects.create(
            goal=new_goal, kind="qualitative", sentence="Konzept erstellen", position=0
        )
    Target.objects.create(goal=goal, kind="monitoring", indicator="k1")
    # Cold: the page's 18 and the shared cache's version, read and write.
    with django_assert_max_num_queries(25):
        response = client.get(detail_url(agreement))
    assert response.status_code == 200
    # Warm: session, user, agreement (404 check), version, stored page.
    with django_assert_max_num_queries(5):
        again = client.get(detail_url(agreement))
    tokens = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')
    assert tokens.sub(b"", again.content) == tokens.sub(b"", response.content)


# --- creating ------------------------------------------------------------------


def test_ministry_creates_agreement_with_parties(client_for, ministry_user, coesfeld):
    response = client_for(ministry_user).post(
        reverse("agreements:create"), {"provider": coesfeld.pk, "year": 2014}
    )
    agreement = Agreement.objects.get(provider=coesfeld, year=2014)
    assert response.status_code == 302
    assert response.url == reverse("agreements:update", args=[agreement.pk])
    parties = {party.role: party for party in agreement.parties.all()}
    # Before signing, the names valid today count, whatever the year.
    assert parties["ministry"].short_name == "MAGS NRW"
    assert parties["provider"].name == "Kreis Coesfeld"


def test_party_names_follow_the_day_of_signing(client_for, ministry_user, agreement):
    """The ministry was MAIS NRW until 29.6.2017: signed in 2014, that name counts."""
    client = client_for(ministry_user)
    url = reverse("agreements:update", args=[agreement.pk])
    client.post(url, _update_payload(agreement))  # signing dates in 2014
    ministry = agreement.parties.get(role="ministry")
    assert ministry.short_name == "MAIS NRW"
    assert ministry.dative == (
        "dem Ministerium für Arbeit, Integration und Soziales des Landes "
        "Nordrhein-Westfalen"
    )
    client.post(
        url,
        _update_payload(
            agreement, **{"parties-0-signing_date": "", "parties-1-signing_date": ""}
        ),
    )
    assert agreement.parties.get(role="ministry").short_name == "MAGS NRW"


def test_second_agreement_for_same_provider_and_year_is_refused(
    client_for, ministry_user, agreement, coesfeld
):
    response = client_for(ministry_user).post(
        reverse("agreements:create"), {"provider": coesfeld.pk, "year": 2014}
    )
    assert response.status_code == 200
    assert "schon eine Zielvereinbarung" in str(response.context["form"].errors["year"])
    assert Agreement.objects.filter(provider=coesfeld, year=2014).count() == 1


@pytest.mark.parametrize("year", ["1999", "2101", "zweitausend"])
def test_year_out_of_range_is_refused_with_a_reason(
    client_for, ministry_user, coesfeld, year
):
    response = client_for(ministry_user).post(
        reverse("agreements:create"), {"provider": coesfeld.pk, "year": year}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["year"]
    assert 'value="' + year + '"' in response.content.decode()
    assert not Agreement.objects.exists()


def test_copy_previous_year_copies_goals_and_targets(
    client_for, ministry_user, agreement, coesfeld
):
    client_for(ministry_user).post(
        reverse("agreements:create"),
        {"provider": coesfeld.pk, "year": 2015, "copy_previous": "on"},
    )
    new = Agreement.objects.get(provider=coesfeld, year=2015)
    assert [g.number for g in new.goals.all()] == ["II"]
    assert new.goals.get().targets.get().target_value == Decimal("25.4")
    # The original is untouched.
    assert agreement.goals.get().targets.count() == 1


@pytest.mark.parametrize(
    "user_fixture", ["coesfeld_user", "borken_user", "ministry_reader"]
)
def test_only_ministry_editors_may_create(request, client_for, user_fixture, coesfeld):
    user = request.getfixturevalue(user_fixture)
    client = client_for(user)
    assert client.get(reverse("agreements:create")).status_code == 403
    response = client.post(
        reverse("agreements:create"), {"provider": coesfeld.pk, "year": 2020}
    )
    assert response.status_code == 403
    assert not Agreement.objects.filter(year=2020).exists()


# --- editing -------------------------------------------------------------------


def _update_payload(agreement, **changes):
    parties = list(agreement.parties.all())
    data = {
        "version": services.agreement_version(agreement),
        "status": "draft",
        "legal_basis": agreement.legal_basis,
        "preamble": "Diese Vereinbarung dient den Zielen des SGB II.",
        "references": "",
        "goals_intro": "",
        "cooperation": "Zwei Steuerungsdialoge im Jahr.",
        "parties-TOTAL_FORMS": "2",
        "parties-INITIAL_FORMS": "2",
        "parties-MIN_NUM_FORMS": "0",
        "parties-MAX_NUM_FORMS": "2",
    }
    for index, party in enumerate(parties):
        prefix = f"parties-{index}-"
        data.update(
            {
                prefix + "id": party.pk,
                prefix + "agreement": agreement.pk,
                prefix + "representative_salutation": "mr",
                prefix + "representative_function": "Landrat",
                prefix + "representative_name": f"Person {index}",
                prefix + "signing_place": "Coesfeld",
                prefix + "signing_date": "2014-05-09",
            }
        )
    data.update(changes)
    return data


def test_ministry_edits_texts_and_parties(client_for, ministry_user, agreement):
    client = client_for(ministry_user)
    url = reverse("agreements:update", args=[agreement.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, _update_payload(agreement, **{"parties-1-in_representation": "on"})
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.cooperation == "Zwei Steuerungsdialoge im Jahr."
    provider = agreement.parties.get(role="provider")
    assert provider.representative == "Herrn Landrat Person 1"
    assert provider.in_representation is True
    page = client.get(detail_url(agreement)).content.decode()
    assert "9.5.2014" in page
    assert "Die Änderungen wurden gespeichert." in page


def test_failed_edit_keeps_everything_typed(client_for, ministry_user, agreement):
    client = client_for(ministry_user)
    payload = _update_payload(
        agreement, legal_basis="", preamble="Neuer Text", cooperation="Dialoge"
    )
    response = client.post(reverse("agreements:update", args=[agreement.pk]), payload)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Neuer Text" in content
    assert "Dialoge" in content
    assert "Dieses Feld ist zwingend erforderlich." in content
    agreement.refresh_from_db()
    assert agreement.preamble == ""


@pytest.mark.parametrize("user_fixture", ["coesfeld_user", "ministry_reader"])
def test_readers_may_not_edit(request, client_for, user_fixture, agreement):
    client = client_for(request.getfixturevalue(user_fixture))
    url = reverse("agreements:update", args=[agreement.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, _update_payload(agreement)).status_code == 403
    goal = agreement.goals.get()
    target = goal.targets.get()
    for name, args in [
        ("agreements:goal_create", [agreement.pk]),
        ("agreements:goal_update", [agreement.pk, goal.pk]),
        ("agreements:goal_delete", [agreement.pk, goal.pk]),
        ("agreements:goal_move", [agreement.pk, goal.pk]),
        ("agreements:target_create", [agreement.pk, goal.pk]),
        ("agreements:target_update", [agreement.pk, target.pk]),
        ("agreements:target_delete", [agreement.pk, target.pk]),
        ("agreements:target_move", [agreement.pk, target.pk]),
    ]:
        assert client.post(reverse(name, args=args), {}).status_code == 403, name
    assert Goal.objects.filter(pk=goal.pk).exists()


def test_other_provider_gets_404_on_every_edit_page(client_for, borken_user, agreement):
    client = client_for(borken_user)
    goal = agreement.goals.get()
    target = goal.targets.get()
    for name, args in [
        ("agreements:update", [agreement.pk]),
        ("agreements:goal_create", [agreement.pk]),
        ("agreements:goal_update", [agreement.pk, goal.pk]),
        ("agreements:target_update", [agreement.pk, target.pk]),
        ("agreements:target_delete", [agreement.pk, target.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404, name


def test_goal_of_another_agreement_answers_404(
    client_for, ministry_user, agreement, borken_agreement
):
    goal = agreement.goals.get()
    url = reverse("agreements:goal_update", args=[borken_agreement.pk, goal.pk])
    assert client_for(ministry_user).get(url).status_code == 404


def test_agreement_out_of_editable_status_cannot_be_changed(
    client_for, ministry_user, agreement
):
    Agreement.objects.filter(pk=agreement.pk).update(status=AgreementStatus.FINAL)
    client = client_for(ministry_user)
    assert (
        client.get(reverse("agreements:update", args=[agreement.pk])).status_code == 403
    )
    assert client.get(detail_url(agreement)).context["can_edit"] is False


# --- goals ---------------------------------------------------------------------


def test_ministry_adds_reorders_and_deletes_goals(client_for, ministry_user, agreement):
    client = client_for(ministry_user)
    create = reverse("agreements:goal_create", args=[agreement.pk])
    response = client.post(
        create, {"number": "III", "title": "Langzeitbezug vermeiden"}
    )
    assert response.status_code == 302
    assert [g.number for g in agreement.goals.all()] == ["II", "III"]

    third = agreement.goals.get(number="III")
    client.post(
        reverse("agreements:goal_move", args=[agreement.pk, third.pk]),
        {"direction": "up"},
    )
    assert [g.number for g in agreement.goals.all()] == ["III", "II"]

    client.post(reverse("agreements:goal_delete", args=[agreement.pk, third.pk]))
    assert [g.number for g in agreement.goals.all()] == ["II"]


def test_duplicate_goal_number_is_refused(client_for, ministry_user, agreement):
    response = client_for(ministry_user).post(
        reverse("agreements:goal_create", args=[agreement.pk]),
        {"number": "ii", "title": "Doppelt"},
    )
    assert response.status_code == 200
    assert "schon vergeben" in str(response.context["form"].errors["number"])


# --- targets -------------------------------------------------------------------


def _target_payload(**changes):
    data = {
        "kind": "change",
        "indicator": "k3",
        "sentence": "Der Bestand an Langzeitleistungsbeziehenden sinkt um "
        "{zielwert_betrag}.",
        "unit": "",
        "baseline_value": "",
        "baseline_year": "",
        "baseline_month": "",
        "target_value": "-5,2",
        "comparator": "lte",
        "deadline": "",
        "status": "open",
        "evidence": "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("typed", ["-5,2", "-5.2", "\u22125,2"])
def test_target_value_accepts_german_and_plain_notation(
    client_for, ministry_user, agreement, typed
):
    goal = agreement.goals.get()
    response = client_for(ministry_user).post(
        reverse("agreements:target_create", args=[agreement.pk, goal.pk]),
        _target_payload(target_value=typed),
    )
    assert response.status_code == 302
    target = goal.targets.last()
    assert target.target_value == Decimal("-5.2")
    assert target.value_unit == "percent"
    assert short_rule(target) == "höchstens \u22125,2 % gegenüber dem Vorjahr"


def test_baseline_with_thousands_separator(client_for, ministry_user, agreement):
    goal = agreement.goals.get()
    client_for(ministry_user).post(
        reverse("agreements:target_create", args=[agreement.pk, goal.pk]),
        _target_payload(
            baseline_value="3.489", baseline_year="2013", target_value="0,5"
        ),
    )
    assert goal.targets.last().baseline_value == Decimal("3489")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"target_value": ""}, "target_value", "braucht einen Zielwert"),
        (
            {"kind": "count", "indicator": "", "unit": "count", "target_value": "-3"},
            "target_value",
            "nicht negativ",
        ),
        ({"target_value": "fünf"}, "target_value", "Bitte eine Zahl eingeben"),
        (
            {"kind": "monitoring", "target_value": "3"},
            "target_value",
            "keinen Zielwert",
        ),
        ({"comparator": "approx"}, "tolerance", "wie weit der Wert abweichen"),
        ({"comparator": "up_to"}, "comparator", "Kapazität"),
        ({"sentence": "Um {ziel} sinken"}, "sentence", "{ziel}"),
        (
            {
                "kind": "level",
                "indicator": "k2",
                "target_value": "25,6",
                "comparator": "gte",
                "baseline_value": "22,5",
                "baseline_year": "2013",
                "target_change": "12,9",
            },
            "target_change",
            "nicht um +12,9 %",
        ),
        ({"indicator": ""}, "indicator", "nur für eine"),
        ({"baseline_value": "12", "baseline_year": ""}, "baseline_year", "Jahr"),
        ({"baseline_value": "12", "baseline_year": "1990"}, "baseline_year", "2005"),
    ],
)
def test_bad_target_input_is_refused_at_the_field(
    client_for, ministry_user, agreement, changes, field, message
):
    goal = agreement.goals.get()
    payload = _target_payload(**changes)
    response = client_for(ministry_user).post(
        reverse("agreements:target_create", args=[agreement.pk, goal.pk]), payload
    )
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    # Nothing typed is lost.
    assert payload["sentence"] in response.content.decode()
    assert goal.targets.count() == 1


def test_qualitative_target_with_deadline(client_for, ministry_user, agreement):
    goal = agreement.goals.get()
    client_for(ministry_user).post(
        reverse("agreements:target_create", args=[agreement.pk, goal.pk]),
        _target_payload(
            kind="qualitative",
            indicator="",
            target_value="",
            comparator="",
            deadline="2015-12-31",
            sentence="Bis zum {frist} liegt ein Konzept vor.",
        ),
    )
    target = goal.targets.last()
    assert target.kind == "qualitative"
    assert short_rule(target) == "Umsetzung bis 31.12.2015"
    assert (
        target_text(target, 2014).sentence
        == "Bis zum 31.12.2015 liegt ein Konzept vor."
    )


def test_edit_target_and_see_it_in_history(client_for, ministry_user, agreement):
    client = client_for(ministry_user)
    target = agreement.goals.get().targets.get()
    payload = _target_payload(
        kind="level",
        indicator="k2",
        sentence="",
        baseline_value="22,5",
        baseline_year="2013",
        baseline_month="12",
        target_value="26",
        target_change="15,6",
        comparator="gte",
        version=services.target_version(target),
    )
    response = client.post(
        reverse("agreements:target_update", args=[agreement.pk, target.pk]), payload
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.target_value == Decimal("26")
    history = client.get(detail_url(agreement)).context["history"]
    change = history[0]
    assert change.user == "alice"
    assert change.object_label.startswith("Zielvorgabe")
    assert [(c.label, c.old, c.new) for c in change.changes] == [
        ("Zielwert", "25,4", "26"),
        ("Entspricht einer Veränderung um", "12,9", "15,6"),
    ]


def test_move_and_delete_target(client_for, ministry_user, agreement):
    client = client_for(ministry_user)
    goal = agreement.goals.get()
    first = goal.targets.get()
    second = Target.objects.create(
        goal=goal,
        kind="monitoring",
        indicator="k1",
        position=1,
    )
    client.post(
        reverse("agreements:target_move", args=[agreement.pk, second.pk]),
        {"direction": "up"},
    )
    assert list(goal.targets.all()) == [second, first]
    client.post(reverse("agreements:target_delete", args=[agreement.pk, first.pk]))
    assert list(goal.targets.all()) == [second]


def test_moves_need_post(client_for, ministry_user, agreement):
    goal = agreement.goals.get()
    url = reverse("agreements:goal_move", args=[agreement.pk, goal.pk])
    assert client_for(ministry_user).get(url).status_code == 405


def test_edit_form_shows_values_as_typed_back(client_for, ministry_user, agreement):
    target = agreement.goals.get().targets.get()
    response = client_for(ministry_user).get(
        reverse("agreements:target_update", args=[agreement.pk, target.pk])
    )
    content = response.content.decode()
    assert 'value="2013"' in content
    assert 'value="22,5"' in content
    assert 'value="25,4"' in content


def test_title_block_uses_the_article_of_the_providers_name(
    client_for, ministry_user, ministry
):
    from agreements import services
    from zielsteuerung.accounts.models import Organisation

    essen = Organisation.objects.create(
        kind="provider",
        name="Stadt Essen",
        short_name="Essen",
        regional_key="05113",
        supervisor=ministry,
    )
    agreement = services.agreement_create(provider=essen, year=2023)
    content = client_for(ministry_user).get(detail_url(agreement)).content.decode()
    assert "zwischen dem" in content
    assert "und der" in content
    assert "und dem" not in content

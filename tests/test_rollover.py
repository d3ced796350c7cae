"""The year rollover: next year's agreements for all providers at once."""

import pytest
from django.urls import reverse

from agreements import services
from agreements.models import PartyRole
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

"""A ministry administers its own people (``/benutzer/``), without a superuser.

Three users on every page: the ministry's people administrator, a ministry
editor (403) and a Jobcenter user (404); another ministry's people answer
404. Every change is in the user's history; a new user sets the password
through a one-time link.
"""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD
from zielsteuerung.accounts.models import Organisation, Role, User


@pytest.fixture
def people_admin(ministry):
    return User.objects.create_user(
        username="petra",
        first_name="Petra",
        last_name="Pförtner",
        password=PASSWORD,
        organisation=ministry,
        role=Role.READER,
        manages_users=True,
    )


@pytest.fixture
def bavaria_people(db):
    ministry = Organisation.objects.create(
        kind="ministry", name="StMAS Bayern", short_name="StMAS", regional_key="09"
    )
    provider = Organisation.objects.create(
        kind="provider",
        name="Stadt Erlangen",
        short_name="Erlangen",
        regional_key="09562",
        supervisor=ministry,
    )
    user = User.objects.create_user(
        username="sepp", password=PASSWORD, organisation=provider, role=Role.EDITOR
    )
    return ministry, provider, user


def _pages(person, provider):
    gets = [
        reverse("people:list"),
        reverse("people:create"),
        reverse("people:detail", args=[person.pk]),
        reverse("people:provider_create"),
        reverse("people:provider", args=[provider.pk]),
    ]
    posts = [
        reverse("people:deactivate", args=[person.pk]),
        reverse("people:reactivate", args=[person.pk]),
        reverse("people:second_factor_reset", args=[person.pk]),
        reverse("people:password_link", args=[person.pk]),
    ]
    return gets, posts


def _signs_in(client, username, password):
    client.logout()
    response = client.post(
        reverse("login"), {"username": username, "password": password}
    )
    return response.status_code == 302


def test_three_users_on_every_page(
    client_for, people_admin, ministry_user, coesfeld_user, coesfeld, borken_user
):
    gets, posts = _pages(borken_user, coesfeld)
    client = client_for(people_admin)
    for url in gets:
        assert client.get(url).status_code == 200, url
    for url in posts:
        assert client.post(url).status_code == 302, url
    for user, status in ((ministry_user, 403), (coesfeld_user, 404)):
        client = client_for(user)
        for url in gets + posts:
            assert client.post(url).status_code == status, (user, url)
        for url in gets:
            assert client.get(url).status_code == status, (user, url)


def test_the_navigation_offers_the_page_to_administrators_only(
    client_for, people_admin, ministry_user
):
    assert 'href="/benutzer/"' in client_for(people_admin).get("/").content.decode()
    assert (
        'href="/benutzer/"' not in client_for(ministry_user).get("/").content.decode()
    )


def test_another_ministrys_people_answer_404(
    client_for, people_admin, bavaria_people, admin_user
):
    _ministry, erlangen, sepp = bavaria_people
    client = client_for(people_admin)
    gets, posts = _pages(sepp, erlangen)
    for url in (gets[2], gets[4]):  # the person's and the provider's page
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert client.post(url).status_code == 404, url
    page = client.get(reverse("people:list")).content.decode()
    assert "sepp" not in page
    assert "Erlangen" not in page
    # Staff and superusers are the technical admin's, not the ministry's.
    admin_user.organisation = people_admin.organisation
    admin_user.save()
    detail = reverse("people:detail", args=[admin_user.pk])
    assert client.get(detail).status_code == 404
    # A user cannot be created in another ministry's provider either.
    response = client.post(
        reverse("people:create"),
        {
            "organisation": erlangen.pk,
            "username": "eindringling",
            "email": "x@example.org",
            "role": "editor",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="eindringling").exists()


def test_new_user_sets_the_password_through_the_one_time_link(
    client, client_for, people_admin, coesfeld, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(people_admin).post(
            reverse("people:create"),
            {
                "organisation": coesfeld.pk,
                "username": "neu",
                "first_name": "Nora",
                "last_name": "Neu",
                "email": "nora.neu@kreis-coesfeld.de",
                "role": "editor",
            },
        )
    assert response.status_code == 302
    user = User.objects.get(username="neu")
    assert not user.has_usable_password()
    assert user.organisation == coesfeld
    assert user.history.get().history_user == people_admin
    assert [m.to for m in mail.outbox] == [["nora.neu@kreis-coesfeld.de"]]
    link = re.search(r"https?://\S+/passwort/setzen/\S+/", mail.outbox[0].body)[0]
    path = link.split("://", 1)[1].split("/", 1)[1]
    client.logout()
    response = client.get("/" + path, follow=True)
    form_url = response.redirect_chain[-1][0]
    short = client.post(form_url, {"new_password1": "kurz", "new_password2": "kurz"})
    assert "mindestens 12 Zeichen" in short.content.decode()
    good = "ein-langes-Passwort-2025"
    done = client.post(form_url, {"new_password1": good, "new_password2": good})
    assert done.status_code == 302
    assert _signs_in(client, "neu", good)
    again = client.get("/" + path).content.decode()
    assert "nicht mehr gültig" in again


def test_manages_users_only_for_ministry_users(client_for, people_admin, coesfeld):
    response = client_for(people_admin).post(
        reverse("people:create"),
        {
            "organisation": coesfeld.pk,
            "username": "chef",
            "email": "chef@example.org",
            "role": "editor",
            "manages_users": "on",
        },
    )
    assert "nur für Benutzer des Ministeriums" in response.content.decode()
    assert not User.objects.filter(username="chef").exists()


def test_deactivate_reactivate_and_roles_are_audited(
    client_for, people_admin, coesfeld_user
):
    client = client_for(people_admin)
    client.post(reverse("people:deactivate", args=[coesfeld_user.pk]))
    coesfeld_user.refresh_from_db()
    assert not coesfeld_user.is_active
    assert not _signs_in(client_for(coesfeld_user), "bob", PASSWORD)
    client = client_for(people_admin)
    client.post(reverse("people:reactivate", args=[coesfeld_user.pk]))
    url = reverse("people:detail", args=[coesfeld_user.pk])
    data = {
        "organisation": coesfeld_user.organisation_id,
        "username": "bob",
        "email": "bob@example.org",
        "role": "reader",
        "version": str(coesfeld_user.history.latest().history_id),
    }
    assert client.post(url, data).status_code == 302
    coesfeld_user.refresh_from_db()
    assert coesfeld_user.role == Role.READER
    records = list(coesfeld_user.history.order_by("history_id"))
    steps = [r for r in records if r.history_change_reason]
    assert [r.history_change_reason for r in steps] == ["Deaktiviert", "Reaktiviert"]
    assert {r.history_user for r in steps} == {people_admin}
    assert records[-1].history_user == people_admin
    assert (records[-2].role, records[-1].role) == ("editor", "reader")
    page = client.get(url).content.decode()
    assert "Deaktiviert" in page


def test_second_factor_reset_removes_the_devices(
    client_for, people_admin, coesfeld_user, security_events
):
    TOTPDevice.objects.create(user=coesfeld_user, name="Telefon", confirmed=True)
    client_for(people_admin).post(
        reverse("people:second_factor_reset", args=[coesfeld_user.pk])
    )
    assert not TOTPDevice.objects.filter(user=coesfeld_user).exists()
    assert coesfeld_user.history.latest().history_change_reason == (
        "Zweiter Faktor zurückgesetzt"
    )
    assert "second_factor_reset" in security_events.names()


def test_administrator_cannot_lock_themselves_out(client_for, people_admin):
    client = client_for(people_admin)
    client.post(reverse("people:deactivate", args=[people_admin.pk]))
    people_admin.refresh_from_db()
    assert people_admin.is_active
    url = reverse("people:detail", args=[people_admin.pk])
    response = client.post(
        url,
        {
            "organisation": people_admin.organisation_id,
            "username": "petra",
            "email": "petra@example.org",
            "role": "reader",
            "version": str(people_admin.history.latest().history_id),
        },
    )
    assert response.status_code == 403
    assert "selbst entziehen" in response.content.decode()
    people_admin.refresh_from_db()
    assert people_admin.manages_users


def test_administrator_sets_up_a_new_provider_and_its_users(
    client_for, people_admin, ministry
):
    client = client_for(people_admin)
    response = client.post(
        reverse("people:provider_create"),
        {
            "name": "Kreis Lippe",
            "short_name": "Lippe",
            "regional_key": "05766",
            "jobcenter_name": "Jobcenter Lippe",
            "seat": "Detmold",
        },
    )
    assert response.status_code == 302
    lippe = Organisation.objects.get(regional_key="05766")
    assert (lippe.kind, lippe.supervisor) == ("provider", ministry)
    assert lippe.name_dative == "Kreis Lippe"  # grammar guessed at once
    assert lippe.history.get().history_user == people_admin
    response = client.post(
        reverse("people:create"),
        {
            "organisation": lippe.pk,
            "username": "lippe1",
            "email": "a@lippe.de",
            "role": "editor",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(username="lippe1").organisation == lippe


def test_denials_go_to_the_security_log(client_for, ministry_user, security_events):
    client_for(ministry_user).get(reverse("people:list"))
    assert security_events.names()[-1] == "permission_denied"

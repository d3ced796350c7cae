"""Login, logout, start page and the access policy."""

import pytest
from django.urls import reverse

from agreements.models import Agreement
from tests.conftest import PASSWORD
from zielsteuerung.accounts import policy
from zielsteuerung.accounts.models import User

pytestmark = pytest.mark.django_db


def test_login_page_is_german_and_public(client):
    response = client.get("/anmelden/")
    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="de">' in content
    assert "Benutzername" in content
    assert "Passwort" in content


def test_login_with_wrong_password_says_what_to_fix(client, ministry_user):
    response = client.post("/anmelden/", {"username": "alice", "password": "falsch"})
    assert response.status_code == 200
    assert "Benutzername oder Passwort stimmen nicht" in response.content.decode()
    assert 'value="alice"' in response.content.decode()


def test_login_and_logout(client, coesfeld_user):
    response = client.post("/anmelden/", {"username": "bob", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    response = client.post("/abmelden/")
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_password_change_page(client_for, coesfeld_user):
    client = client_for(coesfeld_user)
    assert client.get("/passwort/").status_code == 200
    response = client.post(
        "/passwort/",
        {
            "old_password": PASSWORD,
            "new_password1": "ein-neues-langes-passwort",
            "new_password2": "ein-neues-langes-passwort",
        },
    )
    assert response.status_code == 302
    coesfeld_user.refresh_from_db()
    assert coesfeld_user.check_password("ein-neues-langes-passwort")


def test_home_for_each_kind_of_user(
    client_for, ministry_user, coesfeld_user, borken_user, agreement
):
    ministry_page = client_for(ministry_user).get(reverse("home"))
    assert list(ministry_page.context["agreements"]) == [agreement]
    assert ministry_page.context["can_create"] is True
    own = client_for(coesfeld_user).get(reverse("home"))
    assert list(own.context["agreements"]) == [agreement]
    assert own.context["can_create"] is False
    other = client_for(borken_user).get(reverse("home"))
    assert list(other.context["agreements"]) == []


def test_user_without_organisation_sees_explanation(client_for, db):
    user = User.objects.create_user(username="ohne", password=PASSWORD)
    response = client_for(user).get(reverse("home"))
    assert response.status_code == 403
    assert "keiner Organisation zugeordnet" in response.content.decode()
    assert policy.providers_visible_to(user).count() == 0


def test_policy_scopes(ministry_user, coesfeld_user, borken_user, coesfeld, borken):
    assert set(policy.providers_visible_to(ministry_user)) == {coesfeld, borken}
    assert list(policy.providers_visible_to(coesfeld_user)) == [coesfeld]
    assert policy.can_view_provider(borken_user, borken)
    assert not policy.can_view_provider(borken_user, coesfeld)
    assert policy.can_edit_agreements(ministry_user)
    assert not policy.can_edit_agreements(coesfeld_user)


def test_ministry_of_another_state_sees_nothing_of_nrw(db, agreement, coesfeld):
    from zielsteuerung.accounts.models import Organisation, Role

    bavaria = Organisation.objects.create(
        kind="ministry",
        name="Bayerisches Staatsministerium",
        short_name="StMAS",
        regional_key="09",
    )
    user = User.objects.create_user(
        username="max", organisation=bavaria, role=Role.EDITOR
    )
    assert not Agreement.objects.visible_to(user).exists()
    assert not policy.can_edit_agreement(user, agreement)


def test_inactive_user_sees_nothing(coesfeld_user, agreement):
    coesfeld_user.is_active = False
    assert not Agreement.objects.visible_to(coesfeld_user).exists()


def _start_wsgi(env):
    import os
    import subprocess
    import sys

    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "-c", "import zielsteuerung.wsgi"],
        env={**clean, "TESTING": "false", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_server_refuses_to_start_without_secret_key_when_debug_is_off():
    result = _start_wsgi({})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
    assert _start_wsgi({"SECRET_KEY": "x" * 50, "ALLOW_SQLITE": "true"}).returncode == 0
    assert _start_wsgi({"DEBUG": "true"}).returncode == 0


@pytest.mark.parametrize(
    ("url", "current"),
    [
        ("/", "/"),
        ("/zielvereinbarungen/", "/zielvereinbarungen/"),
        ("/zielvereinbarungen/neu/", "/zielvereinbarungen/"),
        ("/monatswerte/", "/monatswerte/"),
    ],
)
def test_navigation_marks_the_current_section(client_for, ministry_user, url, current):
    content = client_for(ministry_user).get(url, follow=True).content.decode()
    assert content.count('aria-current="page"') >= 1
    assert f'aria-current="page" href="{current}"' in content

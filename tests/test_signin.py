"""Sign-in as a ministry needs it: lockout, password length, session timeouts,
second factor (TOTP), and the security log."""

import datetime
import time

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD, verify_second_factor
from zielsteuerung.accounts.middleware import SEEN_KEY, STARTED_KEY

pytestmark = pytest.mark.django_db

LOGIN = "/anmelden/"


def _login(client, username, password, address="127.0.0.1"):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address
    )


def _fail(client, username, times, address="127.0.0.1"):
    for _ in range(times):
        _login(client, username, "falsch-falsch-falsch", address)


@pytest.fixture
def limit(settings):
    settings.AXES_FAILURE_LIMIT = 3
    return 3


# --- lockout ----------------------------------------------------------------------


def test_user_is_locked_out_after_the_configured_failures(
    client, ministry_user, limit, security_events
):
    _fail(client, "alice", limit - 1)
    assert _login(client, "alice", PASSWORD).status_code == 302  # still allowed
    client.post("/abmelden/")
    _fail(client, "alice", limit)
    response = _login(client, "alice", PASSWORD)
    assert response.status_code == 429
    content = response.content.decode()
    assert "Anmeldung vorübergehend gesperrt" in content
    assert "für 30 Minuten gesperrt" in content
    assert "_auth_user_id" not in client.session
    assert "lockout" in security_events.names()


def test_lockout_holds_for_the_user_name_from_another_address(
    client, ministry_user, coesfeld_user, limit
):
    _fail(client, "alice", limit, address="10.0.0.1")
    assert _login(client, "alice", PASSWORD, address="10.0.0.2").status_code == 429
    # ... and for the address, whatever user name it tries next.
    assert _login(client, "bob", PASSWORD, address="10.0.0.1").status_code == 429
    assert _login(client, "bob", PASSWORD, address="10.0.0.3").status_code == 302


def test_lockout_ends_after_the_cool_off_time(client, ministry_user, limit):
    _fail(client, "alice", limit)
    assert _login(client, "alice", PASSWORD).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - datetime.timedelta(minutes=31)
    )
    assert _login(client, "alice", PASSWORD).status_code == 302


def test_an_administrator_unlocks_by_deleting_the_attempts(
    admin_client, ministry_user, limit
):
    client = Client()
    _fail(client, "alice", limit, address="10.0.0.7")
    attempts = list(AccessAttempt.objects.filter(username="alice"))
    assert attempts
    for attempt in attempts:
        url = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
        assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert _login(client, "alice", PASSWORD, address="10.0.0.7").status_code == 302


def test_passwords_need_twelve_characters(client_for, coesfeld_user):
    response = client_for(coesfeld_user).post(
        "/passwort/",
        {
            "old_password": PASSWORD,
            "new_password1": "kurz-9x7q2z",
            "new_password2": "kurz-9x7q2z",
        },
    )
    assert response.status_code == 200
    assert "mindestens 12 Zeichen" in response.content.decode()


# --- session timeouts -------------------------------------------------------------


def _age_session(client, **seconds_ago):
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[key] = now - ago
    session.save()


def test_session_ends_after_thirty_idle_minutes(client_for, coesfeld_user):
    client = client_for(coesfeld_user)
    _age_session(client, **{SEEN_KEY: 29 * 60})
    assert client.get("/").status_code == 200
    _age_session(client, **{SEEN_KEY: 31 * 60})
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)
    page = client.get(response.url).content.decode()
    assert "Ihre Sitzung ist abgelaufen" in page
    assert client.get("/").status_code == 302


def test_activity_keeps_the_session_alive(client_for, coesfeld_user):
    client = client_for(coesfeld_user)
    _age_session(client, **{SEEN_KEY: 20 * 60})
    assert client.get("/").status_code == 200
    assert int(time.time()) - client.session[SEEN_KEY] < 5


def test_idle_timeout_comes_from_the_settings(client_for, coesfeld_user, settings):
    settings.SESSION_IDLE_SECONDS = 5 * 60
    client = client_for(coesfeld_user)
    _age_session(client, **{SEEN_KEY: 6 * 60})
    assert client.get("/").status_code == 302


def test_session_ends_at_the_absolute_limit_despite_activity(
    client_for, coesfeld_user, security_events
):
    client = client_for(coesfeld_user)
    _age_session(client, **{STARTED_KEY: 10 * 3600 + 60, SEEN_KEY: 10})
    assert client.get("/").status_code == 302
    expired = [e for e in security_events.refresh() if e["event"] == "session_expired"]
    assert expired[0]["reason"] == "maximum"
    assert expired[0]["user"] == "bob"


# --- second factor ----------------------------------------------------------------


def _code(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


def _staff(user):
    user.is_staff = True
    user.save()
    return user


def test_staff_must_pair_an_app_before_anything_else(client, ministry_user):
    _staff(ministry_user)
    assert _login(client, "alice", PASSWORD).status_code == 302
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == "/anmelden/code/?next=%2F"
    response = client.get(response.url)
    assert response.url == "/anmelden/zweiter-faktor/?next=%2F"
    page = client.get(response.url)
    content = page.content.decode()
    assert "<svg" in content
    assert "Zweiten Faktor einrichten" in content
    assert client.get("/zielvereinbarungen/").status_code == 302
    assert client.get("/verwaltung/").status_code == 302
    device = TOTPDevice.objects.get(user=ministry_user, confirmed=False)
    response = client.post(
        "/anmelden/zweiter-faktor/", {"token": "000000", "next": "/"}
    )
    assert "Der Code stimmt nicht" in response.content.decode()
    # django-otp makes the next try wait a second after a wrong code.
    response = client.post(
        "/anmelden/zweiter-faktor/", {"token": _code(device), "next": "/"}
    )
    assert "Zu viele falsche Codes" in response.content.decode()
    device.refresh_from_db()
    device.throttle_reset()
    response = client.post(
        "/anmelden/zweiter-faktor/", {"token": _code(device), "next": "/"}
    )
    assert response.status_code == 302
    assert response.url == "/"
    assert client.get("/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_paired_user_enters_a_code_after_the_password(
    client, ministry_user, security_events
):
    _staff(ministry_user)
    device = TOTPDevice.objects.create(user=ministry_user, confirmed=True)
    _login(client, "alice", PASSWORD)
    response = client.get("/zielvereinbarungen/")
    assert response.url == "/anmelden/code/?next=%2Fzielvereinbarungen%2F"
    page = client.get(response.url).content.decode()
    assert "Anmeldung bestätigen" in page
    wrong = client.post("/anmelden/code/", {"token": "123456"})
    assert "Der Code stimmt nicht" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()
    response = client.post(
        "/anmelden/code/", {"token": _code(device), "next": "/zielvereinbarungen/"}
    )
    assert response.url == "/zielvereinbarungen/"
    assert client.get("/zielvereinbarungen/").status_code == 200
    names = security_events.names()
    assert "second_factor_failed" in names
    assert "second_factor_ok" in names


def test_a_paired_user_cannot_pair_a_new_app_without_a_code(client, ministry_user):
    _staff(ministry_user)
    TOTPDevice.objects.create(user=ministry_user, confirmed=True)
    _login(client, "alice", PASSWORD)
    response = client.get("/anmelden/zweiter-faktor/")
    assert response.status_code == 302
    assert response.url.startswith("/anmelden/code/")
    assert TOTPDevice.objects.filter(user=ministry_user).count() == 1


def test_verify_page_does_not_redirect_off_site(client, ministry_user):
    _staff(ministry_user)
    device = TOTPDevice.objects.create(user=ministry_user, confirmed=True)
    _login(client, "alice", PASSWORD)
    response = client.post(
        "/anmelden/code/", {"token": _code(device), "next": "https://example.org/"}
    )
    assert response.url == reverse("home")


def test_a_ministry_requires_the_second_factor_for_its_providers_users(
    client_for, ministry, ministry_user, coesfeld_user, borken_user
):
    assert client_for(coesfeld_user).get("/").status_code == 200
    ministry.requires_second_factor = True
    ministry.save()
    for user in (ministry_user, coesfeld_user, borken_user):
        response = client_for(user).get("/")
        assert response.status_code == 302, user
        assert response.url.startswith("/anmelden/code/")


def test_a_provider_may_require_it_for_its_own_users(
    client_for, coesfeld, coesfeld_user, borken_user
):
    coesfeld.requires_second_factor = True
    coesfeld.save()
    assert client_for(coesfeld_user).get("/").status_code == 302
    assert client_for(borken_user).get("/").status_code == 200


def test_verified_user_gets_through(client_for, ministry, coesfeld_user):
    ministry.requires_second_factor = True
    ministry.save()
    client = client_for(coesfeld_user)
    verify_second_factor(client, coesfeld_user)
    assert client.get("/").status_code == 200


def test_second_factor_pages_need_a_signed_in_user(client):
    for url in ("/anmelden/code/", "/anmelden/zweiter-faktor/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(LOGIN)


# --- the security log -------------------------------------------------------------


def test_sign_in_events_are_logged_as_json(
    client, coesfeld_user, security_events, limit
):
    _login(client, "bob", "falsch-falsch", address="10.9.8.7")
    _login(client, "bob", PASSWORD, address="10.9.8.7")
    client.post("/abmelden/", REMOTE_ADDR="10.9.8.7")
    events = security_events.refresh()
    assert [e["event"] for e in events] == ["login_failed", "login", "logout"]
    for event in events:
        assert event["user"] == "bob"
        assert event["address"] == "10.9.8.7"
        assert datetime.datetime.fromisoformat(event["time"]).tzinfo is not None
    assert events[1]["method"] == "password"
    assert "falsch" not in str(events)


def test_permission_denials_are_logged(client_for, coesfeld_user, security_events):
    response = client_for(coesfeld_user).get("/zielvereinbarungen/neu/")
    assert response.status_code == 403
    (event,) = [e for e in security_events.refresh() if e["event"] != "login"]
    assert event["event"] == "permission_denied"
    assert event["user"] == "bob"
    assert event["path"] == "/zielvereinbarungen/neu/"


def test_csrf_failures_are_logged(coesfeld_user, security_events):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(coesfeld_user)
    assert strict.post("/abmelden/").status_code == 403
    assert security_events.names() == ["login", "permission_denied"]


def test_address_behind_a_proxy_comes_from_x_forwarded_for(
    client, coesfeld_user, settings, security_events
):
    settings.PROXY_COUNT = 1
    client.post(
        LOGIN,
        {"username": "bob", "password": "nein-nein-nein"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.5",
    )
    assert security_events.refresh()[0]["address"] == "203.0.113.5"

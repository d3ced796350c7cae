"""Sign-in pages in a real browser: second factor setup and code, lockout."""

import pytest
from django.conf import settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from zielsteuerung.accounts.models import Organisation, OrganisationKind, Role, User

from .conftest import check_accessibility, screenshot

PASSWORD = "ein-langes-passwort-2024"


@pytest.fixture
def staff_user(transactional_db):
    ministry = Organisation.objects.create(
        kind=OrganisationKind.MINISTRY,
        name="Ministerium",
        short_name="MAGS",
        regional_key="05",
    )
    return User.objects.create_user(
        username="alice",
        password=PASSWORD,
        organisation=ministry,
        role=Role.EDITOR,
        is_staff=True,
    )


def _password(page, username, password):
    page.goto("/anmelden/")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()


def _code(device):
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


def test_staff_pairs_an_app_and_then_signs_in_with_a_code(page, staff_user):
    _password(page, "alice", PASSWORD)
    expect(
        page.get_by_role("heading", name="Zweiten Faktor einrichten")
    ).to_be_visible()
    expect(page.locator(".qr-code svg")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "second-factor-setup")
    device = TOTPDevice.objects.get(user=staff_user)
    page.get_by_label("Einmalcode").fill(_code(device))
    page.get_by_role("button", name="App verbinden").click()
    page.wait_for_url("**/")
    expect(page.get_by_role("link", name="Verwaltung")).to_be_visible()

    page.get_by_role("button", name="alice").click()
    page.get_by_role("button", name="Abmelden").click()
    page.wait_for_url("**/anmelden/")
    _password(page, "alice", PASSWORD)
    expect(page.get_by_role("heading", name="Anmeldung bestätigen")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Einmalcode").fill("000000")
    page.get_by_role("button", name="Bestätigen").click()
    expect(page.get_by_role("alert")).to_contain_text("Der Code stimmt nicht")
    check_accessibility(page)


def test_lockout_page_is_german_and_accessible(page, staff_user):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _password(page, "alice", "falsch-falsch-falsch")
    expect(page.get_by_text("Anmeldung vorübergehend gesperrt")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "login-locked")

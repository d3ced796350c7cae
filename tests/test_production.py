"""Production state: no SQLite unless allowed, and the health endpoint."""

import json
import os
import subprocess
import sys

import pytest
from health_check.checks import Cache
from health_check.exceptions import ServiceUnavailable

from tests.conftest import verify_second_factor

pytestmark = pytest.mark.django_db

SQLITE = "sqlite:////tmp/zielsteuerung-wsgi-test.sqlite3"


def _start_wsgi(env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "ALLOW_SQLITE", "DATABASE_URL"}
    }
    return subprocess.run(
        [sys.executable, "-c", "import zielsteuerung.wsgi"],
        env={**clean, "TESTING": "false", "SECRET_KEY": "x" * 50, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_server_refuses_sqlite_with_debug_off_unless_allowed():
    refused = _start_wsgi({"DATABASE_URL": SQLITE})
    assert refused.returncode != 0
    assert "With DEBUG off the app runs on PostgreSQL" in refused.stderr
    assert _start_wsgi({"DATABASE_URL": SQLITE, "ALLOW_SQLITE": "true"}).returncode == 0
    assert _start_wsgi({"DATABASE_URL": SQLITE, "DEBUG": "true"}).returncode == 0
    postgres = "postgres://postgres@127.0.0.1:5432/zielsteuerung_unused"
    assert _start_wsgi({"DATABASE_URL": postgres}).returncode == 0


def test_health_answers_ok_without_login_and_without_details(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize("user", ["ministry_user", "coesfeld_user", "borken_user"])
def test_health_shows_no_details_to_business_users(request, client_for, user):
    client = client_for(request.getfixturevalue(user))
    response = client.get("/healthz/", HTTP_ACCEPT="application/json")
    assert response.content == b"ok\n"


def test_health_answers_fail_when_a_check_fails(client, monkeypatch):
    async def broken(self):
        raise ServiceUnavailable("Verbindung zu 10.0.0.5:6379 abgelehnt")

    monkeypatch.setattr(Cache, "run", broken)
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.content == b"fail\n"


def test_health_shows_details_to_verified_staff(client, admin_user):
    client.force_login(admin_user)
    verify_second_factor(client, admin_user)
    response = client.get("/healthz/", {"format": "json"})
    assert response.status_code == 200
    checks = json.loads(response.content)
    assert any(name.startswith("Database") for name in checks)
    assert any(name.startswith("Cache") for name in checks)
    assert any(name.startswith("Disk") for name in checks)
    assert set(checks.values()) == {"OK"}


def test_health_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/anmelden/").status_code == 301
    assert client.get("/healthz/").status_code == 200

"""Hardening: deploy checks, CSP, no-store, the 500 page, upload limits, the
XLSX guard and year ranges in URLs."""

import io
import os
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import path
from openpyxl import Workbook

from indicators import importing
from indicators.import_service import figures_import
from zielsteuerung import urls as project_urls

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k8#vQ2-production-like-secret-key-with-many-different-chars-x9",
    "SECURE_COOKIES": "true",
    "ALLOWED_HOSTS": "zielsteuerung.example.org",
}


def _run(args, env):
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SECURE_", "SECRET", "DEBUG", "TESTING", "DJANGO_"))
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


# --- deployment checks --------------------------------------------------------------


def test_check_deploy_has_no_warnings_with_production_settings():
    result = _run(["manage.py", "check", "--deploy"], PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_hsts_and_ssl_redirect_can_be_switched_off():
    result = _run(
        ["manage.py", "check", "--deploy"],
        {**PRODUCTION, "SECURE_HSTS_SECONDS": "0", "SECURE_SSL_REDIRECT": "false"},
    )
    assert "security.W004" in result.stderr
    assert "security.W008" in result.stderr


def _settings_of(env, *names):
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
        "'zielsteuerung.settings'); from django.conf import settings; "
        f"print([getattr(settings, n, None) for n in {list(names)!r}])"
    )
    result = _run(["-c", code], env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_https_defaults_with_debug_off_and_the_proxy_header_switch():
    names = ("SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER")
    assert _settings_of(PRODUCTION, *names) == "[31536000, True, None]"
    proxied = {**PRODUCTION, "SECURE_PROXY_SSL_HEADER": "true"}
    assert "('HTTP_X_FORWARDED_PROTO', 'https')" in _settings_of(proxied, *names)
    development = {"DEBUG": "true"}
    assert _settings_of(development, *names) == "[0, False, None]"


def test_proxy_header_makes_the_request_secure(client, settings, coesfeld_user):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/anmelden/").status_code == 301
    response = client.get("/anmelden/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200


# --- Content-Security-Policy and caching ------------------------------------------


def _pages(agreement, coesfeld):
    return [
        "/",
        "/zielvereinbarungen/",
        f"/zielvereinbarungen/{agreement.pk}/",
        f"/zielvereinbarungen/{agreement.pk}/bearbeiten/",
        f"/zielvereinbarungen/{agreement.pk}/druckansicht/",
        f"/zielvereinbarungen/{agreement.pk}/fortschritt/",
        "/uebersicht/2014/",
        f"/monatswerte/{coesfeld.regional_key}/2014/",
        f"/monatswerte/{coesfeld.regional_key}/2014-01/",
        "/monatswerte/import/",
        "/passwort/",
        "/anmelden/zweiter-faktor/",
        "/gibt-es-nicht/",
    ]


def test_every_page_type_has_a_csp_without_unsafe_inline(
    client_for, admin_client, ministry_user, agreement, coesfeld
):
    client = client_for(ministry_user)
    responses = [client.get(url) for url in _pages(agreement, coesfeld)]
    responses.append(client.get("/zielvereinbarungen/neu/", {"x": "1"}))
    responses += [admin_client.get("/verwaltung/"), admin_client.get("/anmelden/")]
    client.logout()
    responses.append(client.get("/anmelden/"))
    for response in responses:
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy, response.request["PATH_INFO"]
        assert "style-src 'self'" in policy
        assert "unsafe-inline" not in policy
        assert "unsafe-eval" not in policy


INLINE = [
    re.compile(r"\sstyle\s*=", re.IGNORECASE),
    re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE),
    re.compile(r"<style", re.IGNORECASE),
    re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    re.compile(r"javascript:", re.IGNORECASE),
]


def test_templates_have_no_inline_script_or_style():
    found = []
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        found += [f"{template.name}: {p.pattern}" for p in INLINE if p.search(text)]
    assert found == []


def test_signed_in_pages_and_downloads_are_not_stored(
    client_for, ministry_user, coesfeld_user, agreement, coesfeld
):
    client = client_for(ministry_user)
    urls = [
        *_pages(agreement, coesfeld)[:-1],
        f"/zielvereinbarungen/{agreement.pk}/pdf/",
        f"/monatswerte/{coesfeld.regional_key}/2014.csv",
        f"/monatswerte/{coesfeld.regional_key}/2014.xlsx",
        "/monatswerte/import/vorlage.csv",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url


# --- the 500 page -------------------------------------------------------------------


def crash(request):
    raise RuntimeError("kaputt")


urlpatterns = [path("kaputt/", crash), *project_urls.urlpatterns]


def test_server_error_page_is_german_and_self_contained(
    client_for, settings, ministry_user
):
    settings.ROOT_URLCONF = "tests.test_hardening"
    client = client_for(ministry_user)
    client.raise_request_exception = False
    response = client.get("/kaputt/")
    assert response.status_code == 500
    content = response.content.decode()
    assert '<html lang="de">' in content
    assert "Ein Fehler ist aufgetreten" in content
    assert "Content-Security-Policy" in response.headers
    assert "Ein Fehler ist aufgetreten" in render_to_string("500.html")


# --- year ranges --------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/uebersicht/0/",
        "/uebersicht/1999/",
        "/uebersicht/2101/",
        "/uebersicht/99999/",
        "/monatswerte/05558/0/",
        "/monatswerte/05558/0.csv",
        "/monatswerte/05558/0.xlsx",
        "/monatswerte/05558/1899.csv",
        "/monatswerte/05558/9999.xlsx",
        "/monatswerte/05558/0000-01/",
    ],
)
def test_years_out_of_range_answer_404(client_for, ministry_user, coesfeld, url):
    assert client_for(ministry_user).get(url).status_code == 404


def test_years_in_range_still_work(client_for, ministry_user, coesfeld):
    client = client_for(ministry_user)
    assert client.get("/uebersicht/2000/").status_code == 200
    assert client.get("/monatswerte/05558/2100/").status_code == 200
    assert client.get("/monatswerte/05558/2000.csv").status_code == 200


# --- upload limits ------------------------------------------------------------------


def test_upload_limits_come_from_the_settings(settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 2 * settings.MB
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE == 2 * settings.MB
    assert settings.IMPORT_MAX_BYTES == 20 * settings.MB


def test_import_file_above_the_limit_is_refused_before_it_is_read(
    client_for, coesfeld_user, coesfeld, settings, monkeypatch
):
    settings.IMPORT_MAX_BYTES = settings.MB

    def must_not_read(*args, **kwargs):
        raise AssertionError("the file was read")

    monkeypatch.setattr(importing, "read_table", must_not_read)
    monkeypatch.setattr("indicators.import_service.read_table", must_not_read)
    upload = SimpleUploadedFile("gross.csv", b"x" * (settings.MB * 3 // 2), "text/csv")
    response = client_for(coesfeld_user).post(
        "/monatswerte/import/", {"file": upload, "dry_run": "1"}
    )
    assert response.status_code == 200
    assert (
        "Die Datei ist 1,5 MB groß; erlaubt sind höchstens 1 MB"
        in response.content.decode()
    )


# --- the XLSX guard -----------------------------------------------------------------


def _xlsx(*rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(importing.COLUMNS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rewrite(content, name, change):
    """``content`` (a zip) with entry ``name`` replaced by ``change(bytes)``."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            data = source.read(entry.filename)
            if entry.filename == name:
                data = change(data)
            target.writestr(entry.filename, data)
    return buffer.getvalue()


def dimension_bomb():
    """A tiny file whose sheet claims A1:XFD1048576 (17 billion cells)."""
    return _rewrite(
        _xlsx(["05558", "2023-01", "elb", "insgesamt", 8512, "t3"]),
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(
            rb'<dimension ref="[^"]+"', b'<dimension ref="A1:XFD1048576"', xml
        ),
    )


def zip_bomb(megabytes=200):
    """A small file with a part that unpacks to ``megabytes`` of zeros."""
    content = _xlsx(["05558", "2023-01", "elb", "insgesamt", 8512, "t3"])
    buffer = io.BytesIO(content)
    with (
        zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/media/image1.bin", "w") as part,
    ):
        for _ in range(megabytes):
            part.write(bytes(1024 * 1024))
    return buffer.getvalue()


def _import(content, user):
    started = time.perf_counter()
    report = figures_import(
        content=content, file_name="bombe.xlsx", acting_user=user, dry_run=True
    )
    return report, time.perf_counter() - started


def test_dimension_bomb_is_refused_quickly(coesfeld_user, coesfeld):
    content = dimension_bomb()
    assert len(content) < 10_000
    report, seconds = _import(content, coesfeld_user)
    assert seconds < 1
    (error,) = report.errors
    assert "Die Tabelle ist zu groß: 1048576 Zeilen × 16384 Spalten" in error.reason


def test_zip_bomb_is_refused_quickly_by_its_unpacked_size(coesfeld_user, coesfeld):
    content = zip_bomb(200)
    assert len(content) < 1_000_000
    report, seconds = _import(content, coesfeld_user)
    assert seconds < 1
    (error,) = report.errors
    assert "wäre entpackt 200 MB groß; erlaubt sind höchstens 100 MB" in error.reason


def test_zip_bomb_is_refused_by_its_compression_ratio(coesfeld_user, coesfeld):
    report, seconds = _import(zip_bomb(20), coesfeld_user)
    assert seconds < 1
    assert "ungewöhnlich stark komprimiert" in report.errors[0].reason


def test_sheet_with_more_real_rows_than_allowed_is_refused(
    coesfeld_user, coesfeld, settings
):
    settings.IMPORT_MAX_ROWS = 3
    rows = [
        ["05558", f"2023-0{m}", "elb", "insgesamt", 8512, "t3"] for m in range(1, 6)
    ]
    # The sheet claims only A1:F2; the real rows count.
    content = _rewrite(
        _xlsx(*rows),
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:F2"', xml),
    )
    report, _seconds = _import(content, coesfeld_user)
    assert "Die Tabelle ist zu groß: 5 Zeilen" in report.errors[0].reason


def test_sheet_with_a_cell_far_to_the_right_is_refused(coesfeld_user, coesfeld):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(importing.COLUMNS)
    sheet.cell(row=2, column=5000, value="x")
    buffer = io.BytesIO()
    workbook.save(buffer)
    content = _rewrite(
        buffer.getvalue(),
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:F2"', xml),
    )
    report, _seconds = _import(content, coesfeld_user)
    assert "5000 Spalten" in report.errors[0].reason


def test_a_normal_xlsx_still_imports(coesfeld_user, coesfeld):
    content = _xlsx(["05558", "2023-01", "elb", "insgesamt", 8512, "t3"])
    report, _seconds = _import(content, coesfeld_user)
    assert report.ok
    assert report.created == 1


def test_bombs_on_the_import_page_give_a_german_message_not_a_500(
    client_for, coesfeld_user, coesfeld
):
    client = client_for(coesfeld_user)
    for name, content in (("dim.xlsx", dimension_bomb()), ("zip.xlsx", zip_bomb())):
        upload = SimpleUploadedFile(name, content, "application/octet-stream")
        # Step 1 keeps the file, step 2 checks it: both answer, neither a 500.
        response = client.post(
            "/monatswerte/import/", {"file": upload, "dry_run": "1"}, follow=True
        )
        assert response.status_code == 200
        assert "erlaubt sind höchstens" in response.content.decode()

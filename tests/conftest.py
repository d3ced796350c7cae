"""Shared fixtures: a ministry, two providers and one user of each (alice, bob, charlie).

- ``ministry_user`` edits agreements (ministry editor),
- ``coesfeld_user`` works for the provider Kreis Coesfeld,
- ``borken_user`` works for Kreis Borken: the "other provider" of each test.
"""

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.setdefault("TESTING", "true")

import datetime
import io
import re
import shutil
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from agreements import services
from agreements.models import Goal, Target, TargetKind
from tests import factories, schema_cache
from zielsteuerung.accounts.models import (
    Organisation,
    OrganisationKind,
    OrganisationName,
    Role,
    User,
)

PASSWORD = "geheim-genug-2024"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, request):
    """pytest-django's step just before the test databases are made (as its own,
    on the worker's suffix): an in-memory SQLite database takes its migrated
    schema from the copy kept by an earlier run (``schema_cache``)."""
    with schema_cache.kept_between_runs(request.config):
        yield


@pytest.fixture(scope="session", autouse=True)
def _each_document_laid_out_once():
    """WeasyPrint lays out the same HTML with the same options to the same bytes
    (``test_pdf`` checks it): many tests print the same document (the fixture
    agreement, a dialogue's report), so each process lays it out once and
    gives the later tests those bytes. Archives (with attachments) are always
    laid out: their attachments carry the moment they were made."""
    from agreements import pdf

    laid_out = {}
    write_pdf = pdf.write_pdf

    def once(html, options):
        if "attachments" in options:
            return write_pdf(html, options)
        key = (html, tuple(sorted(options.items())))
        if key not in laid_out:
            laid_out[key] = write_pdf(html, options)
        return laid_out[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf, "write_pdf", once)
        yield write_pdf


@pytest.fixture
def write_pdf_each_time(_each_document_laid_out_once):
    """``write_pdf`` itself, for a test that must see a layout happen."""
    return _each_document_laid_out_once


@pytest.fixture
def ministry(db):
    ministry = Organisation.objects.create(
        kind=OrganisationKind.MINISTRY,
        name="Ministerium für Arbeit, Gesundheit und Soziales des Landes Nordrhein-Westfalen",
        short_name="MAGS NRW",
        regional_key="05",
        seat="Düsseldorf",
    )
    OrganisationName.objects.create(
        organisation=ministry,
        name="Ministerium für Arbeit, Integration und Soziales des Landes Nordrhein-Westfalen",
        short_name="MAIS NRW",
        valid_until=datetime.date(2017, 6, 29),
    )
    return ministry


def _provider(ministry, name, short_name, key):
    return Organisation.objects.create(
        kind=OrganisationKind.PROVIDER,
        name=name,
        short_name=short_name,
        regional_key=key,
        jobcenter_name=f"Jobcenter des {name}",
        seat=short_name,
        supervisor=ministry,
    )


@pytest.fixture
def coesfeld(ministry):
    return _provider(ministry, "Kreis Coesfeld", "Coesfeld", "05558")


@pytest.fixture
def borken(ministry):
    return _provider(ministry, "Kreis Borken", "Borken", "05554")


def _user(username, organisation, role):
    return User.objects.create_user(
        username=username, password=PASSWORD, organisation=organisation, role=role
    )


@pytest.fixture
def ministry_user(ministry):
    return _user("alice", ministry, Role.EDITOR)


@pytest.fixture
def ministry_reader(ministry):
    return _user("anna", ministry, Role.READER)


@pytest.fixture
def coesfeld_user(coesfeld):
    return _user("bob", coesfeld, Role.EDITOR)


@pytest.fixture
def borken_user(borken):
    return _user("charlie", borken, Role.EDITOR)


@pytest.fixture
def agreement(coesfeld):
    """Coesfeld's 2014 draft with one goal and a K2 level target."""
    agreement = services.agreement_create(provider=coesfeld, year=2014)
    goal = Goal.objects.create(
        agreement=agreement, number="II", title="Integration in Erwerbstätigkeit"
    )
    Target.objects.create(
        goal=goal,
        kind=TargetKind.LEVEL,
        indicator="k2",
        baseline_value=Decimal("22.5"),
        baseline_year=2013,
        baseline_month=12,
        target_value=Decimal("25.4"),
        target_change=Decimal("12.9"),
        comparator="gte",
    )
    return agreement


@pytest.fixture
def borken_agreement(borken):
    return services.agreement_create(provider=borken, year=2023)


@pytest.fixture
def seeds(db):
    """The demo's two seed agreements (Coesfeld 2014, Borken 2023), no figures."""
    from agreements.demo import load_demo

    load_demo(complete=False)


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.test import override_settings

    from .snapshot import demo_snapshot

    # The demo's files (the report of Borken's dialogue) go to a folder of
    # their own, copied into each test's media folder with the database.
    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        snapshot = demo_snapshot()
    snapshot.media = media
    return snapshot


@pytest.fixture
def demo(transactional_db, demo_snapshot, media_root):
    """The whole demo, as ``load_demo`` leaves it (files too), in milliseconds."""
    demo_snapshot.restore()
    shutil.copytree(demo_snapshot.media, media_root, dirs_exist_ok=True)
    yield
    demo_snapshot.empty.restore()


@pytest.fixture
def client_for(client):
    """Log a user in on the test client: ``client_for(user).get(url)``."""

    def login(user):
        client.force_login(user)
        return client

    return login


def verify_second_factor(client, user):
    """Mark the client's session as signed in with a confirmed TOTP device."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="Test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's admin client, past the second factor staff need."""
    client.force_login(admin_user)
    verify_second_factor(client, admin_user)
    return client


@pytest.fixture
def security_events():
    """The security log's events of the test, as dicts (parsed JSON lines)."""
    import json
    import logging

    from zielsteuerung.jsonlog import JsonFormatter

    lines = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(self.format(record))

    handler = Collect()
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("zielsteuerung.security")
    logger.addHandler(handler)

    class Events(list):
        def names(self):
            return [event["event"] for event in self.refresh()]

        def refresh(self):
            self[:] = [json.loads(line) for line in lines]
            return self

    yield Events()
    logger.removeHandler(handler)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads and archives of each test go to a fresh folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def scanned_pdf_bytes(pages=1):
    """A small, valid PDF standing in for the scanned, signed agreement."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def scanned_upload(content=None, name="unterschrieben.pdf"):
    return SimpleUploadedFile(
        name, scanned_pdf_bytes() if content is None else content, "application/pdf"
    )


SIGNATURES = {
    "ministry": ("Düsseldorf", datetime.date(2014, 6, 2)),
    "provider": ("Coesfeld", datetime.date(2014, 5, 9)),
}


@pytest.fixture
def final_agreement(agreement, ministry_user):
    return services.agreement_finalize(agreement=agreement, acting_user=ministry_user)


def sign(agreement, user, signatures=SIGNATURES, signed_copy=None):
    """Sign ``agreement`` and render its archive, as the worker does after it."""
    signed = services.agreement_sign(
        agreement=agreement,
        acting_user=user,
        signatures=signatures,
        signed_copy=signed_copy or scanned_upload(),
    )
    return services.agreement_archive_render(agreement=signed)


@pytest.fixture
def signed_agreement(final_agreement, ministry_user):
    return sign(final_agreement, ministry_user)


@pytest.fixture
def put_figures(db):
    """``put_figures(provider, code, {month: value}, sex="total")`` stores values."""
    from django.utils import timezone

    from indicators.elements import ensure_default_elements
    from indicators.models import DataElement, MonthlyValue, ReportingMonth
    from indicators.services import figures_changed

    ensure_default_elements()
    elements = {element.code: element for element in DataElement.objects.all()}

    def put(provider, code, values, sex="total"):
        MonthlyValue.objects.bulk_create(
            MonthlyValue(
                provider=provider,
                month=month,
                element=elements[code],
                sex=sex,
                value=Decimal(value),
                data_status="t3",
                source="manual",
                changed_at=timezone.now(),
            )
            for month, value in values.items()
        )
        # as the services do: each month with figures has its reporting month
        ReportingMonth.objects.bulk_create(
            [
                ReportingMonth(provider=provider, month=month, data_status="t3")
                for month in values
            ],
            ignore_conflicts=True,
        )
        figures_changed([provider])

    return put


def months(first_year, first_month, count, value):
    """``{month: value}`` for ``count`` months from ``first_year-first_month``."""
    result = {}
    for offset in range(count):
        index = first_year * 12 + first_month - 1 + offset
        result[datetime.date(index // 12, index % 12 + 1, 1)] = value
    return result


@pytest.fixture
def year_agreement(coesfeld, put_figures):
    """Coesfeld 2023 in negotiation (in force): integrations +12.6 %, K2 ≥ 10 %.

    With figures up to May 2023 (t-3 to March): the steering dialogues' year.
    """
    agreement = factories.agreement(coesfeld, 2023)
    goal = factories.goal(agreement, number="II", title="Integration")
    factories.change_target(goal, "integrationen", "12.6", label="Integrationen")
    factories.level_target(goal, "k2", "10")
    put_figures(
        coesfeld,
        "integrationen",
        months(2022, 1, 12, 100) | months(2023, 1, 5, 110),
    )
    put_figures(coesfeld, "elb", months(2021, 12, 18, 10000))
    factories.reporting_months(
        coesfeld, datetime.date(2023, 1, 1), datetime.date(2023, 3, 1), "t3"
    )
    factories.reporting_months(
        coesfeld, datetime.date(2023, 4, 1), datetime.date(2023, 5, 1), "t0"
    )
    return agreement


DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}


@pytest.fixture(autouse=True)
def _empty_cache(request):
    """Each test starts without cached pages (ids repeat across test databases).

    The database cache needs database access: tests without it cannot use the
    cache either, so there is nothing to clear for them.
    """
    from django.core.cache import caches
    from django.core.cache.backends.db import DatabaseCache

    cache = caches["default"]
    if isinstance(cache, DatabaseCache):
        uses_db = request.node.get_closest_marker("django_db") or (
            DB_FIXTURES & set(request.fixturenames)
        )
        if not uses_db:
            return
        request.getfixturevalue("_django_db_helper")
    cache.clear()


# A row lock over a join locks the joined rows as well: a model's default
# ordering by a related model (MonthlyValue's by provider and element) would
# lock the Träger and the data elements, and every other writer of figures
# would wait for them. Locks name their own table (``of=("self",)``) or read
# without a join (``order_by()`` or an order by the table's own columns).
_JOINED_LOCK = re.compile(r" JOIN .* FOR (NO KEY )?(UPDATE|SHARE)(?! OF)", re.DOTALL)


def _refuse_joined_lock(execute, sql, params, many, context):
    if _JOINED_LOCK.search(sql):
        raise AssertionError(f"A row lock over a join locks the joined rows: {sql}")
    return execute(sql, params, many, context)


def _check_locks_of(connection, **kwargs):
    if _refuse_joined_lock not in connection.execute_wrappers:
        connection.execute_wrappers.append(_refuse_joined_lock)


@pytest.fixture(scope="session", autouse=True)
def _locks_only_their_own_rows():
    """Every query of every connection is checked: the tests' own and those of
    the live server's threads, which on PostgreSQL open connections of their
    own (PostgreSQL writes the locks; SQLite's SQL has none to check)."""
    from django.db import connections
    from django.db.backends.signals import connection_created

    connection_created.connect(_check_locks_of)
    for connection in connections.all(initialized_only=True):
        _check_locks_of(connection)
    yield
    connection_created.disconnect(_check_locks_of)


def end_other_database_sessions():
    """End the sessions of server or worker processes a test started and stopped.

    PostgreSQL notices a client that was killed, or that exited holding a
    persistent connection, only in its own time: end those sessions now, as
    the server eventually would (else the test database cannot be dropped at
    the end of the run). Each xdist worker has a test database of its own.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )

"""Large imports run in a real worker process (``manage.py run_worker``):
the page shows the job's progress, the report equals the in-request path, a
job whose worker is killed is tried again or marked failed, and the daily
reminders are enqueued once a day by the worker's ticker.

The worker is the database backend's (``db_worker``), or RQ when REDIS_URL
is set (CI runs this file against the Redis at 127.0.0.1:6379/5 too). On
SQLite the in-memory test database is copied into a file for the worker and
copied back afterwards; on PostgreSQL both use the test database.
"""

import datetime
import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zoneinfo
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from indicators import staging
from indicators.elements import ensure_default_elements
from indicators.jobs import report_json
from indicators.models import DataElement, MonthlyValue, StagedImport
from tests.conftest import end_other_database_sessions
from tests.test_shared_cache import ROOT
from zielsteuerung.accounts.models import Organisation, OrganisationKind
from zielsteuerung.jobs.models import Job, JobStatus, PeriodicRun
from zielsteuerung.jobs.services import job_run, jobs_reap, periodic_tick

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _small_threshold(settings):
    settings.IMPORT_BACKGROUND_ROWS = 1000


@pytest.fixture(autouse=True)
def _empty_rq_queue():
    if settings.TASKS_REDIS_URL:
        import django_rq

        django_rq.get_queue("default").empty()


def _providers(ministry, count):
    return [
        Organisation.objects.create(
            kind=OrganisationKind.PROVIDER,
            name=f"Kreis {index}",
            short_name=f"K{index}",
            regional_key=f"0599{index:02d}",
            supervisor=ministry,
        )
        for index in range(count)
    ]


def _csv(providers, months):
    """One value per provider, month, element and sex: a real export's shape."""
    ensure_default_elements()
    lines = ["regionalschluessel;monat;merkmal;geschlecht;wert;datenstand"]
    sexes = {"total": "insgesamt", "women": "frauen", "men": "maenner"}
    for provider in providers:
        for number in range(months):
            month = f"{2000 + number // 12}-{number % 12 + 1:02d}"
            for element in DataElement.objects.all():
                total = 1000 + number
                for sex in element.sexes:
                    value = total if sex == "total" else total // 2
                    lines.append(
                        f"{provider.regional_key};{month};{element.code};"
                        f"{sexes[sex]};{value};t3"
                    )
    return ("\n".join(lines) + "\n").encode()


def _upload(client, content):
    upload = SimpleUploadedFile("export.csv", content, "text/csv")
    response = client.post(reverse("indicators:import"), {"file": upload})
    assert response.status_code == 302
    return StagedImport.objects.latest("pk")


def _check_url(staged):
    return reverse("indicators:import_check", args=[staged.pk])


@contextmanager
def _shared_database(tmp_path):
    """A database URL the worker can open; on SQLite copied back on exit."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        host, port = db["HOST"] or "127.0.0.1", db["PORT"] or "5432"
        yield f"postgres://{db['USER']}@{host}:{port}/{db['NAME']}"
        return
    path = tmp_path / "worker.sqlite3"
    path.unlink(missing_ok=True)
    connection.ensure_connection()
    with sqlite3.connect(path) as target:
        connection.connection.backup(target)
    yield f"sqlite:///{path}"
    with sqlite3.connect(path) as source:
        source.backup(connection.connection)


def _worker(url, *args):
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "TESTING": "true",
        "DEBUG": "false",
        "ALLOW_SQLITE": "true",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "SECRET_KEY": settings.SECRET_KEY,
    }
    if settings.TASKS_REDIS_URL:
        env["TASKS_REDIS_URL"] = settings.TASKS_REDIS_URL
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--no-ticker", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: RQ forks a work horse
    )


def _run_worker_until_idle(tmp_path):
    """Run one worker over everything queued, then copy the state back."""
    with _shared_database(tmp_path) as url:
        worker = _worker(url, "--burst")
        _out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err


def _job_state(url, job_id):
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            return db.execute(
                "SELECT status, attempts FROM jobs_job WHERE id = ?", (job_id,)
            ).fetchone()
    job = Job.objects.get(pk=job_id)
    return job.status, job.attempts


def test_large_import_runs_in_the_worker_and_equals_the_in_request_path(
    client_for, ministry, coesfeld_user, coesfeld, tmp_path
):
    client = client_for(coesfeld_user)
    content = _csv([coesfeld], 60)  # 60 months × 22 values
    rows = content.count(b"\n") - 1
    staged = _upload(client, content)
    # The page starts the dry run in the background and shows its progress.
    page = client.get(_check_url(staged)).content.decode()
    assert "im Hintergrund geprüft" in page
    assert "Wartet auf einen freien Hintergrundprozess" in page
    job = Job.objects.get(kind="import_check")
    state = client.get(reverse("job_status", args=[job.pk])).json()
    assert (state["status"], state["finished"]) == ("queued", False)

    _run_worker_until_idle(tmp_path)

    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert (job.progress_done, job.progress_total) == (rows, rows)
    assert job.attempts == 1
    in_request = staging.staged_import_check(staged, acting_user=coesfeld_user)
    assert job.result["report"] == report_json(in_request)
    page = client.get(_check_url(staged)).content.decode()
    assert f"{rows} Zeilen: {rows} neu, 0 geändert, 0 unverändert" in page
    assert "Probelauf wiederholen" in page

    response = client.post(_check_url(staged), {})  # "Jetzt importieren"
    assert response.status_code == 302
    page = client.get(_check_url(staged)).content.decode()
    assert "im Hintergrund importiert" in page
    assert not MonthlyValue.objects.exists()

    _run_worker_until_idle(tmp_path)

    staged.refresh_from_db()
    assert staged.imported is not None
    assert MonthlyValue.objects.count() == rows
    again = staging.staged_import_check(staged, acting_user=coesfeld_user)
    assert again.unchanged == rows  # the worker wrote exactly the file
    page = client.get(_check_url(staged)).content.decode()
    assert "Importiert: export.csv" in page
    # The overview of the ministry was warmed after the import.
    assert Job.objects.get(kind="overview_warm").status == JobStatus.DONE


def test_other_users_do_not_see_a_job(client_for, coesfeld_user, borken_user, coesfeld):
    client = client_for(coesfeld_user)
    staged = _upload(client, _csv([coesfeld], 60))
    client.get(_check_url(staged))
    job = Job.objects.get()
    other = client_for(borken_user)
    assert other.get(reverse("job_status", args=[job.pk])).status_code == 404
    assert other.get(_check_url(staged)).status_code == 404


def test_a_failed_job_shows_its_error(client_for, coesfeld_user, coesfeld, tmp_path):
    client = client_for(coesfeld_user)
    staged = _upload(client, _csv([coesfeld], 60))
    client.get(_check_url(staged))
    with staged.file.storage.open(staged.file.name, "ab") as changed:
        changed.write(b"\n")  # the kept file is no longer the checked one
    _run_worker_until_idle(tmp_path)
    job = Job.objects.get(kind="import_check")
    assert job.status == JobStatus.FAILED
    page = client.get(_check_url(staged)).content.decode()
    assert "Der Auftrag ist fehlgeschlagen" in page
    assert "hat sich seit dem Probelauf verändert" in page
    assert "Probelauf erneut starten" in page


def test_a_job_whose_worker_died_is_tried_again(
    client_for, ministry, coesfeld_user, coesfeld, tmp_path
):
    providers = [coesfeld, *_providers(ministry, 5)]
    coesfeld_user.organisation = ministry  # imports for all six providers
    coesfeld_user.save()
    client = client_for(coesfeld_user)
    content = _csv(providers, 160)  # six providers, 13⅓ years: 21,120 rows
    assert content.count(b"\n") - 1 > settings.IMPORT_BACKGROUND_ROWS  # the worker's
    staged = _upload(client, content)
    client.post(_check_url(staged), {"reason": "Revision"})
    job = Job.objects.get(kind="import_run")
    with _shared_database(tmp_path) as url:
        worker = _worker(url)
        deadline = time.monotonic() + 60
        while _job_state(url, job.pk)[0] != "running":
            assert time.monotonic() < deadline, worker.stderr
            time.sleep(0.05)
        os.killpg(worker.pid, signal.SIGKILL)  # the worker dies mid-import
        worker.wait(timeout=20)
        end_other_database_sessions()
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.RUNNING, 1)
    assert not MonthlyValue.objects.exists()  # all or nothing

    later = timezone.now() + datetime.timedelta(seconds=settings.JOB_STALE_SECONDS + 1)
    assert jobs_reap(now=later) == [job]
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    _run_worker_until_idle(tmp_path)

    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.DONE, 2)
    assert MonthlyValue.objects.count() == content.count(b"\n") - 1


def test_a_job_that_lost_its_worker_too_often_is_marked_failed(
    client_for, coesfeld_user, coesfeld, settings
):
    client = client_for(coesfeld_user)
    staged = _upload(client, _csv([coesfeld], 60))
    client.get(_check_url(staged))
    job = Job.objects.get()
    old = timezone.now() - datetime.timedelta(seconds=settings.JOB_STALE_SECONDS + 1)
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, attempts=settings.JOB_MAX_ATTEMPTS, heartbeat_at=old
    )
    state = client.get(reverse("job_status", args=[job.pk])).json()
    assert state["status"] == "failed"
    assert "unterbrochen" in state["error"]
    page = client.get(_check_url(staged)).content.decode()
    assert "Der Auftrag ist fehlgeschlagen" in page


def test_reminders_are_enqueued_once_a_day_and_sent_by_the_worker(
    ministry, coesfeld, tmp_path, settings
):
    settings.REMINDERS_AT = datetime.time(6, 15)
    settings.JOBS_TIDY_AT = datetime.time(23, 0)  # not due: see the test below
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    morning = datetime.datetime(2025, 3, 21, 7, 0, tzinfo=berlin)
    early = datetime.datetime(2025, 3, 21, 6, 0, tzinfo=berlin)
    assert periodic_tick(now=early) == []
    first = periodic_tick(now=morning)
    assert [job.kind for job in first] == ["reminders_send"]
    assert periodic_tick(now=morning) == []  # a second worker's tick: nothing
    assert PeriodicRun.objects.get().day == datetime.date(2025, 3, 21)
    _run_worker_until_idle(tmp_path)
    job = Job.objects.get(kind="reminders_send")
    assert job.status == JobStatus.DONE, job.error
    assert set(job.result) == {"reminders", "providers"}


def test_finished_warming_jobs_are_removed_once_a_day_when_a_day_old(settings):
    settings.REMINDERS_AT = datetime.time(23, 0)
    settings.JOBS_TIDY_AT = datetime.time(3, 30)
    now = timezone.now()

    def job(kind, status, hours_ago):
        return Job.objects.create(
            kind=kind,
            status=status,
            finished_at=now - datetime.timedelta(hours=hours_ago),
        ).pk

    old_done = job("overview_warm", JobStatus.DONE, 30)
    kept = [
        job("overview_warm", JobStatus.DONE, 2),
        job("overview_warm", JobStatus.FAILED, 30),  # kept to look into
        job("reminders_send", JobStatus.DONE, 30),
    ]
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    (tidy,) = periodic_tick(now=datetime.datetime(2025, 3, 21, 4, 0, tzinfo=berlin))
    assert tidy.kind == "overview_warm_tidy"
    assert job_run(tidy.pk) == {"removed": 1}
    assert not Job.objects.filter(pk=old_done).exists()
    assert set(kept) <= set(Job.objects.values_list("pk", flat=True))


def test_health_fails_while_a_job_waits_too_long_for_a_worker(coesfeld_user):
    # The check itself: the async /healthz/ view cannot be called from a test
    # process that holds Playwright's event loop (the browser tests').
    from health_check.exceptions import ServiceUnavailable

    from zielsteuerung.health import HealthView
    from zielsteuerung.jobs.health import Queue

    assert any(isinstance(check, Queue) for check in HealthView().get_checks())
    job = Job.objects.create(kind="reminders_send", owner=coesfeld_user)
    Queue().run()  # a fresh job: fine
    waited = timezone.now() - datetime.timedelta(
        seconds=settings.JOB_QUEUE_MAX_WAIT_SECONDS + 1
    )
    Job.objects.filter(pk=job.pk).update(created_at=waited)
    with pytest.raises(ServiceUnavailable):
        Queue().run()


def _sign_through_the_page(client, agreement):
    from tests.conftest import scanned_upload

    url = reverse("agreements:sign", args=[agreement.pk])
    response = client.post(
        url,
        {
            "ministry_place": "Düsseldorf",
            "ministry_date": "2014-06-02",
            "provider_place": "Coesfeld",
            "provider_date": "2014-05-09",
            "signed_copy": scanned_upload(),
        },
    )
    assert response.status_code == 302


def test_signing_renders_the_archive_in_the_worker(
    client_for, ministry_user, final_agreement, tmp_path
):
    client = client_for(ministry_user)
    _sign_through_the_page(client, final_agreement)
    page = client.get(final_agreement.get_absolute_url()).content.decode()
    assert "wird im Hintergrund erstellt" in page
    assert "Archivexemplar (PDF/A) herunterladen" not in page
    _run_worker_until_idle(tmp_path)
    final_agreement.refresh_from_db()
    assert final_agreement.status == "signed"
    digest = final_agreement.archive_sha256
    page = client.get(final_agreement.get_absolute_url()).content.decode()
    assert digest
    assert digest in page
    download = client.get(reverse("agreements:archive", args=[final_agreement.pk]))
    content = b"".join(download.streaming_content)
    assert hashlib.sha256(content).hexdigest() == digest


def test_a_failed_archive_shows_its_error_and_can_be_started_again(
    client_for, ministry_user, coesfeld_user, final_agreement, monkeypatch
):
    from agreements import pdf

    client = client_for(ministry_user)
    _sign_through_the_page(client, final_agreement)
    job = Job.objects.get(kind="agreement_archive")

    def broken(*args, **kwargs):
        raise OSError("Schriftart nicht gefunden")

    monkeypatch.setattr(pdf, "render_archive_pdf", broken)
    with pytest.raises(OSError, match="Schriftart"):
        job_run(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    page = client.get(final_agreement.get_absolute_url()).content.decode()
    assert "Schriftart nicht gefunden" in page
    assert "Archivexemplar erneut erstellen" in page
    reader = client_for(coesfeld_user)  # the provider reads, may not retry
    retry = reverse("agreements:archive_retry", args=[final_agreement.pk])
    assert reader.post(retry).status_code == 403
    monkeypatch.undo()
    client = client_for(ministry_user)
    assert client.post(retry).status_code == 302
    job_run(Job.objects.filter(kind="agreement_archive").first().pk)
    final_agreement.refresh_from_db()
    assert final_agreement.archive_sha256

"""A grid save leaves the overview's computing to the worker, once per burst."""

import datetime
from unittest import mock

import pytest
from django.urls import reverse

from agreements import overview_table
from tests.test_overview import _agreement_with_figures
from tests.test_results import _save_month
from zielsteuerung.jobs.models import Job, JobStatus
from zielsteuerung.jobs.services import job_run

pytestmark = pytest.mark.django_db


def _warm_jobs():
    return list(
        Job.objects.filter(kind="overview_warm")
        .order_by("pk")
        .values_list("params", "status")
    )


def test_a_grid_save_queues_one_warming_per_provider_and_year(
    ministry_user, coesfeld, borken, django_capture_on_commit_callbacks
):
    def save(provider, month, value):
        with django_capture_on_commit_callbacks(execute=True):
            _save_month(
                ministry_user, provider, month, {"integrationen": value}, reason="T"
            )

    save(coesfeld, datetime.date(2023, 3, 1), 100)
    save(coesfeld, datetime.date(2023, 4, 1), 101)  # the queued job covers it
    save(borken, datetime.date(2023, 3, 1), 102)
    save(coesfeld, datetime.date(2024, 1, 1), 103)
    queued = JobStatus.QUEUED
    assert _warm_jobs() == [
        ({"providers": [coesfeld.pk], "years": [2023]}, queued),
        ({"providers": [borken.pk], "years": [2023]}, queued),
        ({"providers": [coesfeld.pk], "years": [2024]}, queued),
    ]
    job_run(Job.objects.filter(kind="overview_warm").order_by("pk").first().pk)
    save(coesfeld, datetime.date(2023, 5, 1), 104)  # the first one has run
    assert len(_warm_jobs()) == 4


def test_a_save_that_changes_nothing_queues_nothing(
    ministry_user, coesfeld, django_capture_on_commit_callbacks
):
    march = datetime.date(2023, 3, 1)
    with django_capture_on_commit_callbacks(execute=True):
        _save_month(ministry_user, coesfeld, march, {"integrationen": 9}, reason="T")
    Job.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        _save_month(ministry_user, coesfeld, march, {"integrationen": 9}, reason="T")
    assert _warm_jobs() == []


def test_after_the_worker_the_overview_computes_nothing(
    client_for,
    ministry_user,
    coesfeld,
    borken,
    put_figures,
    django_capture_on_commit_callbacks,
):
    for number, provider in enumerate([coesfeld, borken]):
        _agreement_with_figures(provider, put_figures, 110 + 10 * number)
    client = client_for(ministry_user)
    url = reverse("overview", args=[2023])
    assert client.get(url).status_code == 200
    july = datetime.date(2023, 7, 1)
    with django_capture_on_commit_callbacks(execute=True):
        _save_month(
            ministry_user, borken, july, {"integrationen": 140, "elb": 10000}, "t3", "T"
        )
    (job,) = Job.objects.filter(kind="overview_warm")
    job_run(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    with mock.patch.object(
        overview_table, "overview_rows", side_effect=AssertionError("computed")
    ):
        page = client.get(url).content.decode()
    assert "Werte bis Juli 2023" in page  # Borken's row shows the new month

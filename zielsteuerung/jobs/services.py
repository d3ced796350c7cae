"""Enqueue, run, watch and rescue background jobs.

Apps register what a kind of job does (``register``) and which jobs run
every day (``periodic``) in their ``AppConfig.ready``. ``job_enqueue`` keeps
a ``Job`` row and, once the transaction commits, hands "run job N" to the
queue (``tasks.run_job``: django-tasks' database backend, or RQ with Redis).
The worker's ticker (``manage.py run_worker``) enqueues the periodic jobs
once a day and rescues jobs whose worker died: a running job without a sign
of life for ``JOB_STALE_SECONDS`` is tried again, up to ``JOB_MAX_ATTEMPTS``
times, and then marked failed with a message. Nothing is lost silently.
"""

import datetime
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Job, JobStatus, PeriodicRun

logger = logging.getLogger(__name__)

HANDLERS = {}  # kind → function(job, progress) returning a JSON-able result


@dataclass(frozen=True)
class Periodic:
    name: str
    at_setting: str  # the setting with the local time of day it runs from
    kind: str

    @property
    def at(self):
        return getattr(settings, self.at_setting)


PERIODIC = []


class JobError(Exception):
    """A job failed for a reason the user should read (German message)."""


def register(kind):
    """Decorator: ``func(job, progress)`` does the work of jobs of ``kind``."""

    def decorate(func):
        HANDLERS[kind] = func
        return func

    return decorate


def periodic(name, at_setting, kind):
    """Run a job of ``kind`` once a day from the time in setting ``at_setting``."""
    if all(entry.name != name for entry in PERIODIC):
        PERIODIC.append(Periodic(name, at_setting, kind))


def job_enqueue(*, kind, params=None, owner=None, subject=""):
    """Keep a job and hand it to the queue when the transaction commits."""
    if kind not in HANDLERS:
        raise KeyError(kind)
    job = Job.objects.create(
        kind=kind, params=params or {}, owner=owner, subject=subject
    )
    transaction.on_commit(lambda: _send(job.pk))
    return job


def _send(job_id):
    """Put "run job N" on the queue; a queue that refuses marks the job failed."""
    from .tasks import run_job

    try:
        result = run_job.enqueue(job_id)
    except Exception:
        logger.exception("Job %s could not be queued", job_id)
        Job.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            error=_(
                "Die Warteschlange für Hintergrundaufträge ist nicht erreichbar. "
                "Bitte später erneut versuchen."
            ),
        )
        return
    Job.objects.filter(pk=job_id).update(task_id=str(result.id)[:64])


def job_run(job_id):
    """Run job ``job_id`` (called by the queue's worker); return its result."""
    job = _claim(job_id)
    if job is None:
        return None
    try:
        result = HANDLERS[job.kind](job, Progress(job))
    except Exception as error:
        _finish(job, JobStatus.FAILED, error=failure_message(error))
        raise
    _finish(job, JobStatus.DONE, result=result)
    return result


@transaction.atomic
def _claim(job_id):
    """Mark a queued job running; None if it is gone, running or finished."""
    job = Job.objects.select_for_update().filter(pk=job_id).first()
    if job is None or job.status != JobStatus.QUEUED:
        return None
    now = timezone.now()
    job.status, job.attempts = JobStatus.RUNNING, job.attempts + 1
    job.started_at = job.heartbeat_at = now
    job.save(update_fields=["status", "attempts", "started_at", "heartbeat_at"])
    return job


def _finish(job, status, *, result=None, error=""):
    job.status, job.result, job.error = status, result, error
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "result", "error", "finished_at"])


def failure_message(error):
    """What the user reads about a failed job."""
    if isinstance(error, JobError):
        return str(error)
    detail = str(error) or type(error).__name__
    return _("Unerwarteter Fehler (%(kind)s): %(detail)s") % {
        "kind": type(error).__name__,
        "detail": detail[:500],
    }


class Progress:
    """``progress(text, done=None, total=None)`` from inside a job.

    Written at most every ``JOB_PROGRESS_SECONDS``, with the job's sign of
    life. Inside a transaction (the import writes all or nothing) nothing is
    written: no other process could see it, and on SQLite the write lock
    belongs to the transaction.
    """

    def __init__(self, job):
        self.job = job
        self._written = 0.0

    def __call__(self, text, done=None, total=None):
        if connection.in_atomic_block:
            return
        total = self.job.progress_total if total is None else total
        now = time.monotonic()
        if now - self._written < settings.JOB_PROGRESS_SECONDS and done != total:
            return
        self._written = now
        Job.objects.filter(pk=self.job.pk).update(
            progress_text=str(text)[:200],
            progress_done=done,
            progress_total=total,
            heartbeat_at=timezone.now(),
        )


def jobs_reap(now=None):
    """Try again, or mark failed, the running jobs whose worker died."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(seconds=settings.JOB_STALE_SECONDS)
    candidates = Job.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=limit)
    if not candidates.exists():  # the usual case: no write lock taken
        return []
    rescued = []
    with transaction.atomic():
        stale = Job.objects.select_for_update().filter(
            status=JobStatus.RUNNING, heartbeat_at__lt=limit
        )
        for job in stale:
            if job.attempts < settings.JOB_MAX_ATTEMPTS:
                job.status = JobStatus.QUEUED
                job.progress_text = _(
                    "Der Hintergrundprozess wurde unterbrochen; neuer Versuch."
                )
                transaction.on_commit(lambda pk=job.pk: _send(pk))
            else:
                job.status, job.finished_at = JobStatus.FAILED, now
                job.error = _(
                    "Der Hintergrundprozess wurde %(count)s-mal unterbrochen, "
                    "bevor der Auftrag fertig war. Bitte erneut starten; "
                    "gespeichert wurde nichts, was nicht fertig war."
                ) % {"count": job.attempts}
            job.save(update_fields=["status", "progress_text", "error", "finished_at"])
            rescued.append(job)
    return rescued


def periodic_tick(now=None):
    """Enqueue each periodic job due today that nobody enqueued yet."""
    local = timezone.localtime(now or timezone.now())
    started = []
    for entry in PERIODIC:
        if local.time() < entry.at or entry.kind not in HANDLERS:
            continue
        try:
            with transaction.atomic():
                run = PeriodicRun.objects.create(name=entry.name, day=local.date())
                run.job = job_enqueue(kind=entry.kind, subject=f"periodic:{entry.name}")
                run.save(update_fields=["job"])
                started.append(run.job)
        except IntegrityError:  # another worker was first today
            continue
    return started


def latest_job(subject, owner):
    """The newest job about ``subject`` that ``owner`` asked for, or None."""
    return Job.objects.filter(subject=subject, owner=owner).first()

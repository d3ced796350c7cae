"""``manage.py run_worker``: one background worker for this installation.

Runs the queue's own worker — ``db_worker`` (django-tasks-db) without Redis,
``rqworker --job-class django_tasks_rq.Job --with-scheduler`` with
``REDIS_URL`` — and beside it a ticker thread that every
``JOB_TICK_SECONDS`` enqueues the periodic jobs due (once a day each, however
many workers run) and rescues jobs whose worker died.
"""

import logging
import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from zielsteuerung.jobs.services import jobs_reap, periodic_tick

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Startet einen Hintergrundprozess für Importe, Erinnerungen und "
        "Zwischenspeicher: db_worker, mit REDIS_URL rqworker; dazu den Takt "
        "für die täglichen Aufträge."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-ticker",
            action="store_true",
            help="Ohne Takt (tägliche Aufträge, Rettung abgebrochener Aufträge).",
        )
        parser.add_argument(
            "--burst",
            action="store_true",
            help="Alle wartenden Aufträge abarbeiten, dann beenden.",
        )

    def handle(self, *args, no_ticker=False, burst=False, **options):
        if not no_ticker:
            threading.Thread(target=_tick_forever, daemon=True).start()
        if settings.TASKS_REDIS_URL:
            call_command(
                "rqworker",
                "default",
                job_class="django_tasks_rq.Job",
                with_scheduler=True,
                burst=burst,
            )
        else:
            call_command(
                "db_worker",
                queue_name="default",
                interval=settings.JOB_POLL_SECONDS,
                batch=burst,
                reload=False,
                verbosity=options["verbosity"],
            )


def _tick_forever():
    stop = threading.Event()
    while not stop.wait(settings.JOB_TICK_SECONDS):
        try:
            close_old_connections()
            jobs_reap()
            periodic_tick()
        except Exception:  # the ticker must outlive a broken database moment
            logger.exception("Background ticker failed; trying again")
        finally:
            connection.close()

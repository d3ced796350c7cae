"""``/healthz/``'s queue check: no job waits too long for a worker."""

import dataclasses
import datetime

from django.conf import settings
from django.db import connection
from django.utils import timezone
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable

from .models import Job, JobStatus


@dataclasses.dataclass
class Queue(HealthCheck):
    """Fails when the oldest waiting job waited beyond JOB_QUEUE_MAX_WAIT_SECONDS:
    no worker runs, or all are stuck."""

    def run(self):
        try:
            oldest = (
                Job.objects.filter(status=JobStatus.QUEUED)
                .order_by("created_at")
                .values_list("created_at", flat=True)
                .first()
            )
        finally:
            connection.close()  # this runs in a thread of its own
        limit = datetime.timedelta(seconds=settings.JOB_QUEUE_MAX_WAIT_SECONDS)
        if oldest is not None and timezone.now() - oldest > limit:
            raise ServiceUnavailable("A background job waits for a worker")

"""The state of a job as JSON, for the page that waits for it."""

from django.http import JsonResponse
from django.shortcuts import get_object_or_404

from .models import Job
from .services import jobs_reap


def job_status(request, pk):
    """``/auftraege/<id>/``: only the person who started the job sees it (404)."""
    jobs_reap()  # a page waiting for a dead worker's job learns of it here
    job = get_object_or_404(Job, pk=pk, owner=request.user)
    return JsonResponse(
        {
            "status": job.status,
            "label": job.get_status_display(),
            "text": job.progress_text,
            "percent": job.percent,
            "finished": job.is_finished,
            "error": job.error,
        }
    )

"""The one task the queue knows: run a kept job (``services.job_run``).

Written against Django's task API through the django-tasks backport, so it
moves to Django 6's ``django.tasks`` by changing the import only.
"""

from django_tasks import task

from .services import job_run


@task()
def run_job(job_id: int):
    job_run(job_id)
    return job_id

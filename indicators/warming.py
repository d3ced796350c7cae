"""After figures change, the worker computes the ministry's pages again.

The overview of all providers and the ministry's start page are computed
from kept parts (results, table rows, the Land's sums), but right after a
change someone must compute the changed part. Each change of figures, from
the grid or an import, leaves that to the background worker
(``overview_warm`` in ``agreements/jobs.py``), so that the next person who
opens the overview finds it in the cache. A request that comes before the
worker is done computes what it needs itself: it never shows an old state.

Figures cannot depend on agreements, so the job is queued only where the
agreements app registered it.
"""

from django.db import transaction


def overview_warm_for(providers, years):
    """Once the transaction commits, queue the overview's warming.

    A queued, not yet started job for the same providers and years is not
    queued again: when it runs it reads what is current then, this change
    included.
    """
    params = {"providers": sorted(set(providers)), "years": sorted(set(years))}
    transaction.on_commit(lambda: _enqueue(params))


def _enqueue(params):
    from zielsteuerung.jobs.models import Job, JobStatus
    from zielsteuerung.jobs.services import HANDLERS, job_enqueue

    if "overview_warm" not in HANDLERS:
        return
    queued = Job.objects.filter(
        kind="overview_warm", status=JobStatus.QUEUED, params=params
    )
    if queued.exists():
        return
    with transaction.atomic():
        job_enqueue(kind="overview_warm", params=params, subject="overview-warm")

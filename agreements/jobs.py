"""Background jobs of the agreements: the archive copy after signing, and
warming the overview after an import.

The overview of all providers takes about a second to compute at national
scale; after an import the worker computes it (and the ministry's start
page) for the years the file touched, so the next person finds it in the
cache. Registered in ``AgreementsConfig.ready``.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from zielsteuerung.accounts.models import Organisation, Role, User
from zielsteuerung.jobs.models import Job, JobStatus
from zielsteuerung.jobs.services import JobError, periodic, register

from . import services
from .models import Agreement
from .overview import steering_year
from .progress_views import ministry_start_fragment, overview_fragment


@register("overview_warm")
def overview_warm(job, progress):
    """``params``: the providers and years an import changed."""
    ministries = Organisation.objects.ministries().filter(
        providers__pk__in=job.params.get("providers", [])
    )
    warmed = []
    for ministry in ministries.distinct():
        for user in _stand_ins(ministry):
            years = set(job.params.get("years", []))
            current = steering_year(user)
            if current is not None:
                years.add(current)
                ministry_start_fragment(user, current)
            for year in sorted(years):
                overview_fragment(user, year)
                warmed.append([ministry.pk, year])
        progress(ministry.short_name)
    return {"warmed": warmed}


# Finished warming jobs are kept this long: their work lives in the cache.
KEEP_WARMING = datetime.timedelta(days=1)


@register("overview_warm_tidy")
def overview_warm_tidy(job, progress):
    """Remove the finished warming jobs older than ``KEEP_WARMING``.

    A grid save queues one each (``indicators/warming.py``); failed ones stay
    for whoever looks into why.
    """
    removed, _by_model = Job.objects.filter(
        kind="overview_warm",
        status=JobStatus.DONE,
        finished_at__lt=timezone.now() - KEEP_WARMING,
    ).delete()
    return {"removed": removed}


periodic("overview-warm-tidy", "JOBS_TIDY_AT", "overview_warm_tidy")


def _stand_ins(ministry):
    """Unsaved users of ``ministry`` in both roles: the cache keys differ by
    whether the user may edit the Land's targets."""
    return [
        User(organisation=ministry, role=role, is_active=True)
        for role in (Role.EDITOR, Role.READER)
    ]


@register("agreement_archive")
def agreement_archive(job, progress):
    """Render the PDF/A archive of a signed agreement (once)."""
    agreement = Agreement.objects.filter(pk=job.params["agreement"]).first()
    if agreement is None:
        raise JobError(_("Die Zielvereinbarung gibt es nicht mehr."))
    progress(_("Archivexemplar wird erstellt"))
    agreement = services.agreement_archive_render(agreement=agreement)
    return {"sha256": agreement.archive_sha256}

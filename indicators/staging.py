"""The import in two steps: check a file, then import exactly that file.

``staged_import_create`` keeps the uploaded bytes under MEDIA_ROOT with their
SHA-256, tied to the uploader; ``staged_import_check`` runs the dry run on
them and ``staged_import_run`` the real import, after checking that the bytes
are still the ones that were checked. Nobody uploads twice, and nothing but
the checked file can be imported.
"""

import datetime
import hashlib

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .import_service import figures_import
from .models import StagedImport
from .warming import overview_warm_for

# Files checked but never imported are removed after this long.
KEEP_UNIMPORTED = datetime.timedelta(days=1)


class StagedFileChanged(Exception):
    """The stored file no longer has the checksum it had when checked."""


def staged_import_create(*, upload, acting_user):
    """Store ``upload`` for ``acting_user``; forget their old unimported files."""
    content = upload.read()
    staged = StagedImport(
        uploaded_by=acting_user,
        file_name=upload.name[-255:],
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
    )
    with transaction.atomic():
        _forget_old(acting_user)
        staged.file.save(upload.name[-100:], ContentFile(content), save=False)
        staged.save()
    return staged


def _forget_old(user):
    old = StagedImport.objects.filter(
        uploaded_by=user,
        imported__isnull=True,
        uploaded_at__lt=timezone.now() - KEEP_UNIMPORTED,
    )
    for staged in old:
        staged.file.delete(save=False)
        staged.delete()


def staged_content(staged):
    """The stored bytes, if they are still those that were checked."""
    with staged.file.open("rb") as stored:
        content = stored.read()
    if hashlib.sha256(content).hexdigest() != staged.sha256:
        raise StagedFileChanged(staged.file_name)
    return content


def staged_import_check(staged, *, acting_user, progress=None):
    """The dry run of the stored file: what would change now."""
    return figures_import(
        content=staged_content(staged),
        file_name=staged.file_name,
        acting_user=acting_user,
        dry_run=True,
        progress=progress,
    )


@transaction.atomic
def staged_import_run(
    *,
    staged,
    acting_user,
    reason="",
    warning_reasons=None,
    file_reason="",
    progress=None,
):
    """Import exactly the checked file; the report says whether it was written."""
    staged = StagedImport.objects.select_for_update().get(pk=staged.pk)
    if staged.uploaded_by_id != acting_user.pk:
        raise PermissionDenied(_("Diese Datei hat jemand anderes hochgeladen."))
    if staged.imported_id is not None:
        raise PermissionDenied(_("Diese Datei ist schon importiert."))
    report = figures_import(
        content=staged_content(staged),
        file_name=staged.file_name,
        acting_user=acting_user,
        reason=reason,
        warning_reasons=warning_reasons,
        file_reason=file_reason,
        progress=progress,
    )
    if report.record is not None:
        report.record.sha256 = staged.sha256
        report.record.save(update_fields=["sha256"])
        staged.imported = report.record
        staged.save(update_fields=["imported"])
        overview_warm_after(report)
    return report


def overview_warm_after(report):
    """After an import, compute the overviews it changed (see ``warming``)."""
    overview_warm_for(
        [provider_pk for provider_pk, _month in report.summaries],
        [month.year for _provider, month in report.summaries],
    )

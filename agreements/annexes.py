"""Annexes of an agreement: adding, removing, copying, attaching to the archive.

Every write asks the policy (``can_edit_annexes``); the model refuses any
change once the agreement is signed. A file may be shared by the annex rows
of several versions (an amendment keeps the annexes of the version it
amends), so a file is deleted only when no row names it any more.
"""

import hashlib

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from zielsteuerung.accounts import policy

from .models import Annex


class AnnexChangedError(Exception):
    """A stored annex no longer has the bytes that were uploaded (German)."""


def _require(user, agreement):
    if not policy.can_edit_annexes(user, agreement):
        raise PermissionDenied(_("Sie dürfen die Anlagen nicht ändern."))


def _digest(upload):
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


@transaction.atomic
def annex_add(*, agreement, kind, title, upload, acting_user):
    """Store ``upload`` (a checked PDF) as the agreement's next annex."""
    _require(acting_user, agreement)
    highest = agreement.annexes.aggregate(highest=Max("position"))["highest"]
    annex = Annex(
        agreement=agreement,
        position=0 if highest is None else highest + 1,
        kind=kind,
        title=title.strip(),
        file_name=upload.name[:255],
        size=upload.size,
        sha256=_digest(upload),
        uploaded_by=acting_user,
    )
    annex.file.save("anlage.pdf", upload, save=False)
    annex._history_user = acting_user
    try:
        annex.save()
    except Exception:
        annex.file.storage.delete(annex.file.name)
        raise
    return annex


@transaction.atomic
def annex_delete(*, annex, acting_user):
    _require(acting_user, annex.agreement)
    name = annex.file.name
    annex._history_user = acting_user
    annex.delete()
    if not Annex.objects.filter(file=name).exists():
        transaction.on_commit(lambda: annex.file.storage.delete(name))


def annexes_copy(*, source, target):
    """Give ``target`` (a new version) the annexes of ``source``, same files."""
    for annex in source.annexes.all():
        Annex.objects.create(
            agreement=target,
            position=annex.position,
            kind=annex.kind,
            title=annex.title,
            file=annex.file.name,
            file_name=annex.file_name,
            size=annex.size,
            sha256=annex.sha256,
            uploaded_by=annex.uploaded_by,
        )


def attachment_name(annex, number):
    """``anlage-1-lokales-planungsdokument-2024.pdf``: ASCII, unique per agreement."""
    return f"anlage-{number}-{slugify(annex.title)[:80] or 'dokument'}.pdf"


def archive_attachments(agreement):
    """``[(name, bytes, description)]`` of the annexes, for the PDF/A archive."""
    attachments = []
    for number, annex in enumerate(agreement.annexes.all(), start=1):
        with annex.file.open("rb") as file:
            data = file.read()
        if hashlib.sha256(data).hexdigest() != annex.sha256:
            raise AnnexChangedError(
                _(
                    "Die gespeicherte Datei der Anlage „%(title)s“ stimmt nicht "
                    "mehr mit der hochgeladenen überein. Bitte die Anlage neu "
                    "hochladen."
                )
                % {"title": annex.title}
            )
        attachments.append((attachment_name(annex, number), data, annex.title))
    return attachments

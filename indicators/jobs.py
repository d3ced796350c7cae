"""Background jobs of the figures: large imports and their dry runs, reminders.

A dry run or import of more than ``IMPORT_BACKGROUND_ROWS`` rows runs in the
worker; its report is kept as JSON on the job (``report_json``) and read
back for the page (``report_from_json``), so the page shows exactly what the
in-request path shows. Registered in ``IndicatorsConfig.ready``.
"""

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from zielsteuerung.accounts.models import Organisation
from zielsteuerung.jobs.services import JobError, periodic, register

from . import staging
from .importing import (
    ImportReport,
    ImportWarning,
    PlannedChange,
    Row,
    RowError,
    Summary,
)
from .models import DataElement, StagedImport
from .reminders import reminders_send


def _staged(job):
    staged = StagedImport.objects.filter(pk=job.params["staged"]).first()
    if staged is None:
        raise JobError(_("Die Datei ist nicht mehr vorhanden. Bitte erneut hochladen."))
    return staged


@register("import_check")
def import_check(job, progress):
    """The dry run of a kept file."""
    try:
        report = staging.staged_import_check(
            _staged(job), acting_user=job.owner, progress=progress
        )
    except staging.StagedFileChanged as error:
        raise JobError(_file_changed()) from error
    return {"report": report_json(report)}


@register("import_run")
def import_run(job, progress):
    """The real import of a kept file; a retry after a dead worker is safe."""
    staged = _staged(job)
    if staged.imported_id is not None:  # done before the worker died
        return {"imported": staged.imported_id}
    params = job.params
    try:
        report = staging.staged_import_run(
            staged=staged,
            acting_user=job.owner,
            reason=params.get("reason", ""),
            warning_reasons=params.get("warning_reasons", {}),
            file_reason=params.get("file_reason", ""),
            progress=progress,
        )
    except staging.StagedFileChanged as error:
        raise JobError(_file_changed()) from error
    if report.record is not None:
        return {"imported": report.record.pk}
    return {"report": report_json(report)}


def _file_changed():
    return _(
        "Die gespeicherte Datei hat sich seit dem Probelauf verändert. Bitte "
        "laden Sie sie erneut hoch."
    )


@register("reminders_send")
def reminders(job, progress):
    """The day's reminder e-mails (``manage.py send_reminders`` does the same)."""
    written = reminders_send(today=timezone.localdate())
    return {
        "reminders": len(written),
        "providers": len({reminder.provider_id for reminder in written}),
    }


periodic("reminders", "REMINDERS_AT", "reminders_send")


# --- The report as JSON ----------------------------------------------------------


def report_json(report):
    """What the import pages show of ``report``, in plain JSON."""
    return {
        "file_name": report.file_name,
        "dry_run": report.dry_run,
        "rows": report.rows,
        "errors": [[e.line, e.column, e.reason] for e in report.errors],
        "summaries": [
            [s.provider.pk, s.month.isoformat(), s.created, s.changed, s.unchanged]
            for s in report.summaries.values()
        ],
        "warnings": [
            [w.key, w.line, w.provider.pk, w.month.isoformat(), w.message]
            for w in report.warnings
        ],
        "unexplained": [w.key for w in report.unexplained],
        "changes": [_change_json(change) for change in report.changes],
    }


def _change_json(change):
    row = change.row
    return [
        row.line,
        row.provider.pk,
        row.month.isoformat(),
        row.element.pk,
        row.sex,
        str(row.value),
        row.status,
        None if change.old_value is None else str(change.old_value),
        change.old_status,
    ]


def report_from_json(data):
    """An ``ImportReport`` for the pages from ``report_json``: two queries."""
    providers = Organisation.objects.in_bulk(
        {s[0] for s in data["summaries"]} | {w[2] for w in data["warnings"]}
    )
    elements = DataElement.objects.in_bulk()
    report = ImportReport(data["file_name"], data["dry_run"], rows=data["rows"])
    report.errors = [RowError(*error) for error in data["errors"]]
    for pk, month, created, changed, unchanged in data["summaries"]:
        month = datetime.date.fromisoformat(month)
        report.summaries[(pk, month)] = Summary(
            providers[pk], month, created, changed, unchanged
        )
    report.warnings = [
        ImportWarning(
            key, line, providers[pk], datetime.date.fromisoformat(month), text
        )
        for key, line, pk, month, text in data["warnings"]
    ]
    unexplained = set(data["unexplained"])
    report.unexplained = [w for w in report.warnings if w.key in unexplained]
    report.changes = [_change(item, providers, elements) for item in data["changes"]]
    return report


def _change(item, providers, elements):
    line, pk, month, element, sex, value, status, old_value, old_status = item
    row = Row.of(
        line,
        providers[pk],
        datetime.date.fromisoformat(month),
        elements[element],
        sex,
        Decimal(value),
        status,
    )
    old = None if old_value is None else Decimal(old_value)
    return PlannedChange(row, None, old, old_status)

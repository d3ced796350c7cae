"""The import in two steps, and the template file.

1. ``/monatswerte/import/``: choose a file; the main button starts the dry
   run. The file is kept on the server (``staging.py``) and the browser goes
   on to its page.
2. ``/monatswerte/import/<id>/``: the dry run of the kept file: bad rows,
   warnings with a field for each reason, and old → new for every value it
   would change (paged). "Jetzt importieren" imports exactly that file.

A file of up to ``IMPORT_BACKGROUND_ROWS`` rows is checked and imported
inside the request (a national month file takes about a second). A larger
one is checked and imported by the background worker (``indicators/jobs.py``):
the page shows the job's progress, polls ``/auftraege/<id>/`` and shows the
same report when the job is done, or its error. A kept file belongs to its
uploader: anyone else gets 404.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from zielsteuerung.accounts import policy
from zielsteuerung.jobs.models import JobStatus
from zielsteuerung.jobs.services import job_enqueue, latest_job

from . import staging
from .forms import ImportForm
from .import_forms import ImportConfirmForm
from .importing import COLUMNS, estimated_rows
from .jobs import report_from_json
from .models import DataElement, Import, StagedImport

CHANGES_PER_PAGE = 50


def _may_import(user):
    if not policy.providers_with_editable_figures(user).exists():
        raise PermissionDenied(_("Sie dürfen keine Monatswerte importieren."))


def figures_import(request):
    """Step 1: choose a file and start the dry run."""
    user = request.user
    _may_import(user)
    form = ImportForm(request.POST or None, request.FILES or None, need_reason=False)
    if request.method == "POST" and form.is_valid():
        staged = staging.staged_import_create(
            upload=form.cleaned_data["file"], acting_user=user
        )
        return redirect("indicators:import_check", pk=staged.pk)
    recent = (
        Import.objects.filter(imported_by__organisation=user.organisation_id)
        .select_related("imported_by")
        .order_by("-imported_at")[:10]
    )
    return render(
        request,
        "indicators/import.html",
        {
            "form": form,
            "recent": recent,
            "columns": COLUMNS,
            "elements": DataElement.objects.all(),
        },
    )


def import_check(request, pk):
    """Step 2: the dry run of the kept file; "Jetzt importieren" imports it."""
    user = request.user
    _may_import(user)
    staged = get_object_or_404(
        StagedImport.objects.select_related("imported__imported_by"),
        pk=pk,
        uploaded_by=user,
    )
    if staged.imported_id is not None:
        return render(request, "indicators/import_done.html", {"staged": staged})
    need_reason = policy.figure_changes_need_reason(user)
    if _in_background(staged):
        return _background_check(request, staged, need_reason)
    try:
        if request.method == "POST":
            outcome = _import(request, staged, need_reason)
            if not isinstance(outcome, tuple):
                return outcome
            report, form = outcome
        else:
            report = staging.staged_import_check(staged, acting_user=user)
            form = ImportConfirmForm(warnings=report.warnings, need_reason=need_reason)
    except staging.StagedFileChanged:
        messages.error(
            request,
            _(
                "Die gespeicherte Datei hat sich seit dem Probelauf verändert. "
                "Bitte laden Sie sie erneut hoch."
            ),
        )
        return redirect("indicators:import")
    return _render_report(request, staged, report, form)


def _render_report(request, staged, report, form, job=None):
    pages = Paginator(report.changes, CHANGES_PER_PAGE)
    return render(
        request,
        "indicators/import_check.html",
        {
            "staged": staged,
            "report": report,
            "form": form,
            "changes": pages.get_page(request.GET.get("seite")),
            "job": job,
        },
    )


# --- Large files: in the background worker ------------------------------------


def _in_background(staged):
    with staged.file.open("rb") as stored:
        content = stored.read()
    return estimated_rows(content, staged.file_name) > settings.IMPORT_BACKGROUND_ROWS


def _background_check(request, staged, need_reason):
    """The dry run or import of a large file: start it, show it, show its report."""
    user = request.user
    if request.method == "POST":
        return _start_background(request, staged, need_reason)
    check = latest_job(f"import-check:{staged.pk}", user)
    run = latest_job(f"import-run:{staged.pk}", user)
    job = run if run and (check is None or run.pk > check.pk) else check
    if job is None:
        job = _enqueue_check(staged, user)
    if job.status != JobStatus.DONE:
        return render(
            request, "indicators/import_job.html", {"staged": staged, "job": job}
        )
    report = report_from_json(job.result["report"])
    if job.kind == "import_run":  # refused: a warning without reason, or an error
        form = ImportConfirmForm(
            job.params.get("posted", {}),
            warnings=report.warnings,
            need_reason=need_reason,
        )
        form.is_valid()
        if report.unexplained:
            form.mark_unexplained(report.unexplained)
    else:
        form = ImportConfirmForm(warnings=report.warnings, need_reason=need_reason)
    return _render_report(request, staged, report, form, job=check)


def _enqueue_check(staged, user):
    job = job_enqueue(
        kind="import_check",
        params={"staged": staged.pk},
        owner=user,
        subject=f"import-check:{staged.pk}",
    )
    _expect_rows(job, staged)
    return job


def _expect_rows(job, staged):
    with staged.file.open("rb") as stored:
        job.progress_total = estimated_rows(stored.read(), staged.file_name)
    job.save(update_fields=["progress_total"])


def _start_background(request, staged, need_reason):
    """ "Probelauf wiederholen" or "Jetzt importieren" for a large file."""
    data = request.POST
    if data.get("action") == "recheck":
        _enqueue_check(staged, request.user)
        return redirect("indicators:import_check", pk=staged.pk)
    reason = _text(data.get("reason"))
    if need_reason and not reason:
        messages.error(request, _("Bitte den Grund der Korrektur angeben."))
        return redirect("indicators:import_check", pk=staged.pk)
    warning_reasons = {
        name[2:]: _text(value) for name, value in data.items() if name.startswith("w-")
    }
    posted = {
        name: _text(value)
        for name, value in data.items()
        if name.startswith("w-") or name in ("reason", "file_reason")
    }
    job = job_enqueue(
        kind="import_run",
        params={
            "staged": staged.pk,
            "reason": reason,
            "warning_reasons": warning_reasons,
            "file_reason": _text(data.get("file_reason")),
            "posted": posted,
        },
        owner=request.user,
        subject=f"import-run:{staged.pk}",
    )
    _expect_rows(job, staged)
    return redirect("indicators:import_check", pk=staged.pk)


def _import(request, staged, need_reason):
    """A redirect after the import, or (report, form) to show again."""
    data = request.POST
    reason = _text(data.get("reason"))
    if need_reason and not reason:
        report = staging.staged_import_check(staged, acting_user=request.user)
    else:
        report = staging.staged_import_run(
            staged=staged,
            acting_user=request.user,
            reason=reason,
            warning_reasons={
                name[2:]: _text(value)
                for name, value in data.items()
                if name.startswith("w-")
            },
            file_reason=_text(data.get("file_reason")),
        )
        if report.record is not None:
            _imported_message(request, report)
            return redirect("indicators:import_check", pk=staged.pk)
    form = ImportConfirmForm(data, warnings=report.warnings, need_reason=need_reason)
    form.is_valid()
    if report.unexplained:
        form.mark_unexplained(report.unexplained)
    return report, form


def _text(value, limit=2000):
    return (value or "").strip()[:limit]


def _imported_message(request, report):
    messages.success(
        request,
        _("Importiert: %(created)s neue, %(changed)s geänderte Werte.")
        % {"created": report.created, "changed": report.changed},
    )


def import_template(request):
    """The header row only: no example rows that could pass for real data."""
    response = HttpResponse(
        "\ufeff" + ";".join(COLUMNS) + "\r\n", content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="monatswerte-vorlage.csv"'
    return response

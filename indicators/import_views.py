"""The import in two steps, and the template file.

1. ``/monatswerte/import/``: choose a file; the main button starts the dry
   run. The file is kept on the server (``staging.py``) and the browser goes
   on to its page.
2. ``/monatswerte/import/<id>/``: the dry run of the kept file: bad rows,
   warnings with a field for each reason, and old → new for every value it
   would change (paged). "Jetzt importieren" imports exactly that file.

The checks run inside the request (no task queue): a national year file of
about 100,000 rows takes a few seconds (see bench/figures.py); the command
``import_figures`` prints progress for very large files. A kept file belongs
to its uploader: anyone else gets 404.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from zielsteuerung.accounts import policy

from . import staging
from .forms import ImportForm
from .import_forms import ImportConfirmForm
from .importing import COLUMNS
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
    pages = Paginator(report.changes, CHANGES_PER_PAGE)
    return render(
        request,
        "indicators/import_check.html",
        {
            "staged": staged,
            "report": report,
            "form": form,
            "changes": pages.get_page(request.GET.get("seite")),
        },
    )


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

"""The import page and the template file.

The page checks and imports in the request itself (no task queue): a national
year file of about 100,000 rows takes a few seconds (see bench/figures.py),
and the page then shows the full summary. The command ``import_figures``
prints progress for very large files.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from zielsteuerung.accounts import policy

from .forms import ImportForm
from .import_service import figures_import as import_file
from .importing import COLUMNS
from .models import DataElement, Import


def figures_import(request):
    user = request.user
    providers = policy.providers_with_editable_figures(user)
    if not providers.exists():
        raise PermissionDenied(_("Sie dürfen keine Monatswerte importieren."))
    dry_run = "dry_run" in request.POST
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        need_reason=policy.figure_changes_need_reason(user),
        dry_run=dry_run,
    )
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = import_file(
            content=upload.read(),
            file_name=upload.name,
            acting_user=user,
            dry_run=dry_run,
            reason=form.cleaned_data.get("reason", ""),
        )
        _report_message(request, report)
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
            "report": report,
            "recent": recent,
            "columns": COLUMNS,
            "elements": DataElement.objects.all(),
        },
    )


def _report_message(request, report):
    if not report.ok:
        messages.error(
            request,
            _(
                "Die Datei enthält %(lines)s fehlerhafte Zeilen (%(count)s Fehler). "
                "Es wurde nichts gespeichert."
            )
            % {"lines": report.bad_lines, "count": len(report.errors)},
        )
    elif report.unexplained:
        messages.error(
            request,
            _(
                "%(count)s Hinweise brauchen eine Begründung. Es wurde nichts "
                "gespeichert."
            )
            % {"count": len(report.unexplained)},
        )
    elif report.dry_run:
        messages.info(
            request,
            _(
                "Probelauf: die Datei ist fehlerfrei. Es wurde noch nichts "
                "gespeichert. Zum Import die Datei erneut wählen und auf "
                "„Importieren“ klicken."
            ),
        )
    else:
        messages.success(
            request,
            _("Importiert: %(created)s neue, %(changed)s geänderte Werte.")
            % {"created": report.created, "changed": report.changed},
        )


def import_template(request):
    """A CSV with the header and two example rows, as German Excel writes it."""
    provider = policy.providers_with_editable_figures(request.user).first()
    key = provider.regional_key if provider else "05558"
    lines = [
        ";".join(COLUMNS),
        f"{key};2023-01;elb;insgesamt;8.512;t3",
        f"{key};2023-01;llu_eur;insgesamt;1.234.567,89;t3",
    ]
    response = HttpResponse(
        "\ufeff" + "\r\n".join(lines) + "\r\n", content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="monatswerte-vorlage.csv"'
    return response

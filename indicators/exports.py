"""The year overview as a download: XLSX (openpyxl) or CSV as German Excel reads it."""

import csv
import io

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _

from zielsteuerung.numbers import format_decimal

from . import services
from .months import month_key
from .views import provider_for

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_STATUS = {"missing": "fehlt", "t0": "t-0", "t3": "t-3"}


def year_table(provider, year):
    """Header and rows of the overview as plain values (Decimals stay Decimals)."""
    elements, rows = services.year_overview(provider, year)
    header = [
        _("Monat"),
        _("Datenstand"),
        *[f"{e.name} ({e.code})" for e in elements],
        _("Letzte Änderung"),
    ]
    table = [header]
    for row in rows:
        reporting = row.reporting
        changed = reporting.updated_at if reporting and reporting.updated_at else None
        table.append(
            [
                month_key(row.month),
                _STATUS[row.status],
                *[value.value if value else None for _e, value in row.cells],
                changed.strftime("%d.%m.%Y %H:%M") if changed else "",
            ]
        )
    return table


def year_export(request, regional_key, year, fmt):
    provider = provider_for(request.user, regional_key)
    if fmt not in ("xlsx", "csv"):
        raise Http404
    table = year_table(provider, year)
    name = f"monatswerte-{provider.regional_key}-{year}.{fmt}"
    if fmt == "xlsx":
        response = HttpResponse(_xlsx(table, year), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(_csv(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _xlsx(table, year):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(year)
    for row in table:
        sheet.append(row)
    sheet.freeze_panes = "C2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv(table):
    """``;``-separated, decimal comma, with BOM: opens correctly in German Excel."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for row in table:
        writer.writerow(
            format_decimal(cell, grouping=False) if _is_number(cell) else cell
            for cell in row
        )
    return "\ufeff" + buffer.getvalue()


def _is_number(cell):
    return cell is not None and not isinstance(cell, str)

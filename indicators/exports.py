"""Downloads of a provider's year: the overview, and all values in the import format.

- ``year_export``: the year overview (months × elements, totals) as XLSX or
  as CSV the way German Excel reads it.
- ``year_values_export``: every value by sex in the import format
  (``regionalschluessel;monat;merkmal;geschlecht;wert;datenstand``): it can
  be imported again unchanged, e.g. after correcting a few values.

XLSX cells hold numbers with number formats and sensible column widths;
times are local (Europe/Berlin), never UTC.
"""

import csv
import io

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from zielsteuerung.numbers import format_decimal

from . import services
from .importing import COLUMNS
from .models import SEX_FILE_CODES, MonthlyValue, Sex
from .months import month_key
from .views import provider_for

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_STATUS = {"missing": "fehlt", "t0": "t-0", "t3": "t-3"}
WHOLE_FORMAT = "#,##0"
EURO_FORMAT = "#,##0.00"
TIME_FORMAT = "DD.MM.YYYY HH:MM"
_SEX_ORDER = {Sex.TOTAL: 0, Sex.WOMEN: 1, Sex.MEN: 2}


def _local(moment):
    """An aware time as naive local time (what spreadsheets show)."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def year_table(provider, year):
    """Header, rows and the element of each value column (None elsewhere)."""
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
        changed = reporting.updated_at if reporting else None
        table.append(
            [
                month_key(row.month),
                _STATUS[row.status],
                *[value.value if value else None for _e, value in row.cells],
                _local(changed),
            ]
        )
    return table, [None, None, *elements, None]


def values_table(provider, year):
    """Every value of ``year`` by sex, in the import format (one query)."""
    values = sorted(
        MonthlyValue.objects.filter(provider=provider, month__year=year)
        .select_related("element")
        .order_by(),
        key=lambda v: (v.month, v.element.position, v.element.code, _SEX_ORDER[v.sex]),
    )
    rows = [
        [
            provider.regional_key,
            month_key(value.month),
            value.element.code,
            SEX_FILE_CODES[value.sex],
            value.value,
            value.data_status,
        ]
        for value in values
    ]
    return [COLUMNS, *rows], [v.element for v in values]


def year_export(request, regional_key, year, fmt):
    provider = provider_for(request.user, regional_key)
    if fmt not in ("xlsx", "csv"):
        raise Http404
    table, elements = year_table(provider, year)
    name = f"monatswerte-{provider.regional_key}-{year}.{fmt}"
    if fmt == "xlsx":
        content = _xlsx(table, str(year), _overview_formats(table, elements))
        return _download(content, XLSX_TYPE, name)
    return _download(_csv(table), "text/csv; charset=utf-8", name)


def year_values_export(request, regional_key, year, fmt):
    """All values of the year by sex, ready to be imported again."""
    provider = provider_for(request.user, regional_key)
    if fmt not in ("xlsx", "csv"):
        raise Http404
    table, elements = values_table(provider, year)
    name = f"monatswerte-{provider.regional_key}-{year}-importformat.{fmt}"
    if fmt == "xlsx":
        formats = {(r, 5): _number_format(e) for r, e in enumerate(elements, 2)}
        content = _xlsx(table, str(year), formats, text_columns=(1, 2))
        return _download(content, XLSX_TYPE, name)
    lines = ([_cell(cell) for cell in row] for row in table)
    return _download(_csv_text(lines), "text/csv; charset=utf-8", name)


def _download(content, content_type, name):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _number_format(element):
    return WHOLE_FORMAT if element.whole_numbers else EURO_FORMAT


def _overview_formats(table, elements):
    """{(row, column): number format} of the overview's cells (1-based)."""
    formats = {}
    last = len(elements)
    for row in range(2, len(table) + 1):
        for column, element in enumerate(elements, 1):
            if element is not None:
                formats[(row, column)] = _number_format(element)
        formats[(row, last)] = TIME_FORMAT
    return formats


def _xlsx(table, title, formats, text_columns=()):
    """The table as a workbook: number formats, column widths, frozen header."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in table:
        sheet.append(row)
    for (row, column), number_format in formats.items():
        sheet.cell(row=row, column=column).number_format = number_format
    for column in text_columns:  # keep 05558 and 2024-01 as text
        for row in range(2, len(table) + 1):
            sheet.cell(row=row, column=column).number_format = "@"
    for column, width in enumerate(_widths(table), 1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _widths(table):
    """A width per column that fits its longest shown text (within reason)."""
    widths = []
    for column in zip(*table, strict=True):
        longest = max(len(_shown(cell)) for cell in column)
        widths.append(min(max(longest + 2, 8), 45))
    return widths


def _shown(cell):
    if cell is None:
        return ""
    if hasattr(cell, "hour"):
        return "00.00.0000 00:00"
    if isinstance(cell, str):
        return cell
    return format_decimal(cell, 2)


def _csv(table):
    """``;``-separated, decimal comma, with BOM: opens correctly in German Excel."""
    return _csv_text([_cell(cell) for cell in row] for row in table)


def _csv_text(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows(rows)
    return "\ufeff" + buffer.getvalue()


def _cell(cell):
    """A cell as CSV text: numbers without grouping, times local and German."""
    if cell is None or isinstance(cell, str):
        return cell
    if hasattr(cell, "hour"):
        return cell.strftime("%d.%m.%Y %H:%M")
    return format_decimal(cell, grouping=False)

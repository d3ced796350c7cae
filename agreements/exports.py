"""The overview of a year as a download (XLSX or CSV), as the page judges it.

Every row is the version in force of one provider's agreement; values are
the rounded values the page shows and judges, with their status; the Land
rows, the implied Land target and the Land's own target follow below.
"""

import csv
import io

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _

from indicators.attainment import rounded
from indicators.registry import Unit
from zielsteuerung.numbers import format_decimal

from .overview import year_overview
from .presentation import data_status_text, progress_view, status_badge
from .progress_views import overview_allowed
from .year_end import revision_note

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_NUMBER_FORMATS = {Unit.PERCENT: "0.0", Unit.PERCENTAGE_POINTS: "0.0"}


def overview_table(user, year):
    """(header, rows, number formats per column) as plain values."""
    overview = year_overview(user, year)
    columns = overview.columns
    header = [_("Träger"), _("AGS"), _("Fassung"), _("Status"), _("Datenstand")]
    formats = [None] * len(header)
    for column in columns:
        unit = column.info.unit_for(column.aspect)
        header += [
            f"{column.label} – {column.sublabel} ({_unit(unit)})",
            _("Bewertung"),
        ]
        formats += [_NUMBER_FORMATS.get(unit, "#,##0"), None]
    header.append(_("Durch Revision geändert"))
    formats.append(None)
    rows = [_provider_row(row, columns, year) for row in overview.rows]
    for land in overview.land_rows:
        values = [land.label, "", "", land.note, ""]
        for cell in land.cells:
            values += [_number(cell.value), ""]
        rows.append([*values, ""])
    implied = {column: cell for column, cell, *_rest in overview.comparison}
    values = [_("Landesziel aus den Trägerzielen"), "", "", "", ""]
    for column in columns:
        cell = implied.get(column)
        values += [_number(cell.value) if cell else None, ""]
    rows.append([*values, ""])
    return header, rows, formats


def _unit(unit):
    return {Unit.PERCENT: "%", Unit.PERCENTAGE_POINTS: _("Prozentpunkte")}.get(
        unit, _("Anzahl")
    )


def _number(outcome):
    return outcome.value if outcome is not None and outcome.computable else None


def _provider_row(row, columns, year):
    agreement = row.agreement
    status = agreement.get_status_display()
    if not agreement.is_signed:
        status = _("%(status)s, noch nicht unterzeichnet") % {"status": status}
    cells = [row.cells.get(column) for column in columns]
    judged = next((cell for cell in cells if cell and cell.judgement), None)
    values = [
        row.provider.name,
        row.provider.regional_key,
        agreement.version,
        status,
        data_status_text(judged.judgement.data_status) if judged else "",
    ]
    revisions = []
    for column, cell in zip(columns, cells, strict=True):
        result = row.results.get(column)
        if result is not None:  # a closed year: the official result
            note = revision_note(result, cell.judgement)
            status = str(result.get_status_display())
            value = result.value
            if value is not None:  # stored with eight places, shown as judged
                value = rounded(value, cell.judgement.rule.places)
            values += [value, " – ".join(filter(None, [status, note]))]
            continue
        if cell is None or cell.judgement is None:
            values += [None, ""]
            continue
        value = _number(cell.judgement.value)
        if value is not None:  # stored with eight places, shown as judged
            value = rounded(value, cell.judgement.rule.places)
        values += [
            value,
            str(status_badge(cell.status)[0]) if cell.status else _("Beobachtung"),
        ]
        text = progress_view(cell, year).revision_text
        if text:
            revisions.append(f"{column.label}: {text}")
    return [*values, "; ".join(revisions)]


def overview_export(request, year, fmt):
    overview_allowed(request)
    if fmt not in ("xlsx", "csv"):
        raise Http404
    header, rows, formats = overview_table(request.user, year)
    name = f"zielerreichung-{year}.{fmt}"
    if fmt == "xlsx":
        data = _xlsx(header, rows, formats, year)
        response = HttpResponse(data, content_type=XLSX_TYPE)
    else:
        response = HttpResponse(
            _csv(header, rows), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _xlsx(header, rows, formats, year):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(year)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in rows:
        sheet.append([float(v) if _is_number(v) else v for v in values])
    for index, number_format in enumerate(formats, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = 14 if number_format else 28
        if number_format:
            for cell in sheet[letter][1:]:
                cell.number_format = number_format
    sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv(header, rows):
    """``;``-separated, decimal comma, with BOM: opens correctly in German Excel."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for values in rows:
        writer.writerow(_csv_value(value) for value in values)
    return "\ufeff" + buffer.getvalue()


def _csv_value(value):
    """A number with the places it was rounded to (``10,0``), else as it is."""
    if not _is_number(value):
        return value
    places = max(0, -value.as_tuple().exponent)
    return format_decimal(value, places, grouping=False)


def _is_number(value):
    return value is not None and not isinstance(value, str | int)

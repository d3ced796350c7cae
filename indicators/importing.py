"""Import of the statistics export (CSV or XLSX) into monthly values.

The file has the columns ``regionalschluessel;monat;merkmal;geschlecht;wert;
datenstand``. Every row is checked first; a file with any bad row changes
nothing, and every bad row is reported with its line, column and reason. The
real import then writes in one transaction with bulk operations: one query
loads the existing values of all providers and months in the file, whatever
its size.
"""

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.utils.translation import gettext as _

from zielsteuerung.bounds import decimal_limit

from . import validation
from .forms import bounded_figure
from .models import (
    SEX_BY_FILE_CODE,
    DataElement,
    DataStatus,
    Import,
    MonthlyValue,
)
from .months import month_key, parse_month

COLUMNS = ["regionalschluessel", "monat", "merkmal", "geschlecht", "wert", "datenstand"]
STATUS_BY_FILE_CODE = {"t0": DataStatus.PROVISIONAL, "t3": DataStatus.FINAL}
BATCH_SIZE = 2000
PROGRESS_EVERY = 1_000


class ImportFileError(ValueError):
    """The file as a whole cannot be read (format, encoding, header)."""


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    reason: str


class Row(NamedTuple):
    """A good row of the file. A named tuple: a national file has thousands."""

    line: int
    provider: object
    month: datetime.date
    element: DataElement
    sex: str
    value: Decimal
    status: str
    # (provider id, month, element id, sex): made once, read for every
    # comparison of the import (a property cost a quarter of its time).
    key: tuple

    @classmethod
    def of(cls, line, provider, month, element, sex, value, status):
        key = (provider.pk, month, element.pk, sex)
        return cls(line, provider, month, element, sex, value, status, key)


@dataclass
class Summary:
    provider: object
    month: datetime.date
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    # the data status the file gives the month (all its rows have the same)
    status: str = ""


@dataclass(frozen=True)
class ImportWarning:
    """Something that looks wrong but may be right: needs a reason to import.

    ``key`` names it in the form that collects the reasons (stable for the
    same file): ``z<line>`` for a value, ``s-<AGS>-<month>`` for a month.
    """

    key: str
    line: int
    provider: object
    month: datetime.date
    message: str


class PlannedChange(NamedTuple):
    """One value the import writes: old → new, with the data status.

    A named tuple: a national file plans one per row, and a frozen dataclass
    took three times as long to make.
    """

    row: Row
    pk: int | None  # of the existing value; None for a new one
    old_value: Decimal | None
    old_status: str
    old_comment: str = ""


@dataclass
class ImportReport:
    file_name: str
    dry_run: bool
    rows: int = 0
    errors: list = field(default_factory=list)
    summaries: dict = field(default_factory=dict)  # (provider pk, month) → Summary
    record: Import | None = None
    warnings: list = field(default_factory=list)  # ImportWarning
    unexplained: list = field(default_factory=list)  # warnings without a reason
    changes: list = field(default_factory=list)  # PlannedChange

    @property
    def ok(self):
        return not self.errors

    @property
    def bad_lines(self):
        """How many lines of the file have at least one error."""
        return len({error.line for error in self.errors})

    def total(self, name):
        return sum(getattr(summary, name) for summary in self.summaries.values())

    @property
    def created(self):
        return self.total("created")

    @property
    def changed(self):
        return self.total("changed")

    @property
    def unchanged(self):
        return self.total("unchanged")

    def summary_list(self):
        return sorted(self.summaries.values(), key=lambda s: (s.provider.name, s.month))


# --- Reading the file ----------------------------------------------------------


def read_table(content, file_name):
    """Yield (line number, cells) for every data row of the file.

    ``cells`` holds the row's cells in the order of ``COLUMNS``, whatever
    their order in the file (None where a row is shorter).
    """
    if file_name.lower().endswith(".xlsx"):
        lines = _xlsx_lines(content)
    else:
        lines = _csv_lines(content)
    header = next(lines, None)
    if header is None:
        raise ImportFileError(_("Die Datei ist leer."))
    names = [_text(cell).lower() for cell in header]
    missing = [column for column in COLUMNS if column not in names]
    if missing:
        raise ImportFileError(
            _("In der Kopfzeile fehlen die Spalten: %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
    positions = [names.index(column) for column in COLUMNS]
    # The usual file has just these columns, in this order: its rows as read.
    as_read = positions == list(range(len(COLUMNS)))
    for number, cells in enumerate(lines, start=2):
        if _blank(cells):
            continue
        if as_read and len(cells) == len(COLUMNS):
            yield number, cells
        else:
            yield number, [cells[i] if i < len(cells) else None for i in positions]


def estimated_rows(content, file_name):
    """About how many data rows the file has, without reading it all.

    CSV: its line breaks; XLSX: the dimension its sheet declares (0 when the
    file cannot be opened or is too large: the check itself then refuses it
    at once, in the request).
    """
    if not file_name.lower().endswith(".xlsx"):
        return max(content.count(b"\n") - 1, 0)
    from openpyxl import load_workbook

    try:
        _check_zip(content)
        sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
        _check_size(sheet.max_row or 0, sheet.max_column or 0)
        return max((sheet.max_row or 1) - 1, 0)
    except Exception:  # refused or unreadable: the check says why, at once
        return 0


def _csv_lines(content):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _("Die CSV-Datei ist nicht UTF-8-kodiert. Bitte als „CSV UTF-8“ speichern.")
        ) from exc
    return csv.reader(io.StringIO(text, newline=""), delimiter=";")


def _xlsx_lines(content):
    """The rows of the first sheet, guarded against decompression bombs.

    Before openpyxl sees the file, its zip directory must promise a sane
    unpacked size and compression ratio (Python's zipfile never unpacks more
    than the directory says). Then the sheet's declared dimension, and while
    reading its real rows and columns, must stay within the import limits.
    """
    from openpyxl import load_workbook

    _check_zip(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ImportFileError(_("Die Excel-Datei lässt sich nicht lesen.")) from exc
    _check_size(sheet.max_row or 0, sheet.max_column or 0)
    # Read what is really there, not what the dimension claims.
    sheet.reset_dimensions()
    return _bounded_rows(sheet.iter_rows(values_only=True))


def _check_zip(content):
    try:
        entries = zipfile.ZipFile(io.BytesIO(content)).infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ImportFileError(_("Die Excel-Datei lässt sich nicht lesen.")) from exc
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > settings.XLSX_MAX_UNPACKED_BYTES:
        raise ImportFileError(
            _(
                "Die Excel-Datei wäre entpackt %(size)s MB groß; erlaubt sind "
                "höchstens %(limit)s MB. Bitte als CSV speichern oder aufteilen."
            )
            % {
                "size": unpacked // settings.MB,
                "limit": settings.XLSX_MAX_UNPACKED_BYTES // settings.MB,
            }
        )
    for entry in entries:
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > settings.MB and ratio > settings.XLSX_MAX_RATIO:
            raise ImportFileError(
                _(
                    "Die Excel-Datei ist ungewöhnlich stark komprimiert "
                    "(%(ratio)s : 1) und wird zum Schutz des Servers nicht "
                    "gelesen. Bitte als CSV speichern."
                )
                % {"ratio": int(ratio)}
            )


def _check_size(rows, columns):
    max_rows = settings.IMPORT_MAX_ROWS + 1  # and the header
    if rows > max_rows or columns > settings.IMPORT_MAX_COLUMNS:
        raise ImportFileError(
            _(
                "Die Tabelle ist zu groß: %(rows)s Zeilen × %(columns)s Spalten "
                "(oder mehr); "
                "erlaubt sind höchstens %(max_rows)s Zeilen und %(max_columns)s "
                "Spalten. Bitte nur die Daten in eine neue Datei kopieren oder "
                "als CSV speichern."
            )
            % {
                "rows": rows,
                "columns": columns,
                "max_rows": max_rows,
                "max_columns": settings.IMPORT_MAX_COLUMNS,
            }
        )


def _bounded_rows(rows):
    for count, row in enumerate(rows, start=1):
        _check_size(count, len(row))
        yield row


def _blank(cells):
    """Whether a row holds nothing but empty cells (or blanks)."""
    try:
        return not "".join(cells).strip()  # a CSV row: all texts
    except TypeError:
        return not any(_text(cell) for cell in cells)


def _text(cell):
    if cell is None:
        return ""
    if isinstance(cell, datetime.datetime | datetime.date):
        return month_key(cell)
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


# --- Checking rows --------------------------------------------------------------


@dataclass
class _Context:
    providers: dict  # regional key → Organisation the user may import for
    elements: dict  # code → DataElement
    # What the cells other than the value were read as, kept by their cells:
    # a national file repeats the same Träger, months and codes on every row.
    where: dict = field(default_factory=dict)
    what: dict = field(default_factory=dict)


# Where each column is in the cells ``read_table`` yields.
_KEY, _MONTH, _ELEMENT, _SEX, _VALUE, _STATUS = map(COLUMNS.index, COLUMNS)


def check_row(line, cells, context):
    """A Row, or None with the RowErrors of every bad column."""
    provider, month, status, where, where_key = _read(
        context.where,
        (cells[_KEY], cells[_MONTH], cells[_STATUS]),
        _read_where,
        context,
    )
    element, sex, what, what_key = _read(
        context.what, (cells[_ELEMENT], cells[_SEX]), _read_what, context
    )
    value, problem = _value(cells[_VALUE], element)
    if where or what or problem:  # the rare bad row: its errors in column order
        reasons = [*where, *what, *([("wert", str(problem))] if problem else [])]
        reasons.sort(key=lambda reason: COLUMNS.index(reason[0]))
        return None, [RowError(line, column, reason) for column, reason in reasons]
    key = where_key + what_key
    return Row(line, provider, month, element, sex, value, status, key), ()


def _read(memo, cells, reader, context):
    """``reader(*cells, context)``, kept for the same cells of the same types.

    Texts (every cell of a CSV file) are kept by the cells alone: no other
    type equals a text. Cells of other types (an Excel file's numbers and
    dates) are kept with their types: 1, 1.0 and True are equal keys but
    may read differently.
    """
    try:
        return memo[cells]
    except KeyError:
        pass
    except TypeError:  # a cell that cannot be a key
        return reader(*cells, context)
    types = tuple(map(type, cells))
    key = cells if all(kind is str for kind in types) else (cells, types)
    try:
        return memo[key]
    except KeyError:
        result = memo[key] = reader(*cells, context)
    return result


def _read_where(provider_cell, month_cell, status_cell, context):
    """(provider, month, status, ((column, reason), …)) of a row."""
    reasons = []
    key = _regional_key(provider_cell)
    provider = context.providers.get(key)
    if not key:
        reasons.append(("regionalschluessel", _("Der Regionalschlüssel fehlt.")))
    elif provider is None:
        reasons.append(
            (
                "regionalschluessel",
                _("„%(key)s“ ist kein Träger, für den Sie Werte importieren dürfen.")
                % {"key": key},
            )
        )
    month = parse_month(_text(month_cell))
    if month is None:
        reasons.append(("monat", _("Monat bitte als JJJJ-MM angeben, z. B. 2023-01.")))
    status = STATUS_BY_FILE_CODE.get(_text(status_cell).lower())
    if status is None:
        reasons.append(("datenstand", _("Datenstand bitte als t0 oder t3 angeben.")))
    key = (provider.pk, month) if provider is not None else None
    return provider, month, status, tuple(reasons), key


def _read_what(element_cell, sex_cell, context):
    """(element, sex, ((column, reason), …)) of a row."""
    reasons = []
    code = _text(element_cell)
    element = context.elements.get(code.lower())
    if not code:
        reasons.append(("merkmal", _("Das Merkmal fehlt.")))
    elif element is None:
        reasons.append(
            ("merkmal", _("Unbekanntes Merkmal „%(code)s“.") % {"code": code})
        )
    sex = SEX_BY_FILE_CODE.get(_text(sex_cell).lower())
    if sex is None:
        reasons.append(
            ("geschlecht", _("Geschlecht bitte als insgesamt, frauen oder maenner."))
        )
    elif element is not None and sex not in element.sexes:
        reasons.append(
            (
                "geschlecht",
                _("„%(code)s“ wird nur insgesamt erfasst.") % {"code": element.code},
            )
        )
    key = (element.pk, sex) if element is not None else None
    return element, sex, tuple(reasons), key


def _regional_key(cell):
    if isinstance(cell, int | float):  # Excel drops the leading zero of 05558
        return str(int(cell)).zfill(5)
    return _text(cell)


def _plain_digits():
    """How many ASCII digits in a row are always a value the grid's rules take
    as it is: a whole number below ``validation.check_figure``'s limit and
    within what the value column holds on both databases (``bounds``)."""
    largest = min(
        decimal_limit(MonthlyValue._meta.get_field("value")),
        validation.MAX_VALUE - 1,
    )
    digits = 0
    while Decimal(10) ** (digits + 1) - 1 <= largest:
        digits += 1
    return digits


# Most cells of a statistics file are such plain digits: read directly.
_PLAIN_DIGITS = _plain_digits()


def _value(cell, element):
    """(value, None), or (None, why the cell is no value)."""
    if (
        type(cell) is str
        and len(cell) <= _PLAIN_DIGITS
        and cell.isascii()
        and cell.isdigit()
    ):
        return Decimal(cell), None
    whole = element.whole_numbers if element is not None else False
    try:
        if isinstance(cell, int | float | Decimal):
            value = validation.check_figure(Decimal(str(cell)), whole_numbers=whole)
            return bounded_figure(value), None
        text = _text(cell)
        if not text:
            return None, _("Der Wert fehlt.")
        return bounded_figure(validation.parse_figure(text, whole_numbers=whole)), None
    except validation.FigureError as error:
        return None, error.message


def check_rows(table, context, progress=None):
    """Good rows, all errors (incl. duplicates, mixed data status), row count."""
    rows, errors, first_line = [], [], {}
    status_of_month = {}
    count = 0
    for count, (line, cells) in enumerate(table, start=1):
        row, row_errors = check_row(line, cells, context)
        errors.extend(row_errors)
        if progress and count % PROGRESS_EVERY == 0:
            progress(_("%(count)s Zeilen geprüft") % {"count": count}, done=count)
        if row is None:
            continue
        if row.key in first_line:
            errors.append(_duplicate(row, first_line[row.key]))
            continue
        first_line[row.key] = row.line
        month_status = status_of_month.setdefault(row.key[:2], row.status)
        if row.status != month_status:
            errors.append(_mixed_status(row))
            continue
        rows.append(row)
    return rows, errors, count


def _duplicate(row, first):
    return RowError(
        row.line,
        "merkmal",
        _("Derselbe Wert steht schon in Zeile %(line)s.") % {"line": first},
    )


def _mixed_status(row):
    return RowError(
        row.line,
        "datenstand",
        _("Für %(key)s %(month)s haben andere Zeilen einen anderen Datenstand.")
        % {"key": row.provider.regional_key, "month": month_key(row.month)},
    )

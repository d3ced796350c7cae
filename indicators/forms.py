"""The entry grid of one month and the import form."""

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from zielsteuerung import bounds
from zielsteuerung.numbers import format_decimal

from . import validation
from .models import DataStatus, MonthlyValue, Sex


def format_for_input(value, element):
    """A stored value as the text box shows it: ``8.512`` or ``1.234,56``.

    With thousands separators, as everywhere else; ``parse_figure`` reads
    them back.
    """
    if value is None:
        return ""
    places = None if element.whole_numbers else 2
    return format_decimal(value, places)


def bounded_figure(value):
    """``value`` if the value column stores it exactly on both databases."""
    try:
        return bounds.check_decimal(value, MonthlyValue._meta.get_field("value"))
    except forms.ValidationError as error:
        raise validation.FigureError(error.messages[0]) from error


class MonthGridForm(forms.Form):
    """Every element × sex of one month, plus status, version and reason.

    The value fields are text boxes: they keep whatever was typed, and the
    German and plain notations are parsed in ``clean``.
    """

    version = forms.IntegerField(
        widget=forms.HiddenInput, min_value=0, max_value=2_147_483_647
    )
    data_status = forms.ChoiceField(label=_("Datenstand"), choices=DataStatus.choices)
    reason = forms.CharField(
        label=_("Grund der Korrektur"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Das Ministerium korrigiert Werte eines Trägers nur mit Grund."),
    )

    status_reason = forms.CharField(
        label=_("Grund für t-0 statt t-3"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Nur nötig, wenn der endgültige Monat auf vorläufig (t-0) "
            "zurückgesetzt wird; steht im Verlauf jedes Werts."
        ),
    )

    def __init__(self, data=None, *, rows, reporting, need_reason):
        self.rows = rows
        self.reporting = reporting
        # Field name → why the value looks implausible. A warning, not an
        # error: the value is fine once the comment explains it.
        self.warnings = {}
        initial = {"version": reporting.version, "data_status": reporting.data_status}
        super().__init__(data, initial=initial)
        self.fields["reason"].required = need_reason
        if not need_reason:
            del self.fields["reason"]
        for row in rows:
            self._add_row_fields(row)

    def _add_row_fields(self, row):
        element = row.element
        for sex, cell in row.cells.items():
            label = f"{element.name} – {Sex(sex).label}"
            self.fields[cell.name] = forms.CharField(
                label=label,
                required=False,
                initial=format_for_input(cell.value, element),
                widget=forms.TextInput(
                    attrs={"inputmode": "decimal", "autocomplete": "off"}
                ),
            )
        self.fields[f"c-{element.code}"] = forms.CharField(
            label=_("Kommentar zu %(name)s") % {"name": element.name},
            required=False,
            max_length=1000,
        )

    def clean(self):
        cleaned = super().clean()
        values = {}
        for row in self.rows:
            parsed = self._parse_row(row)
            self._check_split(row, parsed)
            self._check_plausibility(row, parsed)
            values.update(
                ((row.element, sex), value)
                for sex, value in parsed.items()
                if value is not None
            )
        cleaned["values"] = values
        self._check_downgrade(cleaned)
        cleaned["comments"] = {
            row.element.code: cleaned.get(f"c-{row.element.code}", "").strip()
            for row in self.rows
        }
        return cleaned

    def _check_downgrade(self, cleaned):
        has_values = any(
            cell.current is not None for row in self.rows for cell in row.cells.values()
        )
        if (
            validation.downgrade_needs_reason(
                self.reporting.data_status,
                cleaned.get("data_status"),
                has_values=has_values,
            )
            and not (cleaned.get("status_reason") or "").strip()
        ):
            self.add_error(
                "status_reason",
                _("Der Monat ist endgültig (t-3). Zurück auf t-0 nur mit Begründung."),
            )

    def _parse_row(self, row):
        parsed = {}
        for sex, cell in row.cells.items():
            raw = (self.cleaned_data.get(cell.name) or "").strip()
            parsed[sex] = None
            if not raw:
                if cell.current is not None:
                    self.add_error(
                        cell.name,
                        _(
                            "Ein gespeicherter Wert kann nicht geleert werden. "
                            "Bitte einen Wert eintragen."
                        ),
                    )
                continue
            try:
                parsed[sex] = bounded_figure(
                    validation.parse_figure(
                        raw, whole_numbers=row.element.whole_numbers
                    )
                )
            except validation.FigureError as error:
                self.add_error(cell.name, error.message)
        return parsed

    def _check_split(self, row, parsed):
        if not row.element.split_by_sex or any(
            cell.name in self.errors for cell in row.cells.values()
        ):
            return
        total, women, men = (parsed[s] for s in (Sex.TOTAL, Sex.WOMEN, Sex.MEN))
        if total is None and (women is not None or men is not None):
            self.add_error(
                row.cells[Sex.TOTAL].name,
                _("Bitte auch den Wert insgesamt eintragen."),
            )
        elif validation.split_exceeds_total(total, women, men):
            message = validation.split_error(total, women, men)
            self.add_error(row.cells[Sex.WOMEN].name, message)
            self.add_error(row.cells[Sex.MEN].name, message)

    def _check_plausibility(self, row, parsed):
        comment_name = f"c-{row.element.code}"
        if (self.cleaned_data.get(comment_name) or "").strip():
            return
        flagged = False
        for sex, cell in row.cells.items():
            value = parsed[sex]
            if value is None or value == cell.value or cell.name in self.errors:
                continue
            jumps = cell.jumps(value)
            if jumps:
                flagged = True
                self.warnings[cell.name] = _(
                    "Auffällige Veränderung: %(jumps)s. Bitte im Kommentar begründen."
                ) % {"jumps": "; ".join(str(j) for j in jumps)}
        if flagged and comment_name not in self.errors:
            self.add_error(
                comment_name,
                _("Bitte begründen Sie die auffällige Veränderung von %(name)s.")
                % {"name": row.element.label},
            )


@dataclass
class CellLayout:
    """One text box of the grid, every text the template shows of it ready.

    The grid has a few dozen cells, each showing its box, two references,
    perhaps a value saved meanwhile, a warning and errors; reading all of that
    through bound fields in the template cost more than the rest of the page.
    """

    id: str
    name: str
    label: str  # "insgesamt", "Frauen", "Männer"
    value: str  # what the box holds: the typed or the saved value
    saved: str  # the saved value as the read-only grid shows it
    previous: str  # the previous month's value, "–" if none
    last_year: str  # the same month a year before, "–" if none
    theirs: str  # saved meanwhile by someone else (after a conflict)
    warning: str  # why the value needs a comment
    errors: list
    input_class: str
    described_by: str
    history_url: str  # empty while nothing is saved


@dataclass
class RowLayout:
    name: str
    unit: str
    cells: list  # total, women, men; None where the element is not split
    comment: object  # the comment's bound field


def grid_layout(form, theirs=None, history_url=None):
    """Rows for the template: each cell with its texts (see ``CellLayout``).

    ``theirs`` maps field names to values someone else saved after the form
    was opened (after a conflict); they are shown beside the typed value.
    ``history_url(element, sex)`` is the address of a value's history.
    """
    theirs = theirs or {}
    rows = []
    for row in form.rows:
        cells = [
            _cell_layout(form, row.element, cell, theirs, history_url)
            if (cell := row.cells.get(sex))
            else None
            for sex in (Sex.TOTAL, Sex.WOMEN, Sex.MEN)
        ]
        rows.append(
            RowLayout(
                row.element.name,
                row.element.get_unit_display(),
                cells,
                form[f"c-{row.element.code}"],
            )
        )
    return rows


def _cell_layout(form, element, cell, theirs, history_url):
    field = form[cell.name]
    cell_id = field.id_for_label
    errors = [str(error) for error in field.errors]
    warning = form.warnings.get(cell.name, "")
    mine_differs = theirs.get(cell.name)
    classes = ["form-control form-control-sm text-end"]
    if errors:
        classes.append("is-invalid")
    elif warning:
        classes.append("border-warning border-2")
    if mine_differs is not None:
        classes.append("border-warning")
    described_by = [f"{cell_id}-ref"]
    if errors:
        described_by.append(f"{cell_id}-err")
    if warning:
        described_by.append(f"{cell_id}-warn")
    value = field.value()
    return CellLayout(
        id=cell_id,
        name=field.html_name,
        label=str(Sex(cell.sex).label),
        value="" if value is None else str(value),
        saved=_shown(cell.current, element),
        previous=_shown(cell.previous, element),
        last_year=_shown(cell.last_year, element),
        theirs="" if mine_differs is None else element.display(mine_differs),
        warning=warning,
        errors=errors,
        input_class=" ".join(classes),
        described_by=" ".join(described_by),
        history_url=(
            history_url(element, cell.sex)
            if history_url and cell.current is not None
            else ""
        ),
    )


def _shown(value, element):
    """A stored value as the grid prints it: ``3.489``, ``1.234,56 €`` or –."""
    return "–" if value is None else element.display(value.value)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Datei (CSV oder XLSX)"),
        help_text=_(
            "Spalten: regionalschluessel; monat; merkmal; geschlecht; wert; datenstand"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
    reason = forms.CharField(
        label=_("Grund der Korrektur"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Nur für das Ministerium: warum es Werte der Träger ändert."),
    )

    def __init__(self, *args, need_reason, dry_run=False, **kwargs):
        super().__init__(*args, **kwargs)
        if need_reason:
            # A dry run changes nothing, so it needs no reason.
            self.fields["reason"].required = not dry_run
        else:
            del self.fields["reason"]

    def clean_file(self):
        """Refuse a file above IMPORT_MAX_MB by its size, before reading it."""
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _(
                    "Die Datei ist %(size)s MB groß; erlaubt sind höchstens "
                    "%(limit)s MB. Bitte teilen Sie sie auf oder nutzen Sie den "
                    "Befehl import_figures."
                ),
                params={
                    "size": f"{upload.size / settings.MB:.1f}".replace(".", ","),
                    "limit": limit // settings.MB,
                },
            )
        return upload

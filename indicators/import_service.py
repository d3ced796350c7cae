"""``figures_import``: check a statistics file and write it all or nothing.

Queries do not grow with the file: one for the providers the user may import
for, one for the data elements, one that locks the months concerned, one that
loads their existing values, one for the values they are compared with (the
month before, a year before), then batched bulk inserts and updates.

What looks wrong but may be right (a jump of more than 30 %, t-0 over t-3)
is a warning (``import_warnings.py``): the real import writes only when each
has a reason, its own or one for the whole file.
"""

import contextlib
import gc
import io
from collections import defaultdict

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from zielsteuerung.accounts import policy

from . import import_warnings, validation
from .bulk import insert_rows
from .importing import (
    BATCH_SIZE,
    ImportFileError,
    ImportReport,
    PlannedChange,
    RowError,
    Summary,
    _Context,
    check_rows,
    read_table,
)
from .models import (
    DataElement,
    DataStatus,
    Import,
    MonthlyValue,
    MonthlyValueChange,
    ReportingMonth,
    Sex,
    Source,
)
from .months import add_months, month_key
from .services import figures_changed, withdraw_completion


def figures_import(
    *,
    content,
    file_name,
    acting_user,
    dry_run=False,
    reason="",
    warning_reasons=None,
    file_reason="",
    progress=None,
):
    """Check ``content`` and, unless ``dry_run`` or a row is bad, import it.

    Returns an ImportReport: every bad row, every warning, each value that
    changes (old → new), and per provider and month how many values are (or
    would be) new, changed and unchanged. ``warning_reasons`` maps warning
    keys to their reasons; ``file_reason`` explains all the others. While a
    warning is unexplained nothing is written (``report.unexplained``).
    """
    if not dry_run:
        _check_reason(acting_user, reason)
    report = ImportReport(file_name, dry_run)
    context = _Context(
        providers={
            p.regional_key: p
            for p in policy.providers_with_editable_figures(acting_user)
        },
        elements={e.code: e for e in DataElement.objects.all()},
    )
    with _without_cycle_collection():
        try:
            rows, report.errors, report.rows = check_rows(
                read_table(content, file_name), context, progress
            )
        except ImportFileError as error:
            report.errors = [RowError(1, "", str(error))]
            return report
        explanations = (warning_reasons or {}, file_reason)
        if progress:
            progress(_("Werte werden abgeglichen"), done=report.rows)
        with transaction.atomic():
            _import_rows(rows, report, acting_user, reason, explanations, progress)
    report.errors.sort(key=lambda error: (error.line, error.column))
    return report


@contextlib.contextmanager
def _without_cycle_collection():
    """Python's cycle collector paused while the import builds its rows.

    A national file makes hundreds of thousands of small objects, none in a
    cycle; the collector walked them all again and again (an eighth of a
    month file's import). It runs as usual afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _check_reason(user, reason):
    if policy.figure_changes_need_reason(user) and not reason.strip():
        raise PermissionDenied(_("Korrekturen des Ministeriums brauchen einen Grund."))


def _import_rows(rows, report, user, reason, explanations, progress):
    # the Träger and months of the file, for the three lookups that follow
    providers, months = {row.key[0] for row in rows}, {row.month for row in rows}
    reporting = _lock_reporting_months(providers, months)
    existing = _existing_values(providers, months)
    report.errors.extend(_split_errors(rows, existing))
    plan = _classify(rows, existing, report)
    report.changes = plan
    report.errors.extend(_locked_errors(plan, reporting))
    references = _reference_values(rows, existing, providers, months)
    report.warnings = _warnings(plan, reporting, references)
    if report.errors or report.dry_run:
        return
    given, report.unexplained = import_warnings.explain(report.warnings, *explanations)
    if report.unexplained:
        return
    if progress:
        progress(_("Schreibe %(count)s Werte") % {"count": len(plan)})
    now = timezone.now()
    report.record = Import.objects.create(
        file_name=report.file_name,
        imported_by=user,
        reason=reason,
        rows=report.rows,
        created=report.created,
        changed=report.changed,
        unchanged=report.unchanged,
    )
    reasons = import_warnings.row_reasons(plan, report.warnings, given, reason)
    _write_values(plan, report.record, user, reasons, now)
    _write_reporting_months(reporting, report, user, now)
    figures_changed(providers)


def _warnings(plan, reporting, references):
    final = {
        key for key, month in reporting.items() if month.data_status == DataStatus.FINAL
    }
    jumps = import_warnings.jump_warnings(plan, references)
    return jumps + import_warnings.downgrade_warnings(plan, final)


def _reference_values(rows, existing, providers, months):
    """Values to compare with (month before, a year before), file applied.

    {(provider id, month, element id, sex): value}: one query, for the
    months not in the file (``existing`` holds the stored values of those).
    Only the months compared with are kept: a month file compares with
    none of its own, a year file with eleven.
    """
    wanted = {add_months(m, -1) for m in months} | {add_months(m, -12) for m in months}
    found = (
        MonthlyValue.objects.filter(
            provider_id__in=providers, month__in=wanted - months
        )
        .order_by()  # into a dict: the model's order would join and sort
        .values_list("provider_id", "month", "element_id", "sex", "value")
    )
    values = {(p, m, e, s): value for p, m, e, s, value in found}
    if wanted & months:
        values.update(
            (key, stored[1]) for key, stored in existing.items() if key[1] in wanted
        )
        values.update((row.key, row.value) for row in rows if row.month in wanted)
    return values


def _lock_reporting_months(providers, months):
    # In the same order in every import (no deadlock between two), without
    # the model's join to the Träger (whose rows would be locked too).
    found = (
        ReportingMonth.objects.select_for_update()
        .filter(provider_id__in=providers, month__in=months)
        .order_by("provider_id", "month")
    )
    return {(r.provider_id, r.month): r for r in found}


def _existing_values(providers, months):
    """{(provider, month, element, sex): (id, value, status, comment)}."""
    found = (
        MonthlyValue.objects.filter(provider_id__in=providers, month__in=months)
        .order_by()  # into a dict: the model's order would join and sort
        .values_list(
            "id",
            "provider_id",
            "month",
            "element_id",
            "sex",
            "value",
            "data_status",
            "comment",
        )
    )
    return {
        (provider, month, element, sex): (pk, value, status, comment)
        for pk, provider, month, element, sex, value, status, comment in found
    }


def _split_errors(rows, existing):
    """Women + men must not exceed the total, after the file is applied."""
    given, first_line = {}, {}  # the file's values of split elements
    for row in rows:
        if row.element.split_by_sex:
            given[row.key] = row.value
            first_line.setdefault(row.key[:3], row.line)

    def value(key):  # the file's, else the stored one
        found = given.get(key)
        if found is None and key in existing:
            found = existing[key][1]
        return found

    errors = []
    for (provider, month, element), line in first_line.items():
        total, women, men = (
            value((provider, month, element, sex))
            for sex in (Sex.TOTAL, Sex.WOMEN, Sex.MEN)
        )
        if validation.split_exceeds_total(total, women, men):
            message = validation.split_error(total, women, men)
            errors.append(RowError(line, "wert", str(message)))
    return errors


def _locked_errors(plan, reporting):
    """One error per accepted (locked) month the file would change."""
    if not any(month.is_locked for month in reporting.values()):
        return []  # the usual file: no need to look at its rows
    first = {}
    for change in plan:
        row = change.row
        month = reporting.get(row.key[:2])
        if month is not None and month.is_locked:
            first.setdefault(row.key[:2], row)
    return [
        RowError(
            row.line,
            "monat",
            _(
                "%(key)s %(month)s ist abgenommen und gesperrt. Änderungen erst, "
                "nachdem das Ministerium den Monat wieder geöffnet hat."
            )
            % {"key": row.provider.regional_key, "month": month_key(row.month)},
        )
        for row in first.values()
    ]


def _classify(rows, existing, report):
    """[PlannedChange] of the rows that change something.

    A row that only moves a value to another data status (t-0 → t-3) changes
    it too, and so gets its own history entry.
    """
    plan = []
    for row in rows:
        summary = report.summaries.get(row.key[:2])
        if summary is None:
            summary = Summary(row.provider, row.month, status=row.status)
            report.summaries[row.key[:2]] = summary
        found = existing.get(row.key)
        if found is None:
            summary.created += 1
            plan.append(PlannedChange(row, None, None, ""))
        elif found[1] == row.value and found[2] == row.status:
            summary.unchanged += 1
        else:
            summary.changed += 1
            plan.append(PlannedChange(row, *found))
    return plan


def _write_values(plan, record, user, reasons, now):
    """Insert and update the planned values, one history entry each: set-based.

    The planned rows go into a temporary table (PostgreSQL: ``COPY``; SQLite:
    one ``executemany``), then three statements write them: new values, changed
    values (``UPDATE … FROM``), and the history of all of them. ``reasons``
    maps each row's line to (comment, history reason).
    """
    staged = [
        (
            change.pk,
            *change.row.key,
            change.row.value,
            change.row.status,
            reasons[change.row.line][0],
            change.old_value,
            change.old_status or "",
            reasons[change.row.line][1],
        )
        for change in plan
    ]
    if not staged:
        return
    constants = [
        Source.IMPORT,
        record.pk,
        connection.ops.adapt_datetimefield_value(now),
        user.pk,
    ]
    copy = connection.vendor == "postgresql" and USE_COPY
    # A statement with nothing to do still costs a join with the whole table.
    skipped = set()
    if all(change.pk is None for change in plan):
        skipped.add(_UPDATE_CHANGED)
    if all(change.pk is not None for change in plan):
        skipped.add(_INSERT_NEW)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {_STAGE} ({_STAGE_COLUMNS})")
        try:
            _stage(cursor, staged, copy)
            for statement in _COPY_WRITES if copy else _WRITES:
                if statement in skipped:
                    continue
                cursor.execute(statement, constants * (statement.count("%s") // 4))
        finally:
            cursor.execute(f"DROP TABLE {_STAGE}")


# PostgreSQL stages with COPY; the tests switch it off to compare both paths.
USE_COPY = True
_STAGE = "figures_import_stage"
_STAGE_COLUMNS = (
    "id BIGINT, provider_id BIGINT, month DATE, element_id BIGINT, "
    "sex VARCHAR(5), value NUMERIC, status VARCHAR(2), comment TEXT, "
    "old_value NUMERIC, old_status VARCHAR(2), reason TEXT"
)
_VALUES = MonthlyValue._meta.db_table
_CHANGES = MonthlyValueChange._meta.db_table
# Each statement takes the constants (source, import, time, user) once.
_INSERT_NEW = (
    f"INSERT INTO {_VALUES} (provider_id, month, element_id, sex, value, "  # noqa: S608
    "data_status, source, source_import_id, comment, changed_at, changed_by_id) "
    "SELECT provider_id, month, element_id, sex, value, status, %s, %s, comment, "
    f"%s, %s FROM {_STAGE} WHERE id IS NULL"
)
_UPDATE_CHANGED = (
    f"UPDATE {_VALUES} SET value = s.value, data_status = s.status, source = %s, "  # noqa: S608
    "source_import_id = %s, comment = s.comment, changed_at = %s, "
    f"changed_by_id = %s FROM {_STAGE} AS s WHERE {_VALUES}.id = s.id"
)
_HISTORY = (
    f"INSERT INTO {_CHANGES} (monthly_value_id, old_value, old_data_status, "  # noqa: S608
    "new_value, data_status, source, source_import_id, reason, changed_at, "
    "changed_by_id) SELECT {id}, s.old_value, s.old_status, s.value, s.status, "
    f"%s, %s, s.reason, %s, %s FROM {_STAGE} AS s "
)
_WRITES = [
    _INSERT_NEW,
    _UPDATE_CHANGED,
    # one history entry per value, found by its key
    _HISTORY.replace("{id}", "v.id")
    + f"JOIN {_VALUES} AS v ON v.provider_id = s.provider_id "
    "AND v.month = s.month AND v.element_id = s.element_id AND v.sex = s.sex",
]
# PostgreSQL: the history takes the ids of the new values from the insert
# itself (RETURNING), not from a second look into the whole table.
_COPY_WRITES = [
    _UPDATE_CHANGED,
    f"WITH new AS ({_INSERT_NEW} RETURNING id, provider_id, month, element_id, "
    "sex) "
    + _HISTORY.replace("{id}", "COALESCE(s.id, new.id)")
    + "LEFT JOIN new ON s.id IS NULL AND new.provider_id = s.provider_id "
    "AND new.month = s.month AND new.element_id = s.element_id "
    "AND new.sex = s.sex",
]


def _stage(cursor, rows, copy):
    """Fill the temporary table: COPY on PostgreSQL, executemany elsewhere."""
    if copy:
        buffer = io.StringIO(_copy_text(rows))
        cursor.cursor.copy_expert(f"COPY {_STAGE} FROM STDIN", buffer)
        return
    marks = ", ".join(["%s"] * len(rows[0]))
    adapt = connection.ops.adapt_datefield_value
    cursor.executemany(
        f"INSERT INTO {_STAGE} VALUES ({marks})",  # noqa: S608
        [(r[0], r[1], adapt(r[2]), *r[3:]) for r in rows],
    )


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(rows):
    """The rows in COPY's text format: tab-separated, \\N for null.

    Only the texts (comment, reason) can hold a character COPY must escape.
    Texts and months repeat from row to row: each is formatted once (a third
    of the time it took to write them for every row).
    """
    texts, months = {}, {}

    def text(value):
        found = texts.get(value)
        if found is None:
            found = texts[value] = value.translate(_COPY_ESCAPES)
        return found

    def iso(month):
        found = months.get(month)
        if found is None:
            found = months[month] = month.isoformat()
        return found

    return "".join(
        f"{_NULL if pk is None else pk}\t{provider}\t{iso(month)}\t{element}\t"
        # !s: a Decimal's str, not its slower format() with an empty spec
        f"{sex}\t{value!s}\t{status}\t{text(comment)}\t"
        f"{_NULL if old_value is None else old_value!s}\t{old_status}\t"
        f"{text(reason)}\n"
        for (
            pk,
            provider,
            month,
            element,
            sex,
            value,
            status,
            comment,
            old_value,
            old_status,
            reason,
        ) in rows
    )


_NULL = "\\N"


def _write_reporting_months(reporting, report, user, now):
    created, updated = [], []
    for key, summary in report.summaries.items():
        month = reporting.get(key)
        if month is None:
            created.append((*key, summary.status))
            continue
        if not (summary.created or summary.changed) and (
            month.data_status == summary.status
        ):
            continue
        updated.append(month)
        withdraw_completion(month, user, now)
        month.data_status, month.version = summary.status, month.version + 1
        month.updated_at, month.updated_by = now, user
    _create_reporting_months(created, user, now)
    # One UPDATE per data status, not ``bulk_update``'s CASE per month and
    # field (a quarter of a national revision's time). A withdrawn
    # completion has saved its month's approval already.
    ids = defaultdict(list)
    for month in updated:
        ids[month.data_status].append(month.pk)
    for data_status, pks in ids.items():
        for start in range(0, len(pks), BATCH_SIZE):
            ReportingMonth.objects.filter(
                pk__in=pks[start : start + BATCH_SIZE]
            ).update(
                data_status=data_status,
                version=F("version") + 1,
                updated_at=now,
                updated_by=user,
            )


def _create_reporting_months(created, user, now):
    """Insert the file's new months, [(provider id, month, data status)].

    Few multi-row INSERTs (``bulk.insert_rows``): ``bulk_create`` prepared
    every field of every instance (the step took 15.6 ms of a national month
    file, now ~9 ms). The other columns hold what a new month holds after its first
    save, taken from one such month: its defaults, version 1, the import's
    time and user.
    """
    if not created:
        return
    first = ReportingMonth(version=1, updated_at=now, updated_by=user)
    names = ["provider", "month", "data_status"]
    constants = {
        field.name: getattr(first, field.attname)
        for field in ReportingMonth._meta.concrete_fields
        if not field.primary_key and field.name not in names
    }
    insert_rows(ReportingMonth, names, created, constants, per_statement=BATCH_SIZE)

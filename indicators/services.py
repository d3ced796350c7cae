"""Reading and writing monthly figures.

Selectors load what a page needs in a fixed number of queries; the write
service records every change with its history and bumps the month's version
so that two people editing one month cannot overwrite each other silently.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zielsteuerung.accounts import policy

from . import commits, validation
from .models import (
    DataElement,
    DataStatus,
    FiguresVersion,
    MonthAction,
    MonthApproval,
    MonthlyValue,
    MonthlyValueChange,
    ReportingMonth,
    ReportingMonthEvent,
    Source,
)
from .months import add_months, months_of_year
from .warming import overview_warm_for


class MonthLocked(PermissionDenied):
    """The month is accepted: its values change only after it is reopened."""

    def __init__(self, reporting_month):
        super().__init__(
            _(
                "%(month)s ist abgenommen und gesperrt. Änderungen erst, nachdem "
                "das Ministerium den Monat mit Begründung wieder geöffnet hat."
            )
            % {"month": f"{reporting_month.month:%m/%Y}"}
        )
        self.reporting_month = reporting_month


class MonthConflict(Exception):
    """Someone else saved the month after the form was opened."""

    def __init__(self, reporting_month):
        super().__init__(reporting_month)
        self.reporting_month = reporting_month


def values_by_key(provider, months):
    """{(month, element_id, sex): MonthlyValue} for ``months``: one query."""
    values = MonthlyValue.objects.filter(provider=provider, month__in=months)
    return {(v.month, v.element_id, v.sex): v for v in values}


def reporting_month_for(provider, month):
    """The saved ReportingMonth, or an unsaved one with version 0."""
    found = (
        ReportingMonth.objects.filter(provider=provider, month=month)
        .select_related("updated_by")
        .first()
    )
    if found is None:
        return ReportingMonth(provider=provider, month=month)
    found.provider = provider  # the caller's, fetched through the policy
    return found


@dataclass
class GridCell:
    element: DataElement
    sex: str
    current: MonthlyValue | None
    previous: MonthlyValue | None
    last_year: MonthlyValue | None

    @property
    def name(self):
        return f"v-{self.element.code}-{self.sex}"

    @property
    def value(self):
        return None if self.current is None else self.current.value

    def jumps(self, value):
        """``value``'s implausible jumps against the month before and a year
        earlier: the rule the grid, the month's check and the import share."""
        return validation.jumps_against(
            value,
            None if self.previous is None else self.previous.value,
            None if self.last_year is None else self.last_year.value,
        )


@dataclass
class GridRow:
    element: DataElement
    cells: dict = field(default_factory=dict)  # sex → GridCell


def month_grid(provider, month, reporting=None):
    """Rows of (element → cells) for the entry grid: three queries in all.

    ``reporting``: the month's ``reporting_month_for`` when the caller has it
    already (then two queries).
    """
    previous, last_year = add_months(month, -1), add_months(month, -12)
    values = values_by_key(provider, [month, previous, last_year])
    rows = []
    for element in DataElement.objects.all():
        row = GridRow(element)
        for sex in element.sexes:
            row.cells[sex] = GridCell(
                element,
                sex,
                values.get((month, element.pk, sex)),
                values.get((previous, element.pk, sex)),
                values.get((last_year, element.pk, sex)),
            )
        rows.append(row)
    if reporting is None:
        reporting = reporting_month_for(provider, month)
    return rows, reporting


def figures_changed(provider_ids):
    """Count the figures version of ``provider_ids`` up: their results are stale.

    Called by every service that writes monthly values or their data status,
    in the same transaction as the write.
    """
    ids = sorted({getattr(p, "pk", p) for p in provider_ids})
    # One upsert per batch, a new counter at 1, a kept one counted up: in one
    # statement, so that two first writes for a provider at once count twice
    # (reading the known counters first, the later one skipped its insert
    # behind the other's and counted nothing), in the same order everywhere.
    table = connection.ops.quote_name(FiguresVersion._meta.db_table)
    column = connection.ops.quote_name(FiguresVersion._meta.pk.column)
    size = connection.features.max_query_params or 10_000
    with connection.cursor() as cursor:
        for start in range(0, len(ids), size):
            batch = ids[start : start + size]
            marks = ", ".join(["(%s)"] * len(batch))
            cursor.execute(
                f"INSERT INTO {table} ({column}, version) "  # noqa: S608
                f"SELECT column1, 1 FROM (VALUES {marks}) AS changed "
                "WHERE true "  # else SQLite reads ON CONFLICT as a join's ON
                f"ON CONFLICT ({column}) DO UPDATE SET version = {table}.version + 1",
                batch,
            )
    commits.figures_written()


@transaction.atomic
def month_values_save(
    *,
    provider,
    month,
    values,
    data_status,
    version,
    acting_user,
    comments=None,
    reason="",
    status_reason="",
):
    """Save the grid of one month; return how many values changed.

    ``values`` maps (element, sex) to a Decimal, ``comments`` element codes to
    the comment that explains a change. Raises MonthConflict when the month's
    version is no longer ``version``, MonthLocked when it is accepted.
    Setting a final month back to t-0 needs ``status_reason``.
    """
    _check_may_edit(acting_user, provider, reason)
    reporting, created = ReportingMonth.objects.select_for_update().get_or_create(
        provider=provider, month=month
    )
    if reporting.is_locked:
        raise MonthLocked(reporting)
    if reporting.version != version:
        raise MonthConflict(reporting)
    existing = MonthlyValue.objects.filter(provider=provider, month=month).exists()
    if validation.downgrade_needs_reason(
        reporting.data_status, data_status, has_values=existing
    ):
        if not status_reason.strip():
            raise PermissionDenied(
                _("Der Monat ist endgültig (t-3). Zurück auf t-0 nur mit Begründung.")
            )
        reason = "; ".join(t for t in (status_reason.strip(), reason) if t)
    now = timezone.now()
    changes = _apply_values(
        provider, month, values, comments or {}, data_status, reason, acting_user, now
    )
    status_changed = reporting.data_status != data_status
    if changes or status_changed or created:
        # A new month, even without values, counts as one with figures
        # (``providers_with_figures``): what rests on the version moves too.
        figures_changed([provider])
        overview_warm_for([provider.pk], [month.year])
    if changes or status_changed:
        withdraw_completion(reporting, acting_user, now)
        reporting.data_status = data_status
        reporting.version += 1
        reporting.updated_at, reporting.updated_by = now, acting_user
        reporting.save()
    return changes


def month_step_record(reporting, action, target, user, reason="", now=None):
    """Move ``reporting`` (locked by the caller) to approval ``target``.

    Every step of a month's workflow goes through here, so each one is in
    the month's history.
    """
    ReportingMonthEvent.objects.create(
        reporting_month=reporting,
        action=action,
        old_approval=reporting.approval,
        new_approval=target,
        reason=reason,
        acted_at=now or timezone.now(),
        acted_by=user,
    )
    reporting.approval = target
    if reporting.pk:
        reporting.save(update_fields=["approval"])


def withdraw_completion(reporting, user, now):
    """Values of a complete month changed: it must be reported again."""
    if reporting.approval == MonthApproval.COMPLETE:
        month_step_record(
            reporting, MonthAction.WITHDRAW, MonthApproval.OPEN, user, now=now
        )


def _check_may_edit(user, provider, reason):
    if not policy.can_edit_figures(user, provider):
        raise PermissionDenied(_("Sie dürfen diese Monatswerte nicht ändern."))
    if policy.figure_changes_need_reason(user) and not reason.strip():
        raise PermissionDenied(_("Korrekturen des Ministeriums brauchen einen Grund."))


def _apply_values(provider, month, values, comments, status, reason, user, now):
    """Write changed values and the history of each; return how many changed.

    A value counts as changed when its number or its data status changes:
    moving a month from t-0 to t-3 leaves one history entry per value.
    """
    existing = {
        (v.element_id, v.sex): v
        for v in MonthlyValue.objects.select_for_update()
        .filter(provider=provider, month=month)
        # the model's order joins the Träger and the elements: locked too
        .order_by("element_id", "sex")
    }
    created, updated, history = [], [], []
    for (element, sex), value in values.items():
        why = "; ".join(t for t in (comments.get(element.code, ""), reason) if t)
        current = existing.pop((element.pk, sex), None)
        if current is None:
            current = MonthlyValue(provider=provider, month=month, element=element)
            current.sex = sex
            created.append(current)
            history.append((current, None, "", why))
        elif current.value != value or current.data_status != status:
            updated.append(current)
            history.append((current, current.value, current.data_status, why))
        else:
            continue
        if current.value != value:
            current.comment = why
        current.value, current.data_status = value, status
        current.source, current.source_import = Source.MANUAL, None
        current.changed_at, current.changed_by = now, user
    # Values not in the form (e.g. of an element no longer split by sex)
    # follow the month's data status too, with history.
    for current in existing.values():
        if current.data_status != status:
            updated.append(current)
            history.append((current, current.value, current.data_status, reason))
            current.data_status = status
            current.changed_at, current.changed_by = now, user
    MonthlyValue.objects.bulk_create(created)
    MonthlyValue.objects.bulk_update(updated, _UPDATED_FIELDS)
    MonthlyValueChange.objects.bulk_create(
        value_change(value, old, why, old_status=old_status)
        for value, old, old_status, why in history
    )
    return len(history)


_UPDATED_FIELDS = [
    "value",
    "data_status",
    "source",
    "source_import",
    "comment",
    "changed_at",
    "changed_by",
]


def value_change(value, old, reason, *, old_status=""):
    """The history record of ``value`` (saved) changing from ``old``.

    ``old_status`` is the data status before the change ("" for a new value).
    """
    return MonthlyValueChange(
        monthly_value_id=value.pk,
        old_value=old,
        old_data_status=old_status or "",
        new_value=value.value,
        data_status=value.data_status,
        source=value.source,
        source_import=value.source_import,
        reason=reason,
        changed_at=value.changed_at,
        changed_by=value.changed_by,
    )


def value_history(provider, month, element, sex):
    """The changes of one value, newest first (empty when it never existed)."""
    return (
        MonthlyValueChange.objects.filter(
            monthly_value__provider=provider,
            monthly_value__month=month,
            monthly_value__element=element,
            monthly_value__sex=sex,
        )
        .select_related("changed_by", "source_import")
        .order_by("-changed_at", "-pk")
    )


@dataclass
class OverviewRow:
    month: object
    reporting: ReportingMonth | None
    cells: list  # per element: (element, MonthlyValue of the total or None)

    @property
    def status(self):
        """``missing``, ``t0`` or ``t3`` for the month as a whole."""
        if self.reporting is None or not any(value for _e, value in self.cells):
            return "missing"
        return self.reporting.data_status


def year_overview(provider, year):
    """Elements and one row per month of ``year``: three queries in all."""
    elements = list(DataElement.objects.all())
    months = months_of_year(year)
    values = MonthlyValue.objects.filter(
        provider=provider, month__in=months, sex="total"
    )
    by_key = {(v.month, v.element_id): v for v in values}
    reporting = {
        r.month: r
        for r in ReportingMonth.objects.filter(
            provider=provider, month__in=months
        ).select_related("updated_by")
    }
    rows = [
        OverviewRow(
            month,
            reporting.get(month),
            [(element, by_key.get((month, element.pk))) for element in elements],
        )
        for month in months
    ]
    return elements, rows


STATUS_LABELS = {
    "missing": _("fehlt"),
    DataStatus.PROVISIONAL: _("t-0"),
    DataStatus.FINAL: _("t-3"),
}

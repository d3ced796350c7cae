from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from zielsteuerung.bounds import ColumnBoundsAdminMixin

from .models import (
    DataElement,
    Import,
    MonthlyValue,
    MonthlyValueChange,
    Reminder,
    ReportingCalendar,
    ReportingMonthEvent,
)


@admin.register(DataElement)
class DataElementAdmin(ColumnBoundsAdminMixin, SimpleHistoryAdmin):
    list_display = ["code", "name", "unit", "split_by_sex", "position"]
    list_editable = ["position"]
    search_fields = ["code", "name"]


@admin.register(Import)
class ImportAdmin(admin.ModelAdmin):
    list_display = [
        "file_name",
        "imported_by",
        "imported_at",
        "rows",
        "created",
        "changed",
        "unchanged",
        "sha256",
    ]
    list_select_related = ["imported_by"]
    readonly_fields = [f.name for f in Import._meta.fields]

    def has_add_permission(self, request):
        return False


class ReadOnlyChangeInline(admin.TabularInline):
    model = MonthlyValueChange
    extra = 0
    can_delete = False
    fields = [
        "changed_at",
        "changed_by",
        "old_value",
        "new_value",
        "old_data_status",
        "data_status",
        "source",
        "source_import",
        "reason",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(MonthlyValue)
class MonthlyValueAdmin(admin.ModelAdmin):
    """Read-only: values change through the grid or an import, with history."""

    list_display = ["provider", "month", "element", "sex", "value", "data_status"]
    list_filter = ["element", "sex", "data_status", "provider"]
    list_select_related = ["provider", "element"]
    date_hierarchy = "month"
    inlines = [ReadOnlyChangeInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records the app writes itself: shown, never changed here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReportingMonthEvent)
class ReportingMonthEventAdmin(ReadOnlyAdmin):
    list_display = ["reporting_month", "action", "new_approval", "acted_by", "acted_at"]
    list_filter = ["action"]
    list_select_related = ["reporting_month__provider", "acted_by"]


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["provider", "month", "deadline_kind", "stage", "sent_at"]
    list_filter = ["stage", "deadline_kind", "provider"]
    list_select_related = ["provider"]


@admin.register(ReportingCalendar)
class ReportingCalendarAdmin(ReadOnlyAdmin):
    """Ministry editors set it on /monatswerte/meldefristen/, with history."""

    list_display = ["ministry", "due_day", "final_after_months", "remind_days_before"]

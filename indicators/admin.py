from django.contrib import admin

from .models import DataElement, Import, MonthlyValue, MonthlyValueChange


@admin.register(DataElement)
class DataElementAdmin(admin.ModelAdmin):
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

"""The technical admin. Final and signed agreements and their parts are
read-only here too (the models refuse changes anyway; this keeps the admin
from offering them). The workflow fields (status, version, amends, files) are
changed by the services only, never in the admin."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Agreement, FocusArea, Goal, Party, Target
from .models.focus import locked_years


def _signed(obj):
    """Whether ``obj`` (an Agreement or a Goal) belongs to a final or signed
    agreement (``Agreement.is_locked``, from the table of transitions)."""
    agreement = obj.agreement if isinstance(obj, Goal) else obj
    return agreement is not None and agreement.is_locked


class LockedWhenSignedAdmin(SimpleHistoryAdmin):
    def has_change_permission(self, request, obj=None):
        if obj is not None and _signed(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and _signed(obj):
            return False
        return super().has_delete_permission(request, obj)


class LockedWhenSignedInline:
    """For inlines ``obj`` is the parent (an Agreement or a Goal)."""

    def has_add_permission(self, request, obj=None):
        return not (obj is not None and _signed(obj)) and super().has_add_permission(
            request, obj
        )

    def has_change_permission(self, request, obj=None):
        return not (obj is not None and _signed(obj)) and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return not (obj is not None and _signed(obj)) and super().has_delete_permission(
            request, obj
        )


class PartyInline(LockedWhenSignedInline, admin.StackedInline):
    model = Party
    extra = 0
    max_num = 2


class GoalInline(LockedWhenSignedInline, admin.TabularInline):
    model = Goal
    extra = 0
    fields = ["position", "number", "title"]
    show_change_link = True


@admin.register(Agreement)
class AgreementAdmin(LockedWhenSignedAdmin):
    list_display = ["__str__", "year", "version", "provider", "status", "updated_at"]
    list_filter = ["year", "status", "provider"]
    list_select_related = ["provider"]
    search_fields = ["provider__name", "provider__short_name"]
    readonly_fields = [
        "status",
        "version",
        "amends",
        "signed_at",
        "signed_copy_sha256",
        "archive_sha256",
    ]
    inlines = [PartyInline, GoalInline]


class TargetInline(LockedWhenSignedInline, admin.StackedInline):
    model = Target
    extra = 0


@admin.register(Goal)
class GoalAdmin(LockedWhenSignedAdmin):
    list_display = ["__str__", "agreement"]
    list_select_related = ["agreement__provider"]
    inlines = [TargetInline]


@admin.register(FocusArea)
class FocusAreaAdmin(SimpleHistoryAdmin):
    """The state's focus areas of a year; read-only once the year is signed."""

    list_display = ["title", "year", "ministry", "position"]
    list_filter = ["year", "ministry"]

    def _locked(self, obj):
        return obj is not None and bool(locked_years([(obj.ministry_id, obj.year)]))

    def has_change_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_delete_permission(request, obj)

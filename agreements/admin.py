"""The technical admin. Final and signed agreements and their parts are
read-only here too (the models refuse changes anyway; this keeps the admin
from offering them). The workflow fields (status, version, amends, files) are
changed by the services only, never in the admin."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AgreedAction,
    Agreement,
    DialogueComment,
    DialogueReportVersion,
    FocusArea,
    Goal,
    Party,
    SteeringDialogue,
    Target,
)
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


# The steering year: dialogues, their reports, comments and agreed actions are
# written on the app's own pages (services with policy checks and history);
# here they are only shown, with their history.


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SteeringDialogue)
class SteeringDialogueAdmin(ReadOnlyHistoryAdmin):
    list_display = ["__str__", "held_on", "status", "report_prepared_at"]
    list_filter = ["status", "agreement__year", "agreement__provider"]
    list_select_related = ["agreement__provider"]
    search_fields = ["agreement__provider__name", "place", "cancel_reason"]
    date_hierarchy = "held_on"
    readonly_fields = [
        "report_pdf",
        "report_sha256",
        "report_prepared_at",
        "report_as_of",
    ]


@admin.register(DialogueReportVersion)
class DialogueReportVersionAdmin(ReadOnlyHistoryAdmin):
    list_display = ["__str__", "dialogue", "as_of", "replaced_at", "sha256"]
    list_select_related = ["dialogue__agreement__provider"]
    readonly_fields = ["file", "sha256", "prepared_at", "replaced_at"]


@admin.register(DialogueComment)
class DialogueCommentAdmin(ReadOnlyHistoryAdmin):
    list_display = ["__str__", "dialogue", "target", "author", "created_at"]
    list_select_related = ["dialogue__agreement__provider", "author", "target"]


@admin.register(AgreedAction)
class AgreedActionAdmin(ReadOnlyHistoryAdmin):
    list_display = ["__str__", "owner", "due_on", "status", "dialogue", "closed_in"]
    list_filter = ["status"]
    list_select_related = [
        "dialogue__agreement__provider",
        "closed_in__agreement__provider",
    ]
    search_fields = ["description", "owner", "note"]

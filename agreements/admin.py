from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Agreement, FocusArea, Goal, Party, Target


class PartyInline(admin.StackedInline):
    model = Party
    extra = 0
    max_num = 2


class FocusAreaInline(admin.TabularInline):
    model = FocusArea
    extra = 0


class GoalInline(admin.TabularInline):
    model = Goal
    extra = 0
    fields = ["position", "number", "title"]
    show_change_link = True


@admin.register(Agreement)
class AgreementAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "year", "provider", "status", "updated_at"]
    list_filter = ["year", "status", "provider"]
    list_select_related = ["provider"]
    search_fields = ["provider__name", "provider__short_name"]
    inlines = [PartyInline, FocusAreaInline, GoalInline]


class TargetInline(admin.StackedInline):
    model = Target
    extra = 0


@admin.register(Goal)
class GoalAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "agreement"]
    list_select_related = ["agreement__provider"]
    inlines = [TargetInline]

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from ..bounds import ColumnBoundsAdminMixin
from .models import Organisation, OrganisationName, User


class OrganisationNameInline(admin.TabularInline):
    model = OrganisationName
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(ColumnBoundsAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "name",
        "short_name",
        "kind",
        "regional_key",
        "supervisor",
        "requires_second_factor",
    ]
    list_filter = ["kind", "supervisor", "requires_second_factor"]
    search_fields = ["name", "short_name", "regional_key", "jobcenter_name"]
    inlines = [OrganisationNameInline]


@admin.register(User)
class UserAdmin(ColumnBoundsAdminMixin, SimpleHistoryAdmin, BaseUserAdmin):
    """Users are deactivated, never deleted: their name stays in every history."""

    list_display = ["username", "get_full_name", "organisation", "role", "is_active"]
    list_filter = ["organisation__kind", "role", "is_active", "organisation"]
    list_select_related = ["organisation"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Zielsteuerung"), {"fields": ["organisation", "role", "manages_users"]}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Zielsteuerung"), {"fields": ["organisation", "role", "manages_users"]}),
    )

    def has_delete_permission(self, request, obj=None):
        return False

from django.urls import path, register_converter

from . import approval_views, exports, import_views, reporting_views, views
from .months import MonthConverter, RegionalKeyConverter

register_converter(MonthConverter, "month")
register_converter(RegionalKeyConverter, "ags")

app_name = "indicators"

urlpatterns = [
    path("", views.index, name="index"),
    path("import/", import_views.figures_import, name="import"),
    path("import/<int:pk>/", import_views.import_check, name="import_check"),
    path("import/vorlage.csv", import_views.import_template, name="import_template"),
    path("meldefristen/", reporting_views.reporting_calendar, name="calendar"),
    path("meldestand/", reporting_views.cockpit_latest, name="cockpit_latest"),
    path("meldestand/<year:year>/", reporting_views.cockpit, name="cockpit"),
    path("<ags:regional_key>/<year:year>/", views.year_overview, name="year"),
    path(
        "<ags:regional_key>/<year:year>.<str:fmt>",
        exports.year_export,
        name="year_export",
    ),
    path(
        "<ags:regional_key>/<year:year>/werte.<str:fmt>",
        exports.year_values_export,
        name="year_values_export",
    ),
    path("<ags:regional_key>/<month:month>/", views.month_grid, name="grid"),
    path(
        "<ags:regional_key>/<month:month>/verlauf/",
        approval_views.month_history,
        name="month_history",
    ),
    path(
        "<ags:regional_key>/<month:month>/vollstaendig/",
        approval_views.month_complete,
        name="month_complete",
    ),
    path(
        "<ags:regional_key>/<month:month>/abnehmen/",
        approval_views.month_accept,
        name="month_accept",
    ),
    path(
        "<ags:regional_key>/<month:month>/wieder-oeffnen/",
        approval_views.month_reopen,
        name="month_reopen",
    ),
    path(
        "<ags:regional_key>/<month:month>/verlauf/<slug:code>/<str:sex_code>/",
        views.value_history,
        name="history",
    ),
]

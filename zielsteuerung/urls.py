from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from agreements.exports import overview_export
from agreements.land_views import land_targets_edit
from agreements.progress_views import home, overview_latest, overview_page
from zielsteuerung.accounts.organisation_views import organisation_names

admin.site.site_header = _("Zielsteuerung – Verwaltung")
admin.site.site_title = _("Zielsteuerung")

urlpatterns = [
    path("", home, name="home"),
    path(
        "anmelden/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("abmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "passwort/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "passwort/geaendert/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("zielvereinbarungen/", include("agreements.urls")),
    path("uebersicht/", overview_latest, name="overview_latest"),
    path("uebersicht/<int:year>/", overview_page, name="overview"),
    path("uebersicht/<int:year>/landesziele/", land_targets_edit, name="land_targets"),
    path(
        "uebersicht/<int:year>/zielerreichung.<str:fmt>",
        overview_export,
        name="overview_export",
    ),
    path("monatswerte/", include("indicators.urls")),
    path(
        "organisationen/<int:pk>/namen/",
        organisation_names,
        name="organisation_names",
    ),
    path("verwaltung/", admin.site.urls),
]

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, register_converter
from django.utils.translation import gettext_lazy as _

from agreements.exports import overview_export
from agreements.land_views import land_targets_edit
from agreements.progress_views import home, overview_latest, overview_page
from zielsteuerung.accounts import views as accounts_views
from zielsteuerung.accounts.organisation_views import organisation_names
from zielsteuerung.converters import YearConverter
from zielsteuerung.health import HealthView

# Before the includes below: indicators.urls uses <year:…> too.
register_converter(YearConverter, "year")

admin.site.site_header = _("Zielsteuerung – Verwaltung")
admin.site.site_title = _("Zielsteuerung")

urlpatterns = [
    path("", home, name="home"),
    path("anmelden/", accounts_views.LoginView.as_view(), name="login"),
    path(
        "anmelden/code/",
        accounts_views.second_factor_verify,
        name="second_factor_verify",
    ),
    path(
        "anmelden/zweiter-faktor/",
        accounts_views.second_factor_setup,
        name="second_factor_setup",
    ),
    path(
        "anmelden/sso/",
        login_not_required(accounts_views.OIDCAuthenticateView.as_view()),
        name="oidc_authentication_init",
    ),
    path(
        "anmelden/sso/zurueck/",
        login_not_required(accounts_views.OIDCCallbackView.as_view()),
        name="oidc_authentication_callback",
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
    path("uebersicht/<year:year>/", overview_page, name="overview"),
    path("uebersicht/<year:year>/landesziele/", land_targets_edit, name="land_targets"),
    path(
        "uebersicht/<year:year>/zielerreichung.<str:fmt>",
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
    path("healthz/", HealthView.as_view(), name="healthz"),
]

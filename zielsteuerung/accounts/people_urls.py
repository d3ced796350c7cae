from django.urls import path

from . import people_views

app_name = "people"

urlpatterns = [
    path("", people_views.people_list, name="list"),
    path("neu/", people_views.person_create, name="create"),
    path("<int:pk>/", people_views.person_detail, name="detail"),
    path("<int:pk>/deaktivieren/", people_views.person_deactivate, name="deactivate"),
    path("<int:pk>/aktivieren/", people_views.person_reactivate, name="reactivate"),
    path(
        "<int:pk>/zweiter-faktor-zuruecksetzen/",
        people_views.person_second_factor_reset,
        name="second_factor_reset",
    ),
    path(
        "<int:pk>/passwort-link/",
        people_views.person_password_link,
        name="password_link",
    ),
    path("traeger/neu/", people_views.provider_create, name="provider_create"),
    path("traeger/<int:pk>/", people_views.provider_edit, name="provider"),
]

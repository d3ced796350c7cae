"""Admin audit: changes to users, organisations and data elements keep old →
new; users are deactivated, never deleted."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from indicators.models import DataElement
from zielsteuerung.accounts.models import Organisation, User

pytestmark = pytest.mark.django_db


def _change_form(admin_client, url):
    """The admin change form's current values, as the browser would post them."""
    form = admin_client.get(url).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or getattr(field, "disabled", False):
            continue
        if isinstance(value, datetime.datetime):  # a split date and time
            local = timezone.localtime(value)
            data[f"{name}_0"] = local.strftime("%d.%m.%Y")
            data[f"{name}_1"] = local.strftime("%H:%M:%S")
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        else:
            data[name] = value
    return data


def _changes(record):
    previous = record.prev_record
    return {
        (change.field, change.old, change.new)
        for change in record.diff_against(previous).changes
    }


def test_role_and_organisation_changes_of_a_user_keep_old_and_new(
    admin_client, admin_user, coesfeld_user, borken
):
    url = reverse("admin:accounts_user_change", args=[coesfeld_user.pk])
    data = _change_form(admin_client, url)
    data.update(role="reader", organisation=str(borken.pk))
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    latest = coesfeld_user.history.first()
    assert latest.history_user == admin_user
    changes = _changes(latest)
    assert ("role", "editor", "reader") in changes
    assert ("organisation", coesfeld_user.organisation_id, borken.pk) in changes
    page = admin_client.get(
        reverse("admin:accounts_user_history", args=[coesfeld_user.pk])
    ).content.decode()
    assert "editor" in page
    assert "reader" in page
    assert "&rarr;" in page


def test_password_hashes_stay_out_of_the_history(coesfeld_user):
    coesfeld_user.set_password("ein-ganz-neues-passwort")
    coesfeld_user.save()
    fields = {field.name for field in coesfeld_user.history.model._meta.fields}
    assert "password" not in fields
    assert "last_login" not in fields


def test_a_sign_in_writes_no_empty_history_row(client, coesfeld_user):
    from tests.conftest import PASSWORD

    rows = coesfeld_user.history.count()
    response = client.post(reverse("login"), {"username": "bob", "password": PASSWORD})
    assert response.status_code == 302
    coesfeld_user.refresh_from_db()
    assert coesfeld_user.last_login is not None  # signed in, and saved
    assert coesfeld_user.history.count() == rows
    # The same instance, saved again with a change, keeps history again.
    coesfeld_user.last_login = timezone.now()
    coesfeld_user.save(update_fields=["last_login"])
    assert coesfeld_user.history.count() == rows
    coesfeld_user.first_name = "Bodo"
    coesfeld_user.save()
    assert coesfeld_user.history.count() == rows + 1
    assert coesfeld_user.history.first().first_name == "Bodo"


def test_organisation_changes_keep_old_and_new(admin_client, admin_user, ministry):
    url = reverse("admin:accounts_organisation_change", args=[ministry.pk])
    data = _change_form(admin_client, url)
    data["requires_second_factor"] = "on"
    data.update(
        {
            "former_names-TOTAL_FORMS": "1",
            "former_names-INITIAL_FORMS": "1",
            "former_names-0-id": str(ministry.former_names.get().pk),
            "former_names-0-organisation": str(ministry.pk),
            "former_names-0-name": ministry.former_names.get().name,
            "former_names-0-short_name": "MAIS NRW",
            "former_names-0-valid_until": "29.06.2017",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    latest = Organisation.objects.get(pk=ministry.pk).history.first()
    assert ("requires_second_factor", False, True) in _changes(latest)
    assert latest.history_user == admin_user


def test_data_element_changes_keep_old_and_new(admin_client, admin_user):
    element = DataElement.objects.get(code="bg")
    url = reverse("admin:indicators_dataelement_change", args=[element.pk])
    data = _change_form(admin_client, url)
    data["name"] = "Bedarfsgemeinschaften (BG)"
    assert admin_client.post(url, data).status_code == 302
    latest = element.history.first()
    assert ("name", element.name, "Bedarfsgemeinschaften (BG)") in _changes(latest)
    assert latest.history_user == admin_user


def test_existing_rows_have_a_starting_point_in_the_history():
    # The migration recorded the nine data elements as they were.
    assert DataElement.history.filter(history_type="+").count() >= 9


def test_users_cannot_be_deleted_in_the_admin_only_deactivated(
    admin_client, coesfeld_user
):
    delete = reverse("admin:accounts_user_delete", args=[coesfeld_user.pk])
    assert admin_client.get(delete).status_code == 403
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    changelist = admin_client.get(reverse("admin:accounts_user_changelist"))
    assert "delete_selected" not in changelist.content.decode()
    assert User.objects.filter(pk=coesfeld_user.pk).exists()
    url = reverse("admin:accounts_user_change", args=[coesfeld_user.pk])
    data = _change_form(admin_client, url)
    data.pop("is_active")
    assert admin_client.post(url, data).status_code == 302
    coesfeld_user.refresh_from_db()
    assert not coesfeld_user.is_active
    assert ("is_active", True, False) in _changes(coesfeld_user.history.first())
